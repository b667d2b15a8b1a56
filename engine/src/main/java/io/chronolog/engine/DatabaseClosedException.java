package io.chronolog.engine;

/** The database was closed, or stopped writing after a failure it names, before the call could run. */
public class DatabaseClosedException extends ChronologException {
    private static final long serialVersionUID = 1L;

    public DatabaseClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
