package io.chronolog.cli;

import io.chronolog.engine.Database;
import io.chronolog.engine.ReadOnlyDatabase;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chronolog info DB}: size, tables, bookmark, epoch, checkpoints, log size, backups, restores. */
@Command(name = "info", description = {
    "Show a database's size, tables, current bookmark and epoch, checkpoints, log size, backups and restores.",
    "With --json, prints {\"name\",\"size\",\"num_tables\",\"bookmark\",\"epoch\",\"checkpoints\",\"wal_bytes\",...}."})
final class InfoCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Override
    public Integer call() {
        DatabaseInfo info;
        try (ReadOnlyDatabase db = Databases.openForReading(existing(name))) {
            info = DatabaseInfo.of(db);
        }
        if (json) {
            printJson(Json.info(info));
            return 0;
        }
        Renderer r = renderer();
        r.details(List.of(
                List.of("name", info.name()),
                List.of("directory", info.directory().toString()),
                List.of("bookmark", Renderer.bookmark(info.bookmark())),
                List.of("epoch", Long.toString(info.bookmark().epoch() & 0xFFFF_FFFFL)),
                List.of("tables", Renderer.count(info.numTables())),
                List.of("database size", Renderer.size(info.size())),
                List.of("log size", Renderer.size(info.walBytes())),
                List.of("checkpoints", Renderer.count(info.checkpoints())),
                List.of("backups", Renderer.count(info.backups())),
                List.of("restores", Renderer.count(info.restores())),
                List.of("last write", info.lastWrite() == null ? "(none)" : Renderer.time(info.lastWrite())),
                List.of("time travel reaches back", Renderer.plural(info.retentionDays(), "day", "days"))));
        r.flush();
        return 0;
    }
}
