package io.chronolog.cli;

import io.chronolog.engine.ArchiveVerifyReport;
import io.chronolog.engine.Archives;
import io.chronolog.engine.ChronologException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog archive verify NAME --url URL}: checks every object the archive holds for a
 * database (checksums, the hash chain across every segment and epoch, each checkpoint's and
 * backup's content) from the archive alone. Changes nothing; exits 1 when it finds a problem, the
 * report still printed, each problem one line naming the object's key.
 */
@Command(name = "verify", description = {
    "Check every archived object of a database: checksums, the hash chain across epochs, each checkpoint. Exits 1 on a problem.",
    "With --json, prints {\"ok\",\"segments\",\"frames\",\"checkpoints\",\"backups\",\"problems\":[...]}."})
final class ArchiveVerifyCommand extends Verb {
    @Parameters(index = "0", paramLabel = "NAME", description = "Name of the database in the archive.")
    String name;

    @Option(names = "--url", paramLabel = "URL", required = true, description = "The archive: s3://BUCKET[/PREFIX] or file:///PATH.")
    String url;

    @Mixin
    ArchiveLocation location;

    @Override
    public Integer call() throws IOException {
        var archive = location.options(url);
        ChronologCommand.databaseDir(dataDir(), name); // checks the name first
        Path scratch = scratch();
        ArchiveVerifyReport report;
        try {
            report = Progress.during(terminal(), "Verifying " + name, () -> Archives.verify(archive, name, scratch));
        } finally {
            deleteTree(scratch);
        }
        if (json) {
            printJson(Json.archiveVerify(report));
        } else {
            Renderer r = renderer();
            r.line((report.ok() ? "OK: " : "PROBLEMS: ") + "the archive of '" + name + "' at " + url + ": checked "
                    + Renderer.plural(report.segments(), "segment", "segments") + " ("
                    + Renderer.plural(report.frames(), "frame", "frames") + "), "
                    + Renderer.plural(report.checkpoints(), "checkpoint", "checkpoints") + " and "
                    + Renderer.plural(report.backups(), "backup", "backups") + ".");
            for (String p : report.problems()) {
                r.line("  - " + p);
            }
            r.flush();
        }
        if (!report.ok()) {
            err().println("chronolog: error: archive verify found " + Renderer.plural(report.problems().size(), "problem", "problems")
                    + " in the archive of '" + name + "'");
            err().flush();
            return 1;
        }
        return 0;
    }

    /** A new scratch directory: in the data directory when it exists (same disk as a restore), else the system's temp. */
    private Path scratch() {
        Path dataDir = dataDir();
        try {
            return Files.isDirectory(dataDir) && Files.isWritable(dataDir)
                    ? Files.createTempDirectory(dataDir, ".archive-verify-") : Files.createTempDirectory("chronolog-archive-verify-");
        } catch (IOException e) {
            throw new ChronologException("archive verify needs a scratch directory and cannot create one: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
