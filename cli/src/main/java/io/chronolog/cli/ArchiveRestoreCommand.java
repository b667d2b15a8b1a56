package io.chronolog.cli;

import io.chronolog.engine.ArchiveOptions;
import io.chronolog.engine.ArchiveRestoreResult;
import io.chronolog.engine.Archives;
import io.chronolog.engine.ChronologException;
import java.io.IOException;
import java.nio.file.Files;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog archive restore NAME --url URL [--bookmark B | --timestamp T] [--as NEWNAME]
 * [--dry-run] [--yes]}: builds a database on this machine from the archive alone, at its newest
 * archived write or at a moment. Without {@code --as} it becomes the archive's writer and fences the
 * old one (asks first unless {@code --yes}); with {@code --as} it is a new database (a fork) that
 * does not ship. Never replaces an existing database.
 */
@Command(name = "restore", description = {
    "Rebuild a database from the archive alone, into the data directory: at the newest archived write, or a bookmark or time.",
    "Without --as it becomes the archive's writer and fences the old writer (asks unless --yes); with --as it is a new database.",
    "With --json, prints {\"name\",\"directory\",\"bookmark\",\"plan\",\"frames\",\"checkpoints\",\"takeover\",\"dry_run\"}."})
final class ArchiveRestoreCommand extends Verb {
    @Parameters(index = "0", paramLabel = "NAME", description = "Name of the database in the archive.")
    String name;

    @Option(names = "--url", paramLabel = "URL", required = true, description = "The archive: s3://BUCKET[/PREFIX] or file:///PATH.")
    String url;

    @Mixin
    ArchiveLocation location;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Target target;

    /** The moment to restore: at most one of the two (neither: the newest archived write). */
    static final class Target {
        @Option(names = "--bookmark", paramLabel = "B", required = true, description = "Restore the state at this bookmark.")
        String bookmark;

        @Option(names = "--timestamp", paramLabel = "T", required = true,
                description = "Restore the last archived write at or before T (Unix seconds or RFC 3339).")
        String timestamp;
    }

    @Option(names = "--as", paramLabel = "NEWNAME", description = "Restore as a new database of this name (a fork that does not ship).")
    String asName;

    @Option(names = "--dry-run", description = "Print what would be downloaded and write nothing.")
    boolean dryRun;

    @Option(names = "--yes", description = "Do not ask before taking over the archive as its writer.")
    boolean yes;

    @Override
    public Integer call() {
        Moment moment = target == null ? null : Moment.of(target.bookmark, target.timestamp);
        Archives.Target to = moment == null ? Archives.Target.newest() : new Archives.Target(moment.bookmark(), moment.time());
        ArchiveOptions archive = location.options(url);
        ChronologCommand.databaseDir(dataDir(), asName != null ? asName : name); // checks the names first
        if (!dryRun && asName == null) {
            if (!yes && terminal().interactive()) {
                err().println("Restoring '" + name + "' from " + url + " makes this machine the archive's writer: the old writer,"
                        + " if it still runs, is fenced and refuses writes (--as NEWNAME restores a copy instead).");
            }
            confirmOrRefuse(yes, "takeover of the archive of '" + name + "'");
        }
        if (!dryRun) {
            try {
                Files.createDirectories(dataDir());
            } catch (IOException e) {
                throw new ChronologException("restore refused: cannot create the data directory " + dataDir() + ": " + e.getMessage(), e);
            }
        }
        ArchiveRestoreResult result = Progress.counting(terminal(), "Restoring " + name,
                bytes -> Archives.restore(archive, name, to, dataDir(), asName, dryRun, Databases.options(), bytes));
        if (json) {
            printJson(Json.archiveRestored(result));
            return 0;
        }
        Renderer r = renderer();
        if (result.dryRun()) {
            r.line("Dry run: nothing was written. A restore of '" + name + "' from " + url + " would:");
            r.field("download", result.plan());
            r.field("become", result.takeover() ? "the archive's writer (the old writer is fenced)"
                    : "a new database '" + result.name() + "' (a fork that does not ship)");
            r.flush();
            return 0;
        }
        String prefix = "chronolog" + ChronologCommand.root(spec).dataDirArgument(dataDirOption.dataDir);
        r.line(result.takeover()
                ? "Restored '" + name + "' from " + url + " as the archive's writer: the old writer is fenced and ships nothing more."
                : "Restored '" + name + "' from " + url + " as the new database '" + result.name() + "' (a fork; it does not ship).");
        r.field("restored to", Renderer.bookmark(result.restoredTo()));
        r.field("directory", result.directory());
        r.field("plan", result.plan());
        r.field("downloaded", Renderer.plural(result.frames(), "frame", "frames") + ", "
                + Renderer.plural(result.checkpoints(), "checkpoint", "checkpoints"));
        r.line("Check it with: " + prefix + " verify " + result.name());
        r.flush();
        return 0;
    }
}
