package io.chronolog.bench;

/**
 * One side of a comparison: a fresh database in its own directory that takes single-row
 * {@code INSERT INTO t(k, v) VALUES (?, ?)} in autocommit. Implementations say whether
 * {@link #insert} may be called from several threads at once.
 */
interface InsertTarget extends AutoCloseable {
    /** Inserts one row and returns once it is acknowledged at the side's durability. */
    void insert(String k, long v) throws Exception;

    /** Rows in {@code t}, read back for the benchmark's own check. */
    long count() throws Exception;

    /** Side-specific counters for the report (e.g. commits per sync); empty when there are none. */
    default String notes() {
        return "";
    }

    @Override
    void close() throws Exception;
}
