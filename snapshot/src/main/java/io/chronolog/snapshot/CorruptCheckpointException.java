package io.chronolog.snapshot;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file or the catalogue is not what was written: wrong magic, unsupported version,
 * a checksum that does not match, a truncated or overlong file, a header that disagrees with the
 * catalogue, or a file that is gone.
 *
 * <p>It puts nothing on disk. Instances are immutable. The message has the shape
 * {@code what failed: expected=x actual=y (file=..., offset=...)}; {@link #file()} and
 * {@link #offset()} carry the same facts as fields. The offset is a byte offset inside
 * {@link #file()}, or {@code -1} when the failure has no single place (a checksum over the whole
 * image, a missing file).
 */
public class CorruptCheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The value of {@link #offset()} when no byte offset is known. */
    public static final long UNKNOWN_OFFSET = -1L;

    private final String problem;
    private final transient Path file;
    private final long offset;

    /**
     * @param problem what failed, with expected and actual values
     * @param file    the checkpoint or catalogue file
     * @param offset  byte offset in {@code file}, or {@link #UNKNOWN_OFFSET}
     * @param cause   the underlying failure, or null
     */
    public CorruptCheckpointException(String problem, Path file, long offset, Throwable cause) {
        super(problem + " (file=" + file + ", offset=" + (offset < 0 ? "?" : Long.toString(offset)) + ")", cause);
        this.problem = problem;
        this.file = file;
        this.offset = offset < 0 ? UNKNOWN_OFFSET : offset;
    }

    /** As {@link #CorruptCheckpointException(String, Path, long, Throwable)} without a cause. */
    public CorruptCheckpointException(String problem, Path file, long offset) {
        this(problem, file, offset, null);
    }

    /** What failed, without the location. */
    public String problem() {
        return problem;
    }

    /** The file that failed its checks. */
    public Path file() {
        return file;
    }

    /** Byte offset in {@link #file()} where the failure was found, or {@link #UNKNOWN_OFFSET}. */
    public long offset() {
        return offset;
    }
}
