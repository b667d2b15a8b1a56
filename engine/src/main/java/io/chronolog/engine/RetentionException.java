package io.chronolog.engine;

/** A bookmark or a time older than the retention window: that history is no longer kept. */
public class RetentionException extends BookmarkException {
    private static final long serialVersionUID = 1L;

    public RetentionException(String message) {
        super(message);
    }
}
