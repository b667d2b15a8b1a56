package io.chronolog.wal;

import java.io.Closeable;
import java.io.IOException;

/**
 * A sequential read of frames from a start position to the log's last position as of
 * {@link FrameLog#readFrom}, verifying the chain as it goes.
 *
 * <p>It puts nothing on disk. Not thread-safe: confined to the thread that called
 * {@link FrameLog#readFrom} (Chronicle tailers are thread-confined); close it when done.
 * Invariant: {@link #next()} returns consecutive positions, each frame's hash chaining from the
 * previous one, then null.
 */
public final class FrameCursor implements Closeable {

    /** Where the cursor's frames come from. */
    interface Source extends Closeable {
        /** The next frame or null at the end. */
        Frame next() throws IOException;

        @Override
        void close();
    }

    private final Source source;
    private boolean closed;

    FrameCursor(Source source) {
        this.source = source;
    }

    /**
     * The next frame, or null after the last one.
     *
     * @throws CorruptFrameException if the frame is damaged or does not chain
     * @throws IllegalStateException if the cursor or its log is closed, or if
     *     {@link FrameLog#pruneBefore} removed the next frame while the cursor was open
     */
    public Frame next() throws IOException {
        if (closed) {
            throw new IllegalStateException("frame cursor is closed");
        }
        return source.next();
    }

    /** Releases the tailer. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            source.close();
        }
    }
}
