package io.chronolog.wal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Owns the bytes of a frame: encodes, decodes and chains them; no other class parses a frame.
 *
 * <p>What it puts on disk: each frame is one Chronicle excerpt laid out as
 * {@code magic u32 | version u16 | kind u8 | flags u8 | position i64 | epoch u32 | checkpoint u32 |
 * offset u32 | timestamp i64 | payloadLength u32 | payload | hash 16 bytes}, big-endian (see
 * {@code docs/FORMAT.md}). Stateless and thread-safe. Invariant: {@code decode(encode(f)).equals(f)}
 * and the hash field equals {@code chain(h(position-1), fields)} for every frame the log accepts.
 */
public final class FrameCodec {

    /** {@code "CLGF"}: the first four bytes of every frame. */
    public static final int MAGIC = 0x434C4746;

    /** The version this code writes. */
    public static final int VERSION = 1;

    /** The oldest version this code reads. */
    public static final int MIN_VERSION = 1;

    /** Bytes before the payload. */
    public static final int HEADER_BYTES = 40;

    /** Bytes of a frame with an empty payload: header plus hash. */
    public static final int OVERHEAD_BYTES = HEADER_BYTES + Hash128.BYTES;

    private FrameCodec() {
    }

    /** The full entry bytes of {@code f}, including its hash as carried by the frame. */
    public static byte[] encode(Frame f) {
        Objects.requireNonNull(f, "frame");
        byte[] payload = f.payloadView();
        byte[] out = new byte[OVERHEAD_BYTES + payload.length];
        writeHeader(out, f.position(), f.epoch(), f.checkpoint(), f.offset(), f.timestamp(), f.kind(), payload.length);
        System.arraycopy(payload, 0, out, HEADER_BYTES, payload.length);
        f.hash().writeTo(out, HEADER_BYTES + payload.length);
        return out;
    }

    /**
     * Decodes one entry.
     *
     * @throws CorruptFrameException naming the problem: truncated input, bad magic, unsupported
     *     version, unknown flags or kind, out-of-range fields, a payload length that overruns the
     *     entry, or trailing bytes after the hash
     */
    public static Frame decode(byte[] bytes) throws CorruptFrameException {
        if (bytes == null) {
            throw new CorruptFrameException("frame is null");
        }
        if (bytes.length < 4) {
            throw new CorruptFrameException("truncated frame: expected>=" + OVERHEAD_BYTES + " bytes actual=" + bytes.length);
        }
        int magic = readInt(bytes, 0);
        if (magic != MAGIC) {
            throw new CorruptFrameException("bad frame magic: expected=0x" + Integer.toHexString(MAGIC)
                    + " actual=0x" + Integer.toHexString(magic));
        }
        if (bytes.length < OVERHEAD_BYTES) {
            throw new CorruptFrameException("truncated frame: expected>=" + OVERHEAD_BYTES + " bytes actual=" + bytes.length);
        }
        int version = readShort(bytes, 4);
        if (version < MIN_VERSION || version > VERSION) {
            throw new CorruptFrameException("unsupported frame version: expected=" + MIN_VERSION + ".." + VERSION
                    + " actual=" + version);
        }
        int kindCode = bytes[6] & 0xFF;
        FrameKind kind;
        try {
            kind = FrameKind.fromCode(kindCode);
        } catch (IllegalArgumentException e) {
            throw new CorruptFrameException("unknown frame kind: expected=1..3 actual=" + kindCode);
        }
        int flags = bytes[7] & 0xFF;
        if (flags != 0) {
            throw new CorruptFrameException("unknown frame flags: expected=0x0 actual=0x" + Integer.toHexString(flags));
        }
        long position = readLong(bytes, 8);
        if (position < 1) {
            throw new CorruptFrameException("frame position out of range: expected>=1 actual=" + position);
        }
        long epoch = readInt(bytes, 16) & 0xFFFF_FFFFL;
        if (epoch > Integer.MAX_VALUE) {
            throw new CorruptFrameException("frame epoch out of range: expected<=" + Integer.MAX_VALUE + " actual=" + epoch);
        }
        long checkpoint = readInt(bytes, 20) & 0xFFFF_FFFFL;
        long offset = readInt(bytes, 24) & 0xFFFF_FFFFL;
        long timestamp = readLong(bytes, 28);
        if (timestamp < 0) {
            throw new CorruptFrameException("frame timestamp out of range: expected>=0 actual=" + timestamp);
        }
        long payloadLength = readInt(bytes, 36) & 0xFFFF_FFFFL;
        long available = bytes.length - (long) OVERHEAD_BYTES;
        if (payloadLength > available) {
            throw new CorruptFrameException("payload length overruns the frame: expected<=" + available
                    + " actual=" + payloadLength);
        }
        if (payloadLength < available) {
            throw new CorruptFrameException("trailing bytes after the frame hash: expected length="
                    + (OVERHEAD_BYTES + payloadLength) + " actual=" + bytes.length);
        }
        byte[] payload = new byte[(int) payloadLength];
        System.arraycopy(bytes, HEADER_BYTES, payload, 0, payload.length);
        Hash128 hash = Hash128.fromBytes(bytes, HEADER_BYTES + payload.length);
        return new Frame(position, (int) epoch, checkpoint, offset, timestamp, kind, payload, hash);
    }

    /**
     * The chain hash {@code h(n)} of a frame with these fields whose predecessor hash is
     * {@code previous}: the first 16 bytes of SHA-256(previous || frame bytes up to the hash field).
     */
    public static Hash128 chain(Hash128 previous, long position, int epoch, long checkpoint, long offset,
                                long timestamp, FrameKind kind, byte[] payload) {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
        byte[] header = new byte[HEADER_BYTES];
        writeHeader(header, position, epoch, checkpoint, offset, timestamp, kind, payload.length);
        MessageDigest md = sha256();
        md.update(previous.toBytes());
        md.update(header);
        md.update(payload);
        return Hash128.fromBytes(md.digest(), 0);
    }

    /** The chain hash of {@code f}'s fields (ignoring the hash it carries) after {@code previous}. */
    public static Hash128 chain(Hash128 previous, Frame f) {
        return chain(previous, f.position(), f.epoch(), f.checkpoint(), f.offset(), f.timestamp(), f.kind(), f.payloadView());
    }

    /** The chain hash of an encoded entry after {@code previous}, hashing the entry's bytes as stored. */
    static Hash128 chainEncoded(Hash128 previous, byte[] entry) {
        MessageDigest md = sha256();
        md.update(previous.toBytes());
        md.update(entry, 0, entry.length - Hash128.BYTES);
        return Hash128.fromBytes(md.digest(), 0);
    }

    private static void writeHeader(byte[] out, long position, int epoch, long checkpoint, long offset,
                                    long timestamp, FrameKind kind, int payloadLength) {
        writeInt(out, 0, MAGIC);
        out[4] = (byte) (VERSION >>> 8);
        out[5] = (byte) VERSION;
        out[6] = (byte) kind.code();
        out[7] = 0;
        writeLong(out, 8, position);
        writeInt(out, 16, epoch);
        writeInt(out, 20, (int) checkpoint);
        writeInt(out, 24, (int) offset);
        writeLong(out, 28, timestamp);
        writeInt(out, 36, payloadLength);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    static int readShort(byte[] b, int o) {
        return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
    }

    static int readInt(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    static long readLong(byte[] b, int o) {
        return ((long) readInt(b, o) << 32) | (readInt(b, o + 4) & 0xFFFF_FFFFL);
    }

    static void writeInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    static void writeLong(byte[] b, int o, long v) {
        writeInt(b, o, (int) (v >>> 32));
        writeInt(b, o + 4, (int) v);
    }
}
