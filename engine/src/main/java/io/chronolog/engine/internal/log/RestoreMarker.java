package io.chronolog.engine.internal.log;

import io.chronolog.engine.Bookmark;
import io.chronolog.wal.CorruptFrameException;
import io.chronolog.wal.FrameKind;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The payload of a {@link FrameKind#RESTORE} frame, which opens a new epoch: the database now holds
 * the state at {@code target}; {@code previous} is the bookmark just before the restore (its undo);
 * checkpoint {@code checkpoint} holds the restored state and is the new epoch's first checkpoint;
 * {@code contentDigest} is that state's digest. Replaying this frame loads that checkpoint.
 *
 * <p>On disk: version u8 (1), target bookmark (epoch u32, checkpoint u32, offset u32, hash 16),
 * previous bookmark (the same 28 bytes), checkpoint i64, content digest 16 bytes (docs/FORMAT.md,
 * "Marker payloads"). Immutable.
 */
public record RestoreMarker(Bookmark target, Bookmark previous, long checkpoint, byte[] contentDigest) {
    /** The payload version written; readers accept {@code 1..1}. Kept equal to docs/FORMAT.md by {@code FormatDocTest}. */
    public static final int VERSION = 1;
    private static final int BOOKMARK = 4 + 4 + 4 + 16;
    private static final int SIZE = 1 + 2 * BOOKMARK + 8 + 16;

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException naming the field: a bookmark with a negative epoch (frames
     *     carry epochs {@code 0..2^31-1}), {@code checkpoint} outside {@code 1..}{@value CheckpointMarker#MAX_NUMBER},
     *     or a digest that is not 16 bytes
     */
    public RestoreMarker {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(previous, "previous");
        if (target.epoch() < 0) {
            throw new IllegalArgumentException("target epoch out of range: expected=0..2147483647 actual="
                    + Integer.toUnsignedString(target.epoch()));
        }
        if (previous.epoch() < 0) {
            throw new IllegalArgumentException("previous epoch out of range: expected=0..2147483647 actual="
                    + Integer.toUnsignedString(previous.epoch()));
        }
        if (checkpoint < 1 || checkpoint > CheckpointMarker.MAX_NUMBER) {
            throw new IllegalArgumentException("restore checkpoint out of range: expected=1.." + CheckpointMarker.MAX_NUMBER
                    + " actual=" + checkpoint);
        }
        contentDigest = MarkerPayloads.digest(contentDigest);
    }

    @Override
    public byte[] contentDigest() {
        return contentDigest.clone();
    }

    /** The payload bytes, as laid out in docs/FORMAT.md ("Marker payloads"). */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).put((byte) VERSION);
        put(b, target);
        put(b, previous);
        return b.putLong(checkpoint).put(contentDigest).array();
    }

    /**
     * Reads a payload written by {@link #encode()}.
     *
     * @throws CorruptFrameException naming the problem: wrong length, a version other than {@value #VERSION},
     *     or a field out of range
     */
    public static RestoreMarker decode(byte[] payload) throws CorruptFrameException {
        ByteBuffer b = MarkerPayloads.open(payload, SIZE, VERSION, "restore marker");
        try {
            Bookmark target = get(b);
            Bookmark previous = get(b);
            long checkpoint = b.getLong();
            byte[] digest = MarkerPayloads.readDigest(b);
            return new RestoreMarker(target, previous, checkpoint, digest);
        } catch (IllegalArgumentException e) {
            throw new CorruptFrameException("restore marker: " + e.getMessage(), null, 0L, e);
        }
    }

    private static void put(ByteBuffer b, Bookmark m) {
        b.putInt(m.epoch()).putInt((int) m.checkpoint()).putInt((int) m.offset()).putLong(m.hashHi()).putLong(m.hashLo());
    }

    private static Bookmark get(ByteBuffer b) {
        int epoch = b.getInt();
        long checkpoint = Integer.toUnsignedLong(b.getInt());
        long offset = Integer.toUnsignedLong(b.getInt());
        long hashHi = b.getLong();
        long hashLo = b.getLong();
        return new Bookmark(epoch, checkpoint, offset, hashHi, hashLo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RestoreMarker m && m.target.equals(target) && m.previous.equals(previous)
                && m.checkpoint == checkpoint && Arrays.equals(m.contentDigest, contentDigest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, previous, checkpoint) * 31 + Arrays.hashCode(contentDigest);
    }

    @Override
    public String toString() {
        return "RestoreMarker[target=" + target + ", previous=" + previous + ", checkpoint=" + checkpoint + "]";
    }
}
