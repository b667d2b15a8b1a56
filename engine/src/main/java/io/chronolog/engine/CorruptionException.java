package io.chronolog.engine;

import java.nio.file.Path;

/**
 * A file does not hold what it claims: a frame fails its chain hash, the live file is ahead of the
 * log, or a replayed frame does not reproduce its recorded effect. Carries the file and the log
 * position involved (0 when not known). After one, the database refuses writes until reopened.
 */
public class CorruptionException extends ChronologException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long position;

    public CorruptionException(String message, Path file, long position, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.position = position;
    }

    public Path file() {
        return file;
    }

    public long position() {
        return position;
    }
}
