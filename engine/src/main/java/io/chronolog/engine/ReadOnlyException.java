package io.chronolog.engine;

/** A write, restore, checkpoint or other change asked of a database opened with {@link Database#openReadOnly}. */
public class ReadOnlyException extends ChronologException {
    private static final long serialVersionUID = 1L;

    public ReadOnlyException(String message) {
        super(message);
    }
}
