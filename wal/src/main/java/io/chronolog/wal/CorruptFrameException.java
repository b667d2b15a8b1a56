package io.chronolog.wal;

import java.io.IOException;

/**
 * Bytes of the log are not what was written: a frame or payload that fails to decode, a chain
 * hash that does not match, a gap in positions, or entries the queue cannot reach.
 *
 * <p>It puts nothing on disk. Instances are not shared between threads. The message has the shape
 * {@code what failed: expected=x actual=y (file=..., position=...)}; {@link #file()} and
 * {@link #position()} carry the same facts as fields.
 */
public class CorruptFrameException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String problem;
    private final String file;
    private final long position;

    /** A decoding problem with no file or position known yet. */
    public CorruptFrameException(String problem) {
        this(problem, null, 0L, null);
    }

    /**
     * A problem in {@code file} at frame {@code position}.
     *
     * @param problem  what failed, with expected and actual values
     * @param file     the cycle file, or null if unknown
     * @param position the frame position, or 0 if unknown
     * @param cause    the underlying failure, or null
     */
    public CorruptFrameException(String problem, String file, long position, Throwable cause) {
        super(problem + " (file=" + (file == null ? "?" : file) + ", position=" + (position == 0 ? "?" : Long.toString(position)) + ")", cause);
        this.problem = problem;
        this.file = file;
        this.position = position;
    }

    /** The same problem, located in {@code file} at {@code position}; this exception becomes the cause. */
    public CorruptFrameException locate(String file, long position) {
        return new CorruptFrameException(problem, file, position, this);
    }

    /** What failed, without the location. */
    public String problem() {
        return problem;
    }

    /** The cycle file, or null if unknown. */
    public String file() {
        return file;
    }

    /** The frame position, or 0 if unknown. */
    public long position() {
        return position;
    }
}
