package io.chronolog.cli;

import io.chronolog.engine.ChronologException;
import io.chronolog.engine.Database;
import io.chronolog.engine.ReadOnlyDatabase;
import io.chronolog.engine.Bookmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog export DB --output FILE [--bookmark B | --timestamp T]}: the state at a moment
 * (default: now) as a plain SQLite 3 file of the user's schema and rows; never overwrites a file.
 * The database is not changed.
 */
@Command(name = "export", description = {
    "Write the state at a moment (default: now) to a plain SQLite 3 file; an existing file is never overwritten.",
    "With --json, prints {\"file\",\"bookmark\",\"size\"}."})
final class ExportCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Option(names = "--output", paramLabel = "FILE", required = true, description = "The file to write.")
    Path output;

    @ArgGroup(exclusive = true)
    At at;

    /** The moment to export: at most one of the two. */
    static final class At {
        @Option(names = "--bookmark", paramLabel = "B", required = true, description = "Export the state at this bookmark.")
        String bookmark;

        @Option(names = "--timestamp", paramLabel = "T", required = true,
                description = "Export the state at the last write at or before T (Unix seconds or RFC 3339).")
        String timestamp;
    }

    @Override
    public Integer call() throws IOException {
        Moment moment = at == null ? null : Moment.of(at.bookmark, at.timestamp);
        Path file = output.toAbsolutePath().normalize();
        if (Files.exists(file)) {
            throw new ChronologException("export refused: " + file + " exists; give another --output");
        }
        Path dir = existing(name);
        Bookmark bookmark;
        try (ReadOnlyDatabase db = Databases.openForReading(dir)) {
            bookmark = moment == null ? db.bookmark() : moment.resolve(db);
            Progress.during(terminal(), "Exporting " + name, () -> db.exportTo(bookmark, file));
        }
        long size = Files.size(file);
        if (json) {
            printJson(Json.file(file, bookmark, size));
            return 0;
        }
        Renderer r = renderer();
        r.line("Exported '" + name + "' at bookmark " + Renderer.bookmark(bookmark) + " to " + file + " ("
                + Renderer.size(size) + ").");
        r.line("Open it with: sqlite3 " + Renderer.shellQuote(file.toString()));
        r.flush();
        return 0;
    }
}
