package io.chronolog.cli;

import io.chronolog.engine.LoggedWrite;
import io.chronolog.engine.CheckpointInfo;
import io.chronolog.engine.ReadableDatabase;
import io.chronolog.engine.Bookmark;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What {@code chronolog info} shows about one database, read in one go. {@code size} is the live
 * SQLite file's bytes, {@code walBytes} the log's, {@code checkpoints} the plain checkpoints the
 * catalogue holds (backups counted apart). Immutable.
 */
record DatabaseInfo(String name, Path directory, long size, int numTables, Bookmark bookmark, long checkpoints,
        long walBytes, long backups, long restores, Instant lastWrite, long retentionDays) {

    static DatabaseInfo of(ReadableDatabase db) {
        List<CheckpointInfo> all = db.checkpoints();
        long backups = all.stream().filter(c -> c.kind().isBackup()).count();
        List<LoggedWrite> last = db.writes(null, null, 1);
        return new DatabaseInfo(db.name(), db.directory(), db.liveBytes(), db.tableCount(), db.bookmark(),
                all.size() - backups, db.logBytes(), backups, db.history().size(),
                last.isEmpty() ? null : last.get(0).timestamp(), db.options().retention().toDays());
    }
}
