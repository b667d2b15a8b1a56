package io.chronolog.engine.internal.log;

import io.chronolog.wal.CorruptFrameException;
import java.nio.ByteBuffer;

/**
 * What the marker payloads ({@link CheckpointMarker}, {@link RestoreMarker}) share: a fixed size,
 * a leading version byte, and a 16-byte content digest. Stateless.
 */
final class MarkerPayloads {
    static final int DIGEST_BYTES = 16;

    private MarkerPayloads() {
    }

    /** A defensive copy of a content digest after checking its length. */
    static byte[] digest(byte[] contentDigest) {
        if (contentDigest == null || contentDigest.length != DIGEST_BYTES) {
            throw new IllegalArgumentException("content digest length: expected=" + DIGEST_BYTES + " actual="
                    + (contentDigest == null ? "none" : contentDigest.length));
        }
        return contentDigest.clone();
    }

    /** The payload positioned after its version byte, once its size and version are checked. */
    static ByteBuffer open(byte[] payload, int size, int version, String what) throws CorruptFrameException {
        if (payload == null || payload.length != size) {
            throw new CorruptFrameException(what + " payload: expected=" + size + " bytes actual="
                    + (payload == null ? "none" : payload.length + " bytes"));
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        int found = b.get() & 0xFF;
        if (found != version) {
            throw new CorruptFrameException("unsupported " + what + " version: expected=" + version + " actual=" + found);
        }
        return b;
    }

    /** The next 16 bytes as a digest. */
    static byte[] readDigest(ByteBuffer b) {
        byte[] digest = new byte[DIGEST_BYTES];
        b.get(digest);
        return digest;
    }
}
