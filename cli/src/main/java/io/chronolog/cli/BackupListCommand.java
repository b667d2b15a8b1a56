package io.chronolog.cli;

import io.chronolog.engine.Archives;
import io.chronolog.engine.BackupInfo;
import io.chronolog.engine.Database;
import io.chronolog.engine.ReadOnlyDatabase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog backup list DB [--url URL]}: every backup, oldest first; with {@code --url}, the
 * backups the archive holds, from the archive alone (no local database needed).
 */
@Command(name = "list", description = {
    "List a database's backups, oldest first (automatic ones are hourly and kept a day; manual ones until deleted).",
    "With --url, lists the backups an archive holds, with no local database.",
    "With --json, prints [{\"id\",\"created_at\",\"num_tables\",\"size\",\"state\"}]."})
final class BackupListCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Option(names = "--url", paramLabel = "URL", description = "List the backups in this archive (s3://BUCKET[/PREFIX] or file:///PATH).")
    String url;

    @Mixin
    ArchiveLocation location;

    @Override
    public Integer call() {
        List<BackupInfo> backups;
        if (url != null) {
            ChronologCommand.databaseDir(dataDir(), name); // checks the name first
            backups = new ArrayList<>(Archives.backups(location.options(url), name));
            backups.sort(Comparator.comparing(BackupInfo::createdAt).thenComparing(BackupInfo::id)); // oldest first, as below
        } else {
            try (ReadOnlyDatabase db = Databases.openForReading(existing(name))) {
                backups = db.backups().list();
            }
        }
        if (json) {
            printJson(Json.backups(backups));
            return 0;
        }
        Renderer r = renderer();
        if (backups.isEmpty()) {
            r.line(url != null ? "The archive at " + url + " holds no backup of '" + name + "'."
                    : "No backups of '" + name + "'. Take one with: chronolog backup create " + name);
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
