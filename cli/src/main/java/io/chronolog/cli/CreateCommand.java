package io.chronolog.cli;

import io.chronolog.engine.ChronologException;
import io.chronolog.engine.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chronolog create DB}: makes a new, empty database; refuses one that exists. */
@Command(name = "create", description = {
    "Create a new, empty database.",
    "With --json, prints {\"name\",\"directory\",\"bookmark\"}."})
final class CreateCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database: 1-64 of A-Z a-z 0-9 _ -, starting with a letter or digit.")
    String name;

    @Override
    public Integer call() {
        Path dataDir = dataDir();
        Path dir = ChronologCommand.databaseDir(dataDir, name);
        if (Files.exists(dir)) {
            throw new ChronologException("database '" + name + "' already exists in " + dataDir);
        }
        try (Database db = Databases.openForWriting(dir)) {
            if (json) {
                printJson(Json.created(db.name(), dir, db.bookmark()));
                return 0;
            }
            Renderer r = renderer();
            r.line("Created database '" + db.name() + "' in " + dir + ".");
            r.line("Bookmark: " + Renderer.bookmark(db.bookmark()));
            r.flush();
        }
        return 0;
    }
}
