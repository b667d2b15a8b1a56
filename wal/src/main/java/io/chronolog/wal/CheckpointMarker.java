package io.chronolog.wal;

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
    public static final int VERSION = 1;
    private static final int SIZE = 1 + 8 + 8 + 16;

    public CheckpointMarker {
        if (number < 1 || position < 0) {
            throw new IllegalArgumentException("checkpoint marker needs number >= 1 and position >= 0: " + number + ", " + position);
        }
        if (contentDigest == null || contentDigest.length != 16) {
            throw new IllegalArgumentException("content digest must be 16 bytes");
        }
        contentDigest = contentDigest.clone();
    }

    @Override
    public byte[] contentDigest() {
        return contentDigest.clone();
    }

    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).put((byte) VERSION).putLong(number).putLong(position).put(contentDigest).array();
    }

    public static CheckpointMarker decode(byte[] payload) throws CorruptFrameException {
        if (payload == null || payload.length != SIZE) {
            throw new CorruptFrameException("checkpoint marker payload: expected=" + SIZE + " bytes actual="
                    + (payload == null ? "none" : payload.length + " bytes"));
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        int version = b.get() & 0xFF;
        if (version != VERSION) {
            throw new CorruptFrameException("unsupported checkpoint marker version: expected=" + VERSION + " actual=" + version);
        }
        long number = b.getLong();
        long position = b.getLong();
        byte[] digest = new byte[16];
        b.get(digest);
        try {
            return new CheckpointMarker(number, position, digest);
        } catch (IllegalArgumentException e) {
            throw new CorruptFrameException("checkpoint marker: " + e.getMessage());
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
