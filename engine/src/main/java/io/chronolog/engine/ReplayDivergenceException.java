package io.chronolog.engine;

import java.nio.file.Path;

/**
 * Replaying a frame did not do what the frame recorded (rows changed, last row id, or an error
 * where the first run succeeded). Replay stops at that frame; nothing after it is applied.
 */
public class ReplayDivergenceException extends CorruptionException {
    private static final long serialVersionUID = 1L;

    public ReplayDivergenceException(String message, Path file, long position, Throwable cause) {
        super(message, file, position, cause);
    }
}
