package io.chronolog.snapshot.internal;

import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CorruptCheckpointException;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.xxhash.XXHashFactory;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Reads a checkpoint file and proves it intact while streaming its raw image to a sink: header
 * magic, version and CRC32C; header fields against the catalogue's; file size; the LZ4 frame
 * (safe decompressor, block and content checksums); raw size; CRC32C of the raw image.
 *
 * <p>It reads {@code docs/FORMAT.md} "Checkpoint file" and writes nothing. Stateless and
 * thread-safe. Invariant: every byte handed to the sink comes from a file whose header verified,
 * and the call returns normally only if the whole image matched its size and CRC32C; callers that
 * keep sink output must discard it on any exception.
 */
public final class CheckpointReader {

    private static final int BUFFER_BYTES = 256 * 1024;

    /** Content checksum bit of the LZ4 frame descriptor's FLG byte. */
    private static final int FLG_CONTENT_CHECKSUM = 0x04;

    /** Receives the raw image in order. */
    @FunctionalInterface
    public interface Sink {
        /** Takes {@code buf[off, off+len)}; failures here are passed through unchanged. */
        void accept(byte[] buf, int off, int len) throws IOException;
    }

    private CheckpointReader() {
    }

    /**
     * Opens the checkpoint at {@code file}, or reports it missing.
     *
     * @throws CorruptCheckpointException if the file does not exist
     */
    public static FileChannel open(Path file) throws IOException {
        try {
            return FileChannel.open(file);
        } catch (NoSuchFileException e) {
            throw new CorruptCheckpointException("checkpoint file missing", file, CorruptCheckpointException.UNKNOWN_OFFSET, e);
        }
    }

    /**
     * Verifies the checkpoint in {@code ch} and streams its raw image to {@code sink}.
     *
     * @param file     names the file in errors
     * @param ch       the open file; read from position 0, not closed
     * @param expected what the catalogue says, or null to trust the header alone
     * @param sink     receives the raw image
     * @return the header's metadata
     * @throws CorruptCheckpointException for any failed check, naming the file and offset
     */
    public static CheckpointMeta read(Path file, FileChannel ch, CheckpointMeta expected, Sink sink) throws IOException {
        CheckpointMeta header = CheckpointFormat.decodeHeader(file, ch);
        long headerLength = CheckpointFormat.headerLength(header.label());
        long fileSize = headerLength + header.compressedSize();
        if (expected != null) {
            compare(file, expected, header, headerLength);
        }
        ch.position(headerLength);
        SourceGuard source = new SourceGuard(new BufferedInputStream(Channels.newInputStream(ch), BUFFER_BYTES));
        CRC32C crc = new CRC32C();
        long total = 0;
        byte[] buf = new byte[BUFFER_BYTES];
        try (InputStream lz4 = openFrame(file, source, headerLength)) {
            while (true) {
                int n;
                try {
                    n = lz4.read(buf);
                } catch (SourceFailure f) {
                    throw f.getCause();
                } catch (IOException | RuntimeException e) {
                    throw new CorruptCheckpointException("compressed body does not decode: " + e.getMessage(),
                            file, headerLength + source.count, e);
                }
                if (n < 0) {
                    break;
                }
                total += n;
                if (total > header.rawSize()) {
                    throw new CorruptCheckpointException("raw image longer than its header says: expected="
                            + header.rawSize() + " actual>=" + total, file, headerLength + source.count);
                }
                crc.update(buf, 0, n);
                sink.accept(buf, 0, n);
            }
        }
        if (headerLength + source.count != fileSize) {
            throw new CorruptCheckpointException("bytes after the end of the LZ4 frame: expected=0 actual="
                    + (fileSize - headerLength - source.count), file, headerLength + source.count);
        }
        checkFrameEnds(file, ch, headerLength, fileSize);
        if (total != header.rawSize()) {
            throw new CorruptCheckpointException("raw image size mismatch: expected=" + header.rawSize()
                    + " actual=" + total, file, CorruptCheckpointException.UNKNOWN_OFFSET);
        }
        if (crc.getValue() != header.checksum()) {
            throw new CorruptCheckpointException("raw image CRC32C mismatch: expected="
                    + CheckpointFormat.hex32(header.checksum()) + " actual=" + CheckpointFormat.hex32(crc.getValue()),
                    file, CorruptCheckpointException.UNKNOWN_OFFSET);
        }
        return header;
    }

    /**
     * The decoder is lenient where our format is not: it must have been written with the content
     * checksum flag, and the frame must end with the exact end mark {@code 00 00 00 00} followed
     * by that checksum (the decoder also takes {@code 0x80000000}, an empty uncompressed block, as
     * the end).
     */
    private static void checkFrameEnds(Path file, FileChannel ch, long headerLength, long fileSize) throws IOException {
        long flgAt = headerLength + 4;
        int flg = Byte.toUnsignedInt(CheckpointFormat.readAt(ch, flgAt, 1).get(0));
        if ((flg & FLG_CONTENT_CHECKSUM) == 0) {
            throw new CorruptCheckpointException("LZ4 frame without content checksum: expected FLG bit 0x04 actual FLG="
                    + String.format("0x%02x", flg), file, flgAt);
        }
        long endMarkAt = fileSize - 8;
        int endMark = CheckpointFormat.readAt(ch, endMarkAt, 4).getInt(0);
        if (endMark != 0) {
            throw new CorruptCheckpointException("LZ4 end mark damaged: expected=0x00000000 actual="
                    + CheckpointFormat.hex32(endMark), file, endMarkAt);
        }
    }

    private static InputStream openFrame(Path file, SourceGuard source, long headerLength) throws IOException {
        try {
            return new LZ4FrameInputStream(source, LZ4Factory.fastestInstance().safeDecompressor(),
                    XXHashFactory.fastestInstance().hash32(), true);
        } catch (SourceFailure f) {
            throw f.getCause();
        } catch (IOException | RuntimeException e) {
            throw new CorruptCheckpointException("LZ4 frame header does not decode: " + e.getMessage(),
                    file, headerLength + source.count, e);
        }
    }

    private static void compare(Path file, CheckpointMeta expected, CheckpointMeta actual, long headerLength)
            throws CorruptCheckpointException {
        check(file, "number", expected.number(), actual.number());
        check(file, "epoch", expected.epoch(), actual.epoch());
        check(file, "position", expected.position(), actual.position());
        check(file, "chainHash", hex(expected.chainHash()), hex(actual.chainHash()));
        check(file, "createdAtMillis", expected.createdAtMillis(), actual.createdAtMillis());
        check(file, "tableCount", expected.tableCount(), actual.tableCount());
        check(file, "rawSize", expected.rawSize(), actual.rawSize());
        check(file, "checksum", CheckpointFormat.hex32(expected.checksum()), CheckpointFormat.hex32(actual.checksum()));
        check(file, "contentDigest", hex(expected.contentDigest()), hex(actual.contentDigest()));
        check(file, "kind", expected.kind(), actual.kind());
        check(file, "label", expected.label(), actual.label());
        long expectedSize = headerLength + expected.compressedSize();
        long actualSize = headerLength + actual.compressedSize();
        if (expectedSize != actualSize) {
            throw new CorruptCheckpointException((actualSize < expectedSize ? "truncated file" : "file too long")
                    + ": expected size=" + expectedSize + " actual=" + actualSize, file, Math.min(expectedSize, actualSize));
        }
    }

    private static void check(Path file, String field, Object expected, Object actual) throws CorruptCheckpointException {
        if (!Objects.equals(expected, actual)) {
            throw new CorruptCheckpointException("header " + field + " disagrees with the catalogue: expected="
                    + expected + " actual=" + actual, file, CheckpointFormat.offsetOf(field));
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** An I/O failure of the file itself, kept apart from the decoder's complaints about content. */
    private static final class SourceFailure extends IOException {
        private static final long serialVersionUID = 1L;

        SourceFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /** Counts the compressed bytes handed to the decoder and marks the file's own I/O failures. */
    private static final class SourceGuard extends FilterInputStream {
        long count;

        SourceGuard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                int b = in.read();
                if (b >= 0) {
                    count++;
                }
                return b;
            } catch (IOException e) {
                throw new SourceFailure(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    count += n;
                }
                return n;
            } catch (IOException e) {
                throw new SourceFailure(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                long skipped = in.skip(n);
                count += Math.max(0, skipped);
                return skipped;
            } catch (IOException e) {
                throw new SourceFailure(e);
            }
        }

        @Override
        public void close() {
            // the channel belongs to the caller
        }
    }
}
