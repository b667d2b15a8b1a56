package io.chronolog.engine;

/** Another process (or another open {@link Database} in this one) holds the database's {@code LOCK}. */
public class DatabaseInUseException extends ChronologException {
    private static final long serialVersionUID = 1L;

    public DatabaseInUseException(String message) {
        super(message);
    }
}
