package io.chronolog.bench;

import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CheckpointStore;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import net.jpountz.lz4.LZ4FrameInputStream;

/**
 * The floors a restore is measured against, on a private copy of one checkpoint file (so the
 * engine's own checkpoint directory, which belongs to its open database, is never opened twice):
 * {@link #decompressNanos()} is LZ4 decompression alone (the frame read after the header, the
 * output discarded), {@link #extractNanos} is the snapshot module's
 * {@link CheckpointStore#extractTo} (decompress, CRC32C, write, fsync, rename). Not thread-safe.
 */
final class CheckpointFloor implements AutoCloseable {
    private static final int BUFFER = 1 << 20;

    private final Path directory;
    private final Path file;
    private final CheckpointStore store;
    private final CheckpointMeta meta;

    private CheckpointFloor(Path directory, Path file, CheckpointStore store, CheckpointMeta meta) {
        this.directory = directory;
        this.file = file;
        this.store = store;
        this.meta = meta;
    }

    /** Copies checkpoint {@code number} of the database in {@code databaseDirectory} into the new directory {@code into}. */
    static CheckpointFloor copyOf(Path databaseDirectory, long number, Path into) throws IOException {
        String name = String.format("%020d.ckpt", number);
        Path source = databaseDirectory.resolve("checkpoints").resolve(name);
        if (!Files.isRegularFile(source)) {
            throw new IllegalStateException("checkpoint " + number + " not found: expected file " + source);
        }
        Path copy = into.resolve(name);
        Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
        CheckpointStore store = CheckpointStore.open(into);
        CheckpointMeta meta = store.get(number).orElseThrow(() -> new IllegalStateException(
                "the copied checkpoint " + number + " was not adopted by a store opened on " + into + ": " + store.repairs()));
        return new CheckpointFloor(into, copy, store, meta);
    }

    CheckpointMeta meta() {
        return meta;
    }

    /** Time to extract the image to {@code target} (deleted afterwards if {@code delete}); checks the extracted size. */
    long extractNanos(Path target, boolean delete) throws IOException {
        long t0 = System.nanoTime();
        store.extractTo(meta.number(), target, null);
        long nanos = System.nanoTime() - t0;
        long size = Files.size(target);
        if (delete) {
            Files.delete(target);
        }
        if (size != meta.rawSize()) {
            throw new IllegalStateException("extract of checkpoint " + meta.number() + ": expected=" + meta.rawSize()
                    + " bytes actual=" + size);
        }
        return nanos;
    }

    /**
     * Time to decompress the image, discarding it: the header length is the big-endian u16 at
     * offset 6 (docs/FORMAT.md, checkpoint header); the LZ4 frame follows. Checks the byte count.
     */
    long decompressNanos() throws IOException {
        byte[] buf = new byte[BUFFER];
        long t0 = System.nanoTime();
        long total = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            raw.mark(8);
            DataInputStream header = new DataInputStream(raw);
            header.skipNBytes(6);
            int headerLength = header.readUnsignedShort();
            raw.reset();
            raw.skipNBytes(headerLength);
            try (LZ4FrameInputStream lz4 = new LZ4FrameInputStream(raw)) {
                for (int n = lz4.read(buf); n >= 0; n = lz4.read(buf)) {
                    total += n;
                }
            }
        }
        long nanos = System.nanoTime() - t0;
        if (total != meta.rawSize()) {
            throw new IllegalStateException("decompression of checkpoint " + meta.number() + ": expected=" + meta.rawSize()
                    + " bytes actual=" + total);
        }
        return nanos;
    }

    @Override
    public void close() throws IOException {
        store.close();
        RoundRunner.deleteTree(directory);
    }
}
