package io.chronolog.engine;

import java.util.List;

/**
 * Receives a read's rows one at a time, as SQLite produces them ({@link Database#query(Statement,
 * RowConsumer)}, {@link Database#execute(Statement, RowConsumer)}): memory stays bounded whatever
 * the size of the result, as long as the consumer does not keep the rows.
 *
 * <p>Called on the caller's thread, while the read holds one reader connection: a consumer that
 * blocks keeps that connection (and holds back a restore) until it returns. Time spent in the
 * consumer does not count against {@link Options#statementTimeout()}. An exception it throws
 * stops the read and is thrown to the caller as it is.
 */
@FunctionalInterface
public interface RowConsumer {
    /** Called once, before any row: the result's column names (empty for a statement that returns no rows). */
    default void columns(List<String> names) {
    }

    /** Called for each row, in order. */
    void row(Row row);
}
