package io.chronolog.wal;

import java.io.IOException;

/**
 * An append failed because the file system ran out of space; nothing was appended.
 *
 * <p>It puts nothing on disk; frames appended before it are intact and a later append succeeds
 * once space is freed. Instances are not shared between threads.
 */
public class LogFullException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with its message and the underlying failure. */
    public LogFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
