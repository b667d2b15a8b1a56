package io.chronolog.engine;

import io.chronolog.engine.internal.sql.StatementDeadline;
import io.chronolog.engine.internal.sql.StatementRunner;

import java.time.Duration;

/**
 * A statement ran longer than {@link Options#statementTimeout()} and SQLite stopped it. A write
 * stopped so changed nothing and logged nothing (it runs before its frame is appended); a read
 * returned nothing more. The database keeps working; {@link #limit()} is the limit it ran into.
 */
public class StatementTimeoutException extends SqlException {
    private static final long serialVersionUID = 1L;
    private final Duration limit;

    public StatementTimeoutException(String message, Statement statement, Duration limit, Throwable cause) {
        super(message, statement, cause);
        this.limit = limit;
    }

    /** The time limit the statement ran into. */
    public Duration limit() {
        return limit;
    }

    /** The one-line message for {@code statement} stopped at {@code limit}; {@code what} is "write" or "query". */
    public static String message(String database, String what, Duration limit, String outcome, Statement statement) {
        return "database " + database + ": " + what + " stopped: it ran longer than the statement time limit of "
                + StatementDeadline.describe(limit) + " (Options.statementTimeout); " + outcome
                + " (sql: " + StatementRunner.abbreviate(statement.sql()) + ")";
    }
}
