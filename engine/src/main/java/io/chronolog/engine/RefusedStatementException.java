package io.chronolog.engine;

/**
 * The engine refused a statement before running it: it could not be replayed identically (storage
 * PRAGMAs, ATTACH, VACUUM, user transaction control, temporary objects, the time zone), it touches
 * the engine's own tables, or it exceeds a limit in {@link Options}. Nothing ran, nothing was logged.
 */
public class RefusedStatementException extends SqlException {
    private static final long serialVersionUID = 1L;

    public RefusedStatementException(String message, Statement statement) {
        super(message, statement, null);
    }
}
