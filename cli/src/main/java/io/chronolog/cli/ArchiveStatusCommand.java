package io.chronolog.cli;

import io.chronolog.engine.ArchiveStatus;
import io.chronolog.engine.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog archive status DB}: how far the archive is behind the database's log, what it
 * holds, the disk the lag costs here, the last error, and whether another writer fenced this one.
 * Reports what the shipper knows; makes no request of its own.
 */
@Command(name = "status", description = {
    "Show how far a database's archive is behind its log, what it holds, the last error, and whether this copy is fenced.",
    "With --json, prints {\"name\",\"url\",\"archived\",\"lag_frames\",\"lag_bytes\",\"lag_seconds\",\"objects\",\"bytes_stored\","
        + "\"unarchived_local_bytes\",\"last_error\",\"fenced\",\"writer\"}."})
final class ArchiveStatusCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Override
    public Integer call() {
        ArchiveStatus status;
        try (Database db = Databases.openForWriting(existing(name))) {
            status = db.archiveStatus();
        }
        if (json) {
            printJson(Json.archiveStatus(name, status));
            return 0;
        }
        Renderer r = renderer();
        r.line("Archive of '" + name + "':");
        r.archiveStatus(status);
        r.flush();
        return 0;
    }
}
