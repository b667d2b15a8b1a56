package io.chronolog.engine.internal.log;

import io.chronolog.engine.Bookmark;
import io.chronolog.wal.Frame;
import io.chronolog.wal.Hash128;
import java.util.Objects;

/**
 * The one conversion between the log's frames and the API's {@link Bookmark}: a bookmark is a
 * frame's epoch, checkpoint, offset and chain hash. Stateless.
 */
public final class Frames {
    private Frames() {
    }

    /** The bookmark naming {@code frame}. */
    public static Bookmark bookmark(Frame frame) {
        return bookmark(frame.epoch(), frame.checkpoint(), frame.offset(), frame.hash());
    }

    /**
     * The bookmark with these fields.
     *
     * @throws IllegalArgumentException if {@code checkpoint} or {@code offset} is not an unsigned 32-bit value
     */
    public static Bookmark bookmark(int epoch, long checkpoint, long offset, Hash128 hash) {
        Objects.requireNonNull(hash, "hash");
        return new Bookmark(epoch, checkpoint, offset, hash.hi(), hash.lo());
    }

    /** The chain hash a bookmark names, as the log holds it. */
    public static Hash128 hash(Bookmark bookmark) {
        return new Hash128(bookmark.hashHi(), bookmark.hashLo());
    }
}
