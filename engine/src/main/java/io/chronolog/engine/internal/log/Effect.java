package io.chronolog.engine.internal.log;

/**
 * What one statement did when it first ran: rows changed and the connection's last row id
 * afterwards.
 *
 * <p>On disk it is two big-endian i64 fields after each statement of a {@link StatementBatch}
 * payload. Immutable and thread-safe. Invariant: {@code changes >= 0}.
 *
 * @param changes   rows inserted, updated or deleted by the statement (SQLite's {@code changes()})
 * @param lastRowId SQLite's {@code last_insert_rowid()} after the statement
 */
public record Effect(long changes, long lastRowId) {
    /** Validates the fields. */
    public Effect {
        if (changes < 0) {
            throw new IllegalArgumentException("effect changes must be >= 0: actual=" + changes);
        }
    }
}
