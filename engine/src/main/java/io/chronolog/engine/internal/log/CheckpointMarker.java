package io.chronolog.engine.internal.log;

import io.chronolog.wal.CorruptFrameException;
import io.chronolog.wal.FrameKind;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The payload of a {@link FrameKind#CHECKPOINT} frame: checkpoint {@code number} holds the state
 * after frame {@code position}, and {@code contentDigest} is the digest of that state's user
 * content. Frames after the marker count their offset from {@code position}.
 *
 * <p>On disk: version u8 (1), number i64, position i64, content digest 16 bytes (docs/FORMAT.md,
 * "Marker payloads"). Immutable.
 */
public record CheckpointMarker(long number, long position, byte[] contentDigest) {
    /** The payload version written; readers accept {@code 1..1}. Kept equal to docs/FORMAT.md by {@code FormatDocTest}. */
    public static final int VERSION = 1;
    private static final int SIZE = 1 + 8 + 8 + 16;

    /** Largest checkpoint number: frames carry it as an unsigned 32-bit field. */
    public static final long MAX_NUMBER = 0xFFFF_FFFFL;

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException naming the field: {@code number} outside {@code 1..}{@value #MAX_NUMBER},
     *     negative {@code position}, or a digest that is not 16 bytes
     */
    public CheckpointMarker {
        if (number < 1 || number > MAX_NUMBER) {
            throw new IllegalArgumentException("checkpoint number out of range: expected=1.." + MAX_NUMBER + " actual=" + number);
        }
        if (position < 0) {
            throw new IllegalArgumentException("checkpoint position out of range: expected>=0 actual=" + position);
        }
        contentDigest = MarkerPayloads.digest(contentDigest);
    }

    @Override
    public byte[] contentDigest() {
        return contentDigest.clone();
    }

    /** The payload bytes, as laid out in docs/FORMAT.md ("Marker payloads"). */
    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).put((byte) VERSION).putLong(number).putLong(position).put(contentDigest).array();
    }

    /**
     * Reads a payload written by {@link #encode()}.
     *
     * @throws CorruptFrameException naming the problem: wrong length, a version other than {@value #VERSION},
     *     or a field out of range
     */
    public static CheckpointMarker decode(byte[] payload) throws CorruptFrameException {
        ByteBuffer b = MarkerPayloads.open(payload, SIZE, VERSION, "checkpoint marker");
        long number = b.getLong();
        long position = b.getLong();
        byte[] digest = MarkerPayloads.readDigest(b);
        try {
            return new CheckpointMarker(number, position, digest);
        } catch (IllegalArgumentException e) {
            throw new CorruptFrameException("checkpoint marker: " + e.getMessage(), null, 0L, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointMarker m && m.number == number && m.position == position
                && Arrays.equals(m.contentDigest, contentDigest);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(number) * 31 + Long.hashCode(position) * 17 + Arrays.hashCode(contentDigest);
    }

    @Override
    public String toString() {
        return "CheckpointMarker[number=" + number + ", position=" + position + "]";
    }

}
