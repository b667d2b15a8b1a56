package io.chronolog.engine;

/**
 * SQLite refused or failed a statement. The transaction was rolled back and nothing was logged;
 * {@link #statement()} is the statement that failed.
 */
public class SqlException extends ChronologException {
    private static final long serialVersionUID = 1L;
    private final transient Statement statement;

    public SqlException(String message, Statement statement, Throwable cause) {
        super(message, cause);
        this.statement = statement;
    }

    public Statement statement() {
        return statement;
    }
}
