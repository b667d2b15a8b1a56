package io.chronolog.cli;

import io.chronolog.engine.BackupInfo;
import io.chronolog.engine.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chronolog backup create DB}: a manual backup of the current state, kept until deleted. */
@Command(name = "create", description = {
    "Take a manual backup of a database's current state; it is kept until deleted.",
    "With --json, prints {\"id\",\"created_at\",\"num_tables\",\"size\",\"state\"}."})
final class BackupCreateCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Override
    public Integer call() {
        BackupInfo b;
        try (Database db = Databases.openForWriting(existing(name))) {
            b = db.backups().create();
        }
        if (json) {
            printJson(Json.backup(b));
            return 0;
        }
        Renderer r = renderer();
        r.line("Created backup " + b.id() + " of '" + name + "' at bookmark " + Renderer.bookmark(b.bookmark()) + " ("
                + Renderer.plural(b.numTables(), "table", "tables") + ", " + Renderer.size(b.size()) + ").");
        r.flush();
        return 0;
    }
}
