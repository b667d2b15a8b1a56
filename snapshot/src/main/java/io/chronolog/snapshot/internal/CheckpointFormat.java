package io.chronolog.snapshot.internal;

import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CorruptCheckpointException;
import io.chronolog.snapshot.UnsupportedFormatVersionException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * Owns the bytes of a checkpoint file header and the checkpoint file name; no other class parses
 * them.
 *
 * <p>What it puts on disk: the header described in {@code docs/FORMAT.md} ("Checkpoint
 * file"), big-endian, followed by an LZ4 frame stream written by {@link CheckpointWriter}.
 * Stateless and thread-safe. Invariants: for every version the first eight bytes are magic,
 * version and header length, and the last four header bytes are the CRC32C of the bytes before
 * them, so a reader can prove a header intact before it interprets the version;
 * {@code decodeHeader(encodeHeader(m))} gives back {@code m}'s header fields.
 */
public final class CheckpointFormat {

    /** {@code "CKPT"}: the first four bytes of every checkpoint file. */
    public static final int MAGIC = 0x434B5054;

    /** The version this code writes. */
    public static final int VERSION = 1;

    /** The oldest version this code reads. */
    public static final int MIN_VERSION = 1;

    /** Suffix of a checkpoint file name. */
    public static final String FILE_SUFFIX = ".ckpt";

    /** Suffix added to a file name while it is being written. */
    public static final String TEMP_SUFFIX = ".tmp";

    /** Digits of the zero-padded number in a file name. */
    public static final int NAME_DIGITS = 20;

    // Offsets of the version 1 header fields.
    static final int OFF_MAGIC = 0;
    static final int OFF_VERSION = 4;
    static final int OFF_HEADER_LENGTH = 6;
    static final int OFF_NUMBER = 8;
    static final int OFF_EPOCH = 16;
    static final int OFF_POSITION = 20;
    static final int OFF_CHAIN_HASH = 28;
    static final int OFF_CREATED_AT = 44;
    static final int OFF_TABLE_COUNT = 52;
    static final int OFF_RAW_SIZE = 56;
    static final int OFF_RAW_CRC = 64;
    static final int OFF_CONTENT_DIGEST = 68;
    static final int OFF_KIND = 84;
    static final int OFF_LABEL_LENGTH = 85;
    static final int OFF_LABEL = 87;

    /** Bytes of a version 1 header with an empty label (the label adds its UTF-8 length). */
    public static final int FIXED_HEADER_BYTES = OFF_LABEL + 4;

    /** Bytes of magic, version and header length: what must be read before anything else. */
    static final int PREFIX_BYTES = 8;

    private CheckpointFormat() {
    }

    /** {@code <number zero-padded to 20 digits>.ckpt}. */
    public static String fileName(long number) {
        if (number < 0) {
            throw new IllegalArgumentException("checkpoint number must be >= 0: " + number);
        }
        return String.format("%0" + NAME_DIGITS + "d%s", number, FILE_SUFFIX);
    }

    /** The number a checkpoint file name carries, or empty if {@code name} is not one. */
    public static OptionalLong parseFileName(String name) {
        if (name.length() != NAME_DIGITS + FILE_SUFFIX.length() || !name.endsWith(FILE_SUFFIX)) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < NAME_DIGITS; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(name.substring(0, NAME_DIGITS)));
        } catch (NumberFormatException tooBig) {
            return OptionalLong.empty();
        }
    }

    /** Header bytes for a checkpoint carrying {@code label}. */
    public static int headerLength(String label) {
        return FIXED_HEADER_BYTES + label.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The on-disk code of a kind. */
    public static int kindCode(CheckpointMeta.Kind kind) {
        return switch (kind) {
            case CHECKPOINT -> 0;
            case BACKUP_MANUAL -> 1;
            case BACKUP_AUTOMATIC -> 2;
        };
    }

    /** The kind for an on-disk code, or null if the code is unknown. */
    public static CheckpointMeta.Kind kindOf(int code) {
        return switch (code) {
            case 0 -> CheckpointMeta.Kind.CHECKPOINT;
            case 1 -> CheckpointMeta.Kind.BACKUP_MANUAL;
            case 2 -> CheckpointMeta.Kind.BACKUP_AUTOMATIC;
            default -> null;
        };
    }

    /** The version 1 header for {@code m} (its compressed size and state are not in the header). */
    public static byte[] encodeHeader(CheckpointMeta m) {
        byte[] label = m.label().getBytes(StandardCharsets.UTF_8);
        int length = FIXED_HEADER_BYTES + label.length;
        ByteBuffer b = ByteBuffer.allocate(length);
        b.putInt(MAGIC);
        b.putShort((short) VERSION);
        b.putShort((short) length);
        b.putLong(m.number());
        b.putInt(m.epoch());
        b.putLong(m.position());
        b.put(m.chainHash());
        b.putLong(m.createdAtMillis());
        b.putInt(m.tableCount());
        b.putLong(m.rawSize());
        b.putInt((int) m.checksum());
        b.put(m.contentDigest());
        b.put((byte) kindCode(m.kind()));
        b.putShort((short) label.length);
        b.put(label);
        b.putInt((int) crc32c(b.array(), 0, length - 4));
        return b.array();
    }

    /**
     * Reads and checks the header at the start of {@code ch}.
     *
     * @param file names the file in errors
     * @return the header's fields, with compressed size = file size - header length, state AVAILABLE
     * @throws CorruptCheckpointException for a short file, bad magic, a header length out of range,
     *     a header checksum mismatch, an unsupported version, or a field out of range
     */
    public static CheckpointMeta decodeHeader(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < PREFIX_BYTES) {
            throw new CorruptCheckpointException("truncated header: expected>=" + FIXED_HEADER_BYTES
                    + " bytes actual=" + size, file, size);
        }
        ByteBuffer prefix = readAt(ch, 0, PREFIX_BYTES);
        int magic = prefix.getInt(OFF_MAGIC);
        if (magic != MAGIC) {
            throw new CorruptCheckpointException("bad magic: expected=" + hex32(MAGIC) + " actual=" + hex32(magic),
                    file, OFF_MAGIC);
        }
        int version = Short.toUnsignedInt(prefix.getShort(OFF_VERSION));
        int length = Short.toUnsignedInt(prefix.getShort(OFF_HEADER_LENGTH));
        if (length < FIXED_HEADER_BYTES) {
            throw new CorruptCheckpointException("header length out of range: expected>=" + FIXED_HEADER_BYTES
                    + " actual=" + length, file, OFF_HEADER_LENGTH);
        }
        if (length > size) {
            throw new CorruptCheckpointException("truncated header: expected>=" + length + " bytes actual=" + size,
                    file, size);
        }
        ByteBuffer h = readAt(ch, 0, length);
        long storedCrc = Integer.toUnsignedLong(h.getInt(length - 4));
        long actualCrc = crc32c(h.array(), 0, length - 4);
        if (storedCrc != actualCrc) {
            throw new CorruptCheckpointException("header checksum mismatch: expected=" + hex32(storedCrc)
                    + " actual=" + hex32(actualCrc), file, length - 4);
        }
        if (version < MIN_VERSION || version > VERSION) {
            throw new UnsupportedFormatVersionException("checkpoint", version, MIN_VERSION, VERSION, file, OFF_VERSION);
        }
        int kindCode = Byte.toUnsignedInt(h.get(OFF_KIND));
        CheckpointMeta.Kind kind = kindOf(kindCode);
        if (kind == null) {
            throw new CorruptCheckpointException("unknown kind: expected=0..2 actual=" + kindCode, file, OFF_KIND);
        }
        int labelLength = Short.toUnsignedInt(h.getShort(OFF_LABEL_LENGTH));
        if (FIXED_HEADER_BYTES + labelLength != length) {
            throw new CorruptCheckpointException("label length disagrees with header length: expected="
                    + (length - FIXED_HEADER_BYTES) + " actual=" + labelLength, file, OFF_LABEL_LENGTH);
        }
        String label = utf8(h, OFF_LABEL, labelLength, file);
        byte[] chain = new byte[CheckpointMeta.HASH_BYTES];
        h.get(OFF_CHAIN_HASH, chain);
        byte[] digest = new byte[CheckpointMeta.HASH_BYTES];
        h.get(OFF_CONTENT_DIGEST, digest);
        try {
            return new CheckpointMeta(h.getLong(OFF_NUMBER), h.getInt(OFF_EPOCH), h.getLong(OFF_POSITION), chain,
                    h.getLong(OFF_CREATED_AT), h.getInt(OFF_TABLE_COUNT), h.getLong(OFF_RAW_SIZE), size - length,
                    Integer.toUnsignedLong(h.getInt(OFF_RAW_CRC)), digest, kind, label, CheckpointMeta.State.AVAILABLE);
        } catch (IllegalArgumentException e) {
            throw new CorruptCheckpointException("header field out of range: " + e.getMessage(), file, OFF_NUMBER, e);
        }
    }

    /** The offset of the named header field in a version 1 header, for error messages. */
    public static long offsetOf(String field) {
        return switch (field) {
            case "number" -> OFF_NUMBER;
            case "epoch" -> OFF_EPOCH;
            case "position" -> OFF_POSITION;
            case "chainHash" -> OFF_CHAIN_HASH;
            case "createdAtMillis" -> OFF_CREATED_AT;
            case "tableCount" -> OFF_TABLE_COUNT;
            case "rawSize" -> OFF_RAW_SIZE;
            case "checksum" -> OFF_RAW_CRC;
            case "contentDigest" -> OFF_CONTENT_DIGEST;
            case "kind" -> OFF_KIND;
            case "label" -> OFF_LABEL_LENGTH;
            default -> CorruptCheckpointException.UNKNOWN_OFFSET;
        };
    }

    static String utf8(ByteBuffer b, int offset, int length, Path file) throws CorruptCheckpointException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(b.duplicate().position(offset).limit(offset + length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new CorruptCheckpointException("label is not valid UTF-8", file, offset, e);
        }
    }

    static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            int n = ch.read(b, position + b.position());
            if (n < 0) {
                throw new EOFException("end of file at " + (position + b.position()));
            }
        }
        return b.flip();
    }

    /** CRC32C of {@code bytes[offset, offset+length)} as an unsigned value. */
    public static long crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    /** {@code 0x} and eight hex digits. */
    public static String hex32(long value) {
        return String.format("0x%08x", value & 0xFFFF_FFFFL);
    }
}
