package io.chronolog.cli;

import io.chronolog.engine.ChronologException;
import io.chronolog.engine.Database;
import io.chronolog.engine.ReadOnlyDatabase;
import io.chronolog.engine.Bookmark;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog fork DB NEW [--bookmark B | --timestamp T]}: a new database in the same data
 * directory whose history starts with the state of DB at a moment (default: now). DB is not changed.
 */
@Command(name = "fork", description = {
    "Create a new database holding the state of DB at a moment (default: now); DB is not changed.",
    "With --json, prints {\"name\",\"from\",\"bookmark\"}."})
final class ForkCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database to fork.")
    String name;

    @Parameters(index = "1", paramLabel = "NEW", description = "Name of the new database.")
    String newName;

    @ArgGroup(exclusive = true)
    At at;

    /** The moment to fork from: at most one of the two. */
    static final class At {
        @Option(names = "--bookmark", paramLabel = "B", required = true, description = "Fork the state at this bookmark.")
        String bookmark;

        @Option(names = "--timestamp", paramLabel = "T", required = true,
                description = "Fork the state at the last write at or before T (Unix seconds or RFC 3339).")
        String timestamp;
    }

    @Override
    public Integer call() {
        Moment moment = at == null ? null : Moment.of(at.bookmark, at.timestamp);
        Path dir = existing(name);
        Path target = ChronologCommand.databaseDir(dataDir(), newName);
        if (Files.exists(target)) {
            throw new ChronologException("fork refused: database '" + newName + "' already exists in " + dataDir());
        }
        Bookmark from;
        try (Database db = Databases.openForWriting(dir)) {
            from = moment == null ? db.bookmark() : moment.resolve(db);
            Progress.during(terminal(), "Forking " + name, () -> db.fork(from, target));
        }
        Bookmark bookmark;
        try (ReadOnlyDatabase fork = Databases.openForReading(target)) {
            bookmark = fork.bookmark();
        }
        if (json) {
            printJson(Json.forked(newName, from, bookmark));
            return 0;
        }
        Renderer r = renderer();
        r.line("Forked '" + name + "' at bookmark " + Renderer.bookmark(from) + " into new database '" + newName + "'.");
        r.line("Bookmark of '" + newName + "': " + Renderer.bookmark(bookmark));
        r.flush();
        return 0;
    }
}
