package io.chronolog.engine;

/**
 * A bookmark or a point in time cannot be used with this database: malformed text, a position the
 * log does not have, a hash that does not match the log there, or a time outside the history.
 */
public class BookmarkException extends ChronologException {
    private static final long serialVersionUID = 1L;

    public BookmarkException(String message) {
        super(message);
    }

    public BookmarkException(String message, Throwable cause) {
        super(message, cause);
    }
}
