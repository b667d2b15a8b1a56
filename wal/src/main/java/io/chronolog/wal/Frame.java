package io.chronolog.wal;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of the log: a position, where it sits relative to checkpoints, when it was committed,
 * what it records and the chain hash that seals it and everything before it.
 *
 * <p>On disk it is one Chronicle Queue excerpt in the layout {@link FrameCodec} owns (see
 * {@code docs/FORMAT.md}). Immutable and thread-safe (the payload is copied in and out).
 * Invariants: {@code position >= 1}; {@code epoch >= 0}; {@code checkpoint} and {@code offset} are
 * unsigned 32-bit values; {@code hash = h(position) = H(h(position-1) || frame bytes)}.
 *
 * @param position   global position, gap-free from 1
 * @param epoch      restore generation
 * @param checkpoint checkpoint number this frame follows, {@code 0..0xffffffff}
 * @param offset     frames since that checkpoint, {@code 0..0xffffffff}
 * @param timestamp  commit time in epoch milliseconds, never decreasing along the log
 * @param kind       what the payload holds
 * @param payload    the frame's payload bytes
 * @param hash       chain hash {@code h(position)}
 */
public record Frame(long position, int epoch, long checkpoint, long offset, long timestamp,
                    FrameKind kind, byte[] payload, Hash128 hash) {

    /** Validates the fields and copies the payload. */
    public Frame {
        if (position < 1) {
            throw new IllegalArgumentException("frame position must be >= 1: actual=" + position);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("frame epoch must be >= 0: actual=" + epoch);
        }
        if (checkpoint < 0 || checkpoint > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("frame checkpoint out of range: expected=0..4294967295 actual=" + checkpoint);
        }
        if (offset < 0 || offset > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("frame offset out of range: expected=0..4294967295 actual=" + offset);
        }
        if (timestamp < 0) {
            throw new IllegalArgumentException("frame timestamp must be >= 0: actual=" + timestamp);
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(hash, "hash");
        payload = payload.clone();
    }

    /** A copy of the payload bytes. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload itself, not a copy: for the codec only, which never modifies it. */
    byte[] payloadView() {
        return payload;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f
                && position == f.position && epoch == f.epoch && checkpoint == f.checkpoint
                && offset == f.offset && timestamp == f.timestamp && kind == f.kind
                && Arrays.equals(payload, f.payload) && hash.equals(f.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(position, epoch, checkpoint, offset, timestamp, kind, Arrays.hashCode(payload), hash);
    }

    @Override
    public String toString() {
        return "Frame[position=" + position + ", epoch=" + epoch + ", checkpoint=" + checkpoint + ", offset=" + offset
                + ", timestamp=" + timestamp + ", kind=" + kind + ", payload=" + payload.length + " bytes, hash="
                + hash.toHex() + "]";
    }
}
