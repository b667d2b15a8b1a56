package io.chronolog.snapshot.internal;

import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CorruptCheckpointException;
import io.chronolog.snapshot.UnsupportedFormatVersionException;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns the bytes of the catalogue file; no other class parses it.
 *
 * <p>What it puts on disk: {@code catalogue} in a checkpoint directory, laid out as in
 * {@code docs/FORMAT.md} ("Catalogue file"): magic, version, entry count, entries in
 * ascending number order, CRC32C of everything before it; big-endian. Stateless and thread-safe.
 * Invariants: entry numbers are unique and ascending; {@code decode(encode(list))} equals
 * {@code list} with every state AVAILABLE (the state is not stored).
 */
public final class CatalogueFormat {

    /** {@code "CCAT"}: the first four bytes of the catalogue. */
    public static final int MAGIC = 0x43434154;

    /** The version this code writes. */
    public static final int VERSION = 1;

    /** The oldest version this code reads. */
    public static final int MIN_VERSION = 1;

    /** The catalogue's file name. */
    public static final String FILE_NAME = "catalogue";

    /** Bytes of magic, version and entry count. */
    static final int PREFIX_BYTES = 10;

    /** Bytes of one entry with an empty label. */
    public static final int FIXED_ENTRY_BYTES = 87;

    private CatalogueFormat() {
    }

    /** The catalogue bytes for {@code entries}, which must be in ascending number order. */
    public static byte[] encode(List<CheckpointMeta> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(PREFIX_BYTES + 4 + entries.size() * 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeShort(VERSION);
            out.writeInt(entries.size());
            long previous = -1;
            for (CheckpointMeta m : entries) {
                if (m.number() <= previous) {
                    throw new IllegalArgumentException("entries not in ascending number order at " + m.number());
                }
                previous = m.number();
                byte[] label = m.label().getBytes(StandardCharsets.UTF_8);
                out.writeLong(m.number());
                out.writeInt(m.epoch());
                out.writeLong(m.position());
                out.write(m.chainHash());
                out.writeLong(m.createdAtMillis());
                out.writeInt(m.tableCount());
                out.writeLong(m.rawSize());
                out.writeInt((int) m.checksum());
                out.write(m.contentDigest());
                out.writeByte(CheckpointFormat.kindCode(m.kind()));
                out.writeLong(m.compressedSize());
                out.writeShort(label.length);
                out.write(label);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        byte[] body = bytes.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(body.length + 4);
        out.put(body).putInt((int) CheckpointFormat.crc32c(body, 0, body.length));
        return out.array();
    }

    /**
     * Decodes a catalogue.
     *
     * @param file names the file in errors
     * @return the entries in ascending number order, all AVAILABLE
     * @throws CorruptCheckpointException for a short file, bad magic, a checksum mismatch, an
     *     unsupported version, an entry out of range or out of order, or trailing bytes
     */
    public static List<CheckpointMeta> decode(Path file, byte[] bytes) throws CorruptCheckpointException {
        if (bytes.length < PREFIX_BYTES + 4) {
            throw new CorruptCheckpointException("truncated catalogue: expected>=" + (PREFIX_BYTES + 4)
                    + " bytes actual=" + bytes.length, file, bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int magic = b.getInt(0);
        if (magic != MAGIC) {
            throw new CorruptCheckpointException("bad catalogue magic: expected=" + CheckpointFormat.hex32(MAGIC)
                    + " actual=" + CheckpointFormat.hex32(magic), file, 0);
        }
        int crcAt = bytes.length - 4;
        long stored = Integer.toUnsignedLong(b.getInt(crcAt));
        long actual = CheckpointFormat.crc32c(bytes, 0, crcAt);
        if (stored != actual) {
            throw new CorruptCheckpointException("catalogue checksum mismatch: expected="
                    + CheckpointFormat.hex32(stored) + " actual=" + CheckpointFormat.hex32(actual), file, crcAt);
        }
        int version = Short.toUnsignedInt(b.getShort(4));
        if (version < MIN_VERSION || version > VERSION) {
            throw new UnsupportedFormatVersionException("catalogue", version, MIN_VERSION, VERSION, file, 4);
        }
        long count = Integer.toUnsignedLong(b.getInt(6));
        if (count > (long) crcAt / FIXED_ENTRY_BYTES) {
            throw new CorruptCheckpointException("entry count too large for file: count=" + count
                    + " bytes=" + bytes.length, file, 6);
        }
        b.position(PREFIX_BYTES).limit(crcAt);
        List<CheckpointMeta> entries = new ArrayList<>((int) count);
        long previous = -1;
        for (long i = 0; i < count; i++) {
            int at = b.position();
            try {
                long number = b.getLong();
                int epoch = b.getInt();
                long position = b.getLong();
                byte[] chain = new byte[CheckpointMeta.HASH_BYTES];
                b.get(chain);
                long createdAt = b.getLong();
                int tables = b.getInt();
                long rawSize = b.getLong();
                long crc = Integer.toUnsignedLong(b.getInt());
                byte[] digest = new byte[CheckpointMeta.HASH_BYTES];
                b.get(digest);
                int kindCode = Byte.toUnsignedInt(b.get());
                long compressedSize = b.getLong();
                int labelLength = Short.toUnsignedInt(b.getShort());
                int labelAt = b.position();
                if (labelLength > b.remaining()) {
                    throw new CorruptCheckpointException("catalogue entry " + i + " label overruns the file: length="
                            + labelLength + " remaining=" + b.remaining(), file, labelAt - 2);
                }
                String label = CheckpointFormat.utf8(b, labelAt, labelLength, file);
                b.position(labelAt + labelLength);
                CheckpointMeta.Kind kind = CheckpointFormat.kindOf(kindCode);
                if (kind == null) {
                    throw new CorruptCheckpointException("catalogue entry " + i + " unknown kind: expected=0..2 actual="
                            + kindCode, file, at);
                }
                if (number <= previous) {
                    throw new CorruptCheckpointException("catalogue entry " + i + " out of order: expected>" + previous
                            + " actual=" + number, file, at);
                }
                previous = number;
                entries.add(new CheckpointMeta(number, epoch, position, chain, createdAt, tables, rawSize,
                        compressedSize, crc, digest, kind, label, CheckpointMeta.State.AVAILABLE));
            } catch (BufferUnderflowException e) {
                throw new CorruptCheckpointException("catalogue entry " + i + " truncated", file, at, e);
            } catch (IllegalArgumentException e) {
                throw new CorruptCheckpointException("catalogue entry " + i + " field out of range: " + e.getMessage(),
                        file, at, e);
            }
        }
        if (b.hasRemaining()) {
            throw new CorruptCheckpointException("trailing bytes after " + count + " catalogue entries: expected=0 actual="
                    + b.remaining(), file, b.position());
        }
        return entries;
    }
}
