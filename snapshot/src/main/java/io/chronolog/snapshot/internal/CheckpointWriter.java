package io.chronolog.snapshot.internal;

import io.chronolog.snapshot.CheckpointDraft;
import io.chronolog.snapshot.CheckpointMeta;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Streams a raw image into a checkpoint file: header, then one LZ4 frame with block independence
 * and content checksum on.
 *
 * <p>What it puts on disk: the bytes of {@code docs/FORMAT.md} "Checkpoint file", into a
 * channel the caller opened (the temp file); the caller forces and renames it. Stateless and
 * thread-safe; each call uses its own channel. Invariant: the header's raw size and CRC32C are
 * measured from the bytes actually compressed, so a source that changes while read still gives a
 * self-consistent file.
 */
public final class CheckpointWriter {

    /** LZ4 block size. Readers accept any block size the frame format allows. */
    static final LZ4FrameOutputStream.BLOCKSIZE BLOCK_SIZE = LZ4FrameOutputStream.BLOCKSIZE.SIZE_1MB;

    private static final int BUFFER_BYTES = 256 * 1024;

    private CheckpointWriter() {
    }

    /**
     * Writes the checkpoint for {@code draft} with the image read from {@code raw} (to its end)
     * into the empty channel {@code ch}. Does not force or close {@code ch}.
     *
     * @return the metadata of what was written, state AVAILABLE
     */
    public static CheckpointMeta write(FileChannel ch, CheckpointDraft draft, InputStream raw) throws IOException {
        int headerLength = CheckpointFormat.headerLength(draft.label());
        ch.truncate(0);
        ChannelSink sink = new ChannelSink(ch, headerLength);
        CRC32C crc = new CRC32C();
        long rawSize = 0;
        try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(sink, BLOCK_SIZE, -1L,
                LZ4Factory.fastestInstance().fastCompressor(), XXHashFactory.fastestInstance().hash32(),
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM)) {
            byte[] buf = new byte[BUFFER_BYTES];
            int n;
            while ((n = raw.read(buf)) >= 0) {
                crc.update(buf, 0, n);
                rawSize += n;
                lz4.write(buf, 0, n);
            }
        }
        CheckpointMeta meta = draft.toMeta(rawSize, sink.position - headerLength, crc.getValue(),
                CheckpointMeta.State.AVAILABLE);
        ByteBuffer header = ByteBuffer.wrap(CheckpointFormat.encodeHeader(meta));
        while (header.hasRemaining()) {
            ch.write(header, header.position());
        }
        return meta;
    }

    /** Writes at increasing positions of a channel; close does not close the channel. */
    private static final class ChannelSink extends OutputStream {
        private final FileChannel ch;
        long position;

        ChannelSink(FileChannel ch, long start) {
            this.ch = ch;
            this.position = start;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                position += ch.write(buf, position);
            }
        }

        @Override
        public void close() {
            // the channel belongs to the caller
        }
    }
}
