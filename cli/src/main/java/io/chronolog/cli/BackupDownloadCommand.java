package io.chronolog.cli;

import io.chronolog.engine.BackupInfo;
import io.chronolog.engine.ChronologException;
import io.chronolog.engine.Database;
import io.chronolog.engine.ReadOnlyDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog backup download DB ID [--output FILE]}: writes a backup as a plain SQLite 3 file
 * any {@code sqlite3} opens (default {@code <db>-<id>.sqlite3} in the working directory); never
 * overwrites a file.
 */
@Command(name = "download", description = {
    "Write a backup to a plain SQLite 3 file (default <db>-<id>.sqlite3); an existing file is never overwritten.",
    "With --json, prints {\"file\",\"bookmark\",\"size\"}."})
final class BackupDownloadCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Parameters(index = "1", paramLabel = "ID", description = "The backup's id (see backup list).")
    String id;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write it (default: <db>-<id>.sqlite3).")
    Path output;

    @Override
    public Integer call() throws IOException {
        Path dir = existing(name);
        BackupInfo b;
        Path file;
        try (ReadOnlyDatabase db = Databases.openForReading(dir)) {
            b = db.backups().get(id); // checks the id before it becomes part of a file name
            file = (output != null ? output : Path.of(name + "-" + b.id() + ".sqlite3")).toAbsolutePath().normalize();
            if (Files.exists(file)) {
                throw new ChronologException("download refused: " + file + " exists; give another --output");
            }
            Progress.during(terminal(), "Downloading " + id.substring(0, 8), () -> db.backups().download(id, file));
        }
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
