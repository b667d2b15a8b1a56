package io.chronolog.engine.internal.archive;

import io.chronolog.wal.CorruptFrameException;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameCodec;
import io.chronolog.wal.Hash128;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A run of consecutive log frames as one archive object ({@code segments/<first position>.seg},
 * docs/FORMAT.md "Archive segment"): a header naming the first and last position and the chain
 * hash before the first frame, the frames as the log encodes them ({@link FrameCodec}), each with
 * its length, and a CRC-32C of everything before it. Decoding checks the magic, the version, the
 * checksum, that positions run without a gap from first to last, and the hash chain from the
 * anchor through every frame, so a segment proves its frames and links to the one before it. The
 * one owner of this format. Immutable.
 *
 * @param anchor the chain hash of the frame before {@code frames.get(0)} ({@link Hash128#ZERO} before frame 1)
 * @param frames at least one frame, consecutive positions
 */
public record ArchiveSegment(Hash128 anchor, List<Frame> frames) {
    /** {@code "CLAS"}. */
    public static final int MAGIC = 0x434C4153;
    /** Current version of the segment format. */
    public static final int VERSION = 1;
    /** Bytes before the first frame. */
    public static final int HEADER_BYTES = 44;
    /** Bytes of the trailing checksum. */
    public static final int TRAILER_BYTES = 4;

    public ArchiveSegment {
        frames = List.copyOf(frames);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a segment holds at least one frame");
        }
        for (int i = 1; i < frames.size(); i++) {
            if (frames.get(i).position() != frames.get(0).position() + i) {
                throw new IllegalArgumentException("segment frames are not consecutive at " + frames.get(i).position());
            }
        }
    }

    public long firstPosition() {
        return frames.get(0).position();
    }

    public long lastPosition() {
        return frames.get(frames.size() - 1).position();
    }

    /** The object's key under the database's prefix: positions in 20 digits, so keys sort as positions do. */
    public static String key(long firstPosition) {
        return String.format("segments/%020d.seg", firstPosition);
    }

    /** The object's bytes. */
    public byte[] encode() {
        List<byte[]> entries = new ArrayList<>(frames.size());
        int size = HEADER_BYTES + TRAILER_BYTES;
        for (Frame f : frames) {
            byte[] e = FrameCodec.encode(f);
            entries.add(e);
            size += 4 + e.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(MAGIC).putShort((short) VERSION).putShort((short) 0)
                .putLong(firstPosition()).putLong(lastPosition()).putInt(frames.size());
        anchor.writeTo(b.array(), b.position());
        b.position(b.position() + Hash128.BYTES);
        for (byte[] e : entries) {
            b.putInt(e.length).put(e);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * Decodes and checks a segment object.
     *
     * @throws CorruptFrameException naming what is wrong (the message says "segment")
     */
    public static ArchiveSegment decode(byte[] bytes) throws CorruptFrameException {
        if (bytes.length < HEADER_BYTES + TRAILER_BYTES) {
            throw new CorruptFrameException("segment truncated: " + bytes.length + " bytes, a segment has at least "
                    + (HEADER_BYTES + TRAILER_BYTES));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new CorruptFrameException(String.format("not a segment: magic %08x, expected %08x", magic, MAGIC));
        }
        int version = Short.toUnsignedInt(b.getShort());
        if (version != VERSION) {
            throw new CorruptFrameException("segment version " + version + " is not supported (this reader knows " + VERSION + ")");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - TRAILER_BYTES);
        int stored = ByteBuffer.wrap(bytes, bytes.length - TRAILER_BYTES, TRAILER_BYTES).getInt();
        if ((int) crc.getValue() != stored) {
            throw new CorruptFrameException(String.format("segment checksum mismatch: stored %08x, computed %08x", stored,
                    (int) crc.getValue()));
        }
        int flags = Short.toUnsignedInt(b.getShort());
        long first = b.getLong();
        long last = b.getLong();
        long count = Integer.toUnsignedLong(b.getInt());
        if (flags != 0 || first < 1 || last < first || count != last - first + 1) {
            throw new CorruptFrameException("segment header is inconsistent: flags=" + flags + " first=" + first + " last=" + last
                    + " count=" + count);
        }
        Hash128 anchor = Hash128.fromBytes(bytes, b.position());
        b.position(b.position() + Hash128.BYTES);
        List<Frame> frames = new ArrayList<>();
        Hash128 previous = anchor;
        int end = bytes.length - TRAILER_BYTES;
        for (long position = first; position <= last; position++) {
            if (end - b.position() < 4) {
                throw new CorruptFrameException("segment ends before frame " + position);
            }
            int length = b.getInt();
            if (length < FrameCodec.OVERHEAD_BYTES || length > end - b.position()) {
                throw new CorruptFrameException("segment frame " + position + " has length " + length + " but "
                        + (end - b.position()) + " bytes remain");
            }
            byte[] entry = new byte[length];
            b.get(entry);
            Frame f = FrameCodec.decode(entry);
            if (f.position() != position) {
                throw new CorruptFrameException("segment holds frame " + f.position() + " where frame " + position + " belongs");
            }
            Hash128 expected = FrameCodec.chain(previous, f);
            if (!expected.equals(f.hash())) {
                throw new CorruptFrameException("segment frame " + position + " breaks the hash chain: expected "
                        + expected.toHex() + ", stored " + f.hash().toHex());
            }
            frames.add(f);
            previous = f.hash();
        }
        if (b.position() != end) {
            throw new CorruptFrameException("segment has " + (end - b.position()) + " bytes after frame " + last);
        }
        return new ArchiveSegment(anchor, frames);
    }
}
