package io.chronolog.engine;

/**
 * A bookmark's text is not of the form {@code EEEEEEEE-CCCCCCCC-OOOOOOOO-<32 hex>}; the message says
 * which rule was broken and quotes the (truncated) input.
 *
 * <p>It puts nothing on disk. Instances are not shared between threads.
 */
public class MalformedBookmarkException extends BookmarkException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with its message. */
    public MalformedBookmarkException(String message) {
        super(message);
    }
}
