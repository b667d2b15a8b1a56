package io.chronolog.cli;

import io.chronolog.engine.ArchiveOptions;
import io.chronolog.engine.Archives;
import io.chronolog.engine.BackupInfo;
import io.chronolog.engine.BackupNotFoundException;
import io.chronolog.engine.ChronologException;
import io.chronolog.engine.Database;
import io.chronolog.engine.ReadOnlyDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog backup download DB ID [--output FILE]}: writes a backup as a plain SQLite 3 file
 * any {@code sqlite3} opens (default {@code <db>-<id>.sqlite3} in the working directory); never
 * overwrites a file. With {@code --url}, the backup comes from the archive alone (no local database
 * needed).
 */
@Command(name = "download", description = {
    "Write a backup to a plain SQLite 3 file (default <db>-<id>.sqlite3); an existing file is never overwritten.",
    "With --url, downloads it from an archive, with no local database.",
    "With --json, prints {\"file\",\"bookmark\",\"size\"}."})
final class BackupDownloadCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Parameters(index = "1", paramLabel = "ID", description = "The backup's id (see backup list).")
    String id;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write it (default: <db>-<id>.sqlite3).")
    Path output;

    @Option(names = "--url", paramLabel = "URL", description = "Download from this archive (s3://BUCKET[/PREFIX] or file:///PATH).")
    String url;

    @Mixin
    ArchiveLocation location;

    @Override
    public Integer call() throws IOException {
        BackupInfo b;
        Path file;
        if (url != null) {
            ChronologCommand.databaseDir(dataDir(), name); // checks the name first
            ArchiveOptions archive = location.options(url);
            b = Archives.backups(archive, name).stream().filter(x -> x.id().equals(id)).findFirst()
                    .orElseThrow(() -> new BackupNotFoundException("no backup " + id + " of '" + name + "' in the archive at " + url
                            + " (see: chronolog backup list " + name + " --url " + Renderer.shellQuote(url) + ")"));
            file = (output != null ? output : Path.of(name + "-" + b.id() + ".sqlite3")).toAbsolutePath().normalize();
            if (Files.exists(file)) {
                throw new ChronologException("download refused: " + file + " exists; give another --output");
            }
            Progress.during(terminal(), "Downloading " + b.id().substring(0, Math.min(8, b.id().length())),
                    () -> Archives.downloadBackup(archive, name, b.id(), file));
            return printed(b, file);
        }
        Path dir = existing(name);
        try (ReadOnlyDatabase db = Databases.openForReading(dir)) {
            b = db.backups().get(id); // checks the id before it becomes part of a file name
            file = (output != null ? output : Path.of(name + "-" + b.id() + ".sqlite3")).toAbsolutePath().normalize();
            if (Files.exists(file)) {
                throw new ChronologException("download refused: " + file + " exists; give another --output");
            }
            Progress.during(terminal(), "Downloading " + id.substring(0, 8), () -> db.backups().download(id, file));
        }
        return printed(b, file);
    }

    private int printed(BackupInfo b, Path file) throws IOException {
        long size = Files.size(file);
        if (json) {
            printJson(Json.file(file, b.bookmark(), size));
            return 0;
        }
        Renderer r = renderer();
        r.line("Downloaded backup " + id + " of '" + name + "' (bookmark " + Renderer.bookmark(b.bookmark()) + ") to "
                + file + " (" + Renderer.size(size) + ").");
        r.line("Open it with: sqlite3 " + Renderer.shellQuote(file.toString()));
        r.flush();
        return 0;
    }
}
