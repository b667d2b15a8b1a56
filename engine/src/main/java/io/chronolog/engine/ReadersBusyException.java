package io.chronolog.engine;

/**
 * Every reader connection stayed busy for as long as a read may wait for one
 * ({@link Options#readerWait()}): the read did not run. Retry later, or raise
 * {@link Options#readerConnections()} or {@link Options#readerWait()}.
 */
public class ReadersBusyException extends ChronologException {
    private static final long serialVersionUID = 1L;

    public ReadersBusyException(String message) {
        super(message);
    }
}
