package io.chronolog.cli;

import io.chronolog.engine.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chronolog backup delete DB ID}: deletes one backup; the database and its log are not touched. */
@Command(name = "delete", description = {
    "Delete a backup. The database and its time travel history are not changed.",
    "With --json, prints {\"id\",\"deleted\":true}."})
final class BackupDeleteCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Parameters(index = "1", paramLabel = "ID", description = "The backup's id (see backup list).")
    String id;

    @Override
    public Integer call() {
        try (Database db = Databases.openForWriting(existing(name))) {
            db.backups().delete(id);
        }
        if (json) {
            printJson(Json.deleted(id));
            return 0;
        }
        Renderer r = renderer();
        r.line("Deleted backup " + id + " of '" + name + "'.");
        r.flush();
        return 0;
    }
}
