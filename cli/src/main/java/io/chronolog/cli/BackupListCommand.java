package io.chronolog.cli;

import io.chronolog.engine.BackupInfo;
import io.chronolog.engine.Database;
import io.chronolog.engine.ReadOnlyDatabase;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chronolog backup list DB}: every backup, oldest first. */
@Command(name = "list", description = {
    "List a database's backups, oldest first (automatic ones are hourly and kept a day; manual ones until deleted).",
    "With --json, prints [{\"id\",\"created_at\",\"num_tables\",\"size\",\"state\"}]."})
final class BackupListCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Override
    public Integer call() {
        List<BackupInfo> backups;
        try (ReadOnlyDatabase db = Databases.openForReading(existing(name))) {
            backups = db.backups().list();
        }
        if (json) {
            printJson(Json.backups(backups));
            return 0;
        }
        Renderer r = renderer();
        if (backups.isEmpty()) {
            r.line("No backups of '" + name + "'. Take one with: chronolog backup create " + name);
            r.flush();
            return 0;
        }
        List<List<String>> body = new ArrayList<>();
        for (BackupInfo b : backups) {
            body.add(List.of(b.id(), Renderer.time(b.createdAt()), b.automatic() ? "automatic" : "manual",
                    Renderer.count(b.numTables()), Renderer.size(b.size()), b.state()));
        }
        r.table(List.of("id", "created at", "kind", "tables", "size", "state"), body);
        r.flush();
        return 0;
    }
}
