package io.chronolog.engine;

/**
 * A result was larger than {@link Options#maxResultRows()} or {@link Options#maxResultBytes()}
 * allow in memory. Nothing was changed or logged; a read this large can be streamed with
 * {@link Database#query(Statement, RowConsumer)}, which holds one row at a time.
 */
public class ResultTooLargeException extends SqlException {
    private static final long serialVersionUID = 1L;

    public ResultTooLargeException(String message, Statement statement) {
        super(message, statement, null);
    }
}
