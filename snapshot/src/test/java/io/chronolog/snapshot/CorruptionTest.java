package io.chronolog.snapshot;

import io.chronolog.snapshot.internal.CheckpointFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Damages checkpoint 2 of three and checks that every reader refuses it and the others still read. */
class CorruptionTest {

    private static final String LABEL = "4c3b9a7e-0b1e-4c3b-9a7e-6f2d1c0b9a88";

    @TempDir
    Path tmp;

    private Path dir;
    private byte[][] images;
    private Path file;
    private byte[] pristine;
    private int headerLength;

    @BeforeEach
    void writeThreeCheckpoints() throws IOException {
        dir = tmp.resolve("checkpoints");
        images = new byte[][] {
            null,
            Images.compressible(Images.random("c1"), 70_000),
            Images.compressible(Images.random("c2"), 3 * 1024 * 1024 + 17),
            Images.incompressible(Images.random("c3"), 50_000),
        };
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            store.write(Images.draft(1), images[1]);
            store.write(Images.draft(2, CheckpointMeta.Kind.BACKUP_MANUAL, LABEL), images[2]);
            store.write(Images.draft(3), images[3]);
            file = store.fileOf(2);
        }
        pristine = Files.readAllBytes(file);
        headerLength = CheckpointFormat.headerLength(LABEL);
    }

    @Test
    void everyFlippedHeaderByteIsRefused() throws IOException {
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            for (int offset = 0; offset < headerLength; offset++) {
                byte[] damaged = pristine.clone();
                damaged[offset] ^= 0x01;
                Files.write(file, damaged);
                CorruptCheckpointException e = assertAllReadersRefuse(store, "flip header byte " + offset);
                assertTrue(e.offset() >= 0 && e.offset() < pristine.length, "offset " + e.offset() + " for flip at " + offset);
            }
            Files.write(file, pristine);
            assertArrayEquals(images[2], store.read(2));
        }
    }

    @Test
    void flippedBodyBytesAreRefused() throws IOException {
        int size = pristine.length;
        int[] offsets = {
            headerLength, headerLength + 3, headerLength + 4, headerLength + 5, headerLength + 6, // frame magic, FLG, BD, HC
            headerLength + 7, headerLength + 9, headerLength + 10, // first block size
            headerLength + 11, headerLength + 500, size / 2, size - 4096, // block data
            size - 8, size - 5, size - 4, size - 1, // end mark, content checksum
        };
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            int refused = 0;
            for (int offset : offsets) {
                for (int bit : new int[] {0x01, 0x80}) {
                    byte[] damaged = pristine.clone();
                    damaged[offset] ^= (byte) bit;
                    Files.write(file, damaged);
                    String what = "flip bit " + bit + " of body byte " + offset;
                    if (offset >= headerLength + 11 && offset < size - 8 && decodesUnchanged(store, what)) {
                        continue;
                    }
                    assertAllReadersRefuse(store, what);
                    refused++;
                }
            }
            assertTrue(refused >= offsets.length * 2 - 4, "refused " + refused + " of " + offsets.length * 2);
            assertOthersRead(store);
        }
    }

    @Test
    void truncatedFilesAreRefused() throws IOException {
        int size = pristine.length;
        int[] lengths = {0, 1, 4, 7, 8, 50, headerLength - 1, headerLength, headerLength + 4, headerLength + 7,
            headerLength + 12, size / 3, size / 2, size - 8, size - 4, size - 1};
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            for (int length : lengths) {
                Files.write(file, Arrays.copyOf(pristine, length));
                CorruptCheckpointException e = assertAllReadersRefuse(store, "truncate to " + length);
                assertTrue(e.offset() <= length, "offset " + e.offset() + " beyond truncation at " + length);
            }
            assertOthersRead(store);
        }
    }

    @Test
    void truncatedBodyIsRefusedEvenWhenTheCatalogueIsLost() throws IOException {
        for (int length : new int[] {headerLength, headerLength + 7, pristine.length / 2, pristine.length - 4,
            pristine.length - 1}) {
            Files.write(file, Arrays.copyOf(pristine, length));
            Files.delete(dir.resolve("catalogue"));
            try (CheckpointStore store = CheckpointStore.open(dir)) {
                assertEquals(CheckpointMeta.State.AVAILABLE, store.get(2).orElseThrow().state(), "header still verifies");
                assertAllReadersRefuse(store, "truncate to " + length + " with the catalogue rebuilt");
                assertOthersRead(store);
            }
        }
    }

    @Test
    void zeroedRangeIsRefused() throws IOException {
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            for (int start : new int[] {0, headerLength - 10, headerLength + 100, pristine.length / 2}) {
                byte[] damaged = pristine.clone();
                Arrays.fill(damaged, start, Math.min(start + 4096, damaged.length), (byte) 0);
                Files.write(file, damaged);
                assertAllReadersRefuse(store, "zero 4096 bytes at " + start);
            }
            assertOthersRead(store);
        }
    }

    @Test
    void appendedBytesAreRefused() throws IOException {
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            Files.write(file, new byte[] {0, 1, 2, 3}, StandardOpenOption.APPEND);
            assertAllReadersRefuse(store, "four bytes appended");
        }
        Files.write(file, pristine);
        Files.write(file, new byte[] {0x04, 0x22, 0x4d, 0x18}, StandardOpenOption.APPEND);
        Files.delete(dir.resolve("catalogue"));
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            assertAllReadersRefuse(store, "a second frame magic appended, catalogue rebuilt");
        }
    }

    @Test
    void headerOfAnotherCheckpointIsRefused() throws IOException {
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            Files.copy(store.fileOf(3), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            CorruptCheckpointException e = assertAllReadersRefuse(store, "file of checkpoint 3 under the name of 2");
            assertTrue(e.getMessage().contains("expected=2 actual=3"), e.getMessage());
            assertEquals(8, e.offset());
        }
    }

    @Test
    void deletedFileIsRefusedAndMissingAfterReopen() throws IOException {
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            Files.delete(file);
            CorruptCheckpointException e = assertAllReadersRefuse(store, "file deleted");
            assertTrue(e.getMessage().contains("missing"), e.getMessage());
            assertEquals(CorruptCheckpointException.UNKNOWN_OFFSET, e.offset());
        }
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            List<CheckpointMeta> listed = store.list();
            assertEquals(List.of(1L, 2L, 3L), listed.stream().map(CheckpointMeta::number).toList());
            assertEquals(CheckpointMeta.State.MISSING, store.get(2).orElseThrow().state());
            assertEquals(LABEL, store.get(2).orElseThrow().label(), "a missing checkpoint can still be named");
            assertTrue(store.repairs().stream().anyMatch(s -> s.contains("00000000000000000002.ckpt")), store.repairs().toString());
            assertAllReadersRefuse(store, "file deleted, reopened");
            assertOthersRead(store);
            long onDisk = Files.size(store.fileOf(1)) + Files.size(store.fileOf(3)) + Files.size(dir.resolve("catalogue"));
            assertEquals(onDisk, store.bytesOnDisk(), "a missing file takes no space");
            store.delete(2);
            assertTrue(store.get(2).isEmpty());
        }
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            assertEquals(List.of(), store.repairs());
            assertEquals(List.of(1L, 3L), store.list().stream().map(CheckpointMeta::number).toList());
        }
    }

    /**
     * A flip inside LZ4 block data can be harmless: a match offset that now points at an identical
     * earlier run decodes to the same image. Then every reader must return exactly that image.
     */
    private boolean decodesUnchanged(CheckpointStore store, String what) throws IOException {
        byte[] out;
        try {
            out = store.read(2);
        } catch (CorruptCheckpointException e) {
            return false;
        }
        assertArrayEquals(images[2], out, what + ": decoded without complaint, so it must decode to the image");
        store.verify(2);
        System.out.println("harmless " + what + " (decodes to the identical image)");
        return true;
    }

    private CorruptCheckpointException assertAllReadersRefuse(CheckpointStore store, String what) throws IOException {
        Path target = tmp.resolve("extract.db");
        Files.deleteIfExists(target);
        CorruptCheckpointException first = refused(() -> store.read(2), what + ": read");
        refused(() -> store.verify(2), what + ": verify");
        refused(() -> store.extractTo(2, target, n -> { }), what + ": extractTo");
        assertFalse(Files.exists(target), what + ": extractTo left a target");
        assertFalse(Files.exists(tmp.resolve("extract.db.tmp")), what + ": extractTo left its temp file");
        return first;
    }

    private CorruptCheckpointException refused(Executable call, String what) {
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, call, what);
        assertEquals(file, e.file(), what + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), what + ": " + e.getMessage());
        return e;
    }

    private void assertOthersRead(CheckpointStore store) throws IOException {
        for (long n : new TreeSet<>(List.of(1L, 3L))) {
            assertArrayEquals(images[(int) n], store.read(n), "checkpoint " + n);
            store.verify(n);
        }
        try (RandomAccessFile raf = new RandomAccessFile(store.fileOf(1).toFile(), "r")) {
            assertTrue(raf.length() > 0);
        }
    }
}
