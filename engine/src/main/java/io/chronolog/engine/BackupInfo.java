package io.chronolog.engine;

import java.time.Instant;

/**
 * One backup: a named copy of the database at {@code bookmark}, taken at {@code createdAt},
 * holding {@code numTables} user tables, {@code size} bytes on disk (compressed). {@code state} is
 * "complete" or "missing" (its file is gone). Automatic backups are taken hourly and expire after
 * a day; manual ones stay until deleted. Immutable.
 */
public record BackupInfo(String id, Instant createdAt, int numTables, long size, String state, boolean automatic,
        Bookmark bookmark) {
}
