package io.chronolog.engine;

/**
 * The log could not take a frame because its disk is full. The write was rolled back and not
 * acknowledged; everything acknowledged before is intact, and writes succeed again once space is
 * freed.
 */
public class DiskFullException extends ChronologException {
    private static final long serialVersionUID = 1L;

    public DiskFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
