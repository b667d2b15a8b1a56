package io.chronolog.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {

    private static final int BIG = 20 * 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void openCreatesTheDirectoryWithAnEmptyCatalogue() throws IOException {
        Path dir = tmp.resolve("a/b/checkpoints");
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            assertTrue(Files.isDirectory(dir));
            assertTrue(Files.exists(dir.resolve("catalogue")));
            assertEquals(List.of(), store.list());
            assertEquals(List.of(), store.repairs());
            assertEquals(dir, store.directory());
            assertEquals(dir.resolve("00000000000000000042.ckpt"), store.fileOf(42));
        }
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            assertEquals(List.of(), store.repairs());
        }
    }

    @Test
    void smallImagesRoundTripFromBytesAndFromFile() throws IOException {
        SplittableRandom r = Images.random("small");
        try (CheckpointStore store = CheckpointStore.open(tmp.resolve("ck"))) {
            byte[] empty = new byte[0];
            byte[] one = {42};
            byte[] page = Images.compressible(r, 4096);
            Path pageFile = Files.write(tmp.resolve("page.db"), page);

            CheckpointMeta m1 = store.write(Images.draft(1), empty);
            CheckpointMeta m2 = store.write(Images.draft(2), one);
            CheckpointMeta m3 = store.write(Images.draft(3, CheckpointMeta.Kind.BACKUP_MANUAL,
                    "0b1e8c2a-5d4f-4c3b-9a7e-6f2d1c0b9a88"), pageFile);

            assertEquals(0, m1.rawSize());
            assertEquals(1, m2.rawSize());
            assertEquals(4096, m3.rawSize());
            assertEquals(CheckpointMeta.State.AVAILABLE, m3.state());
            assertArrayEquals(empty, store.read(1));
            assertArrayEquals(one, store.read(2));
            assertArrayEquals(page, store.read(3));
            assertEquals(List.of(m1, m2, m3), store.list());
            assertEquals(m3, store.get(3).orElseThrow());
            assertTrue(store.get(4).isEmpty());

            Path out = tmp.resolve("out.db");
            AtomicLong progress = new AtomicLong();
            store.extractTo(3, out, progress::addAndGet);
            assertArrayEquals(page, Files.readAllBytes(out));
            assertEquals(4096, progress.get());
            assertFalse(Files.exists(tmp.resolve("out.db.tmp")));
            store.extractTo(1, out, null);
            assertEquals(0, Files.size(out));
        }
        try (CheckpointStore reopened = CheckpointStore.open(tmp.resolve("ck"))) {
            assertEquals(List.of(), reopened.repairs());
            assertEquals(3, reopened.list().size());
            assertEquals("0b1e8c2a-5d4f-4c3b-9a7e-6f2d1c0b9a88", reopened.get(3).orElseThrow().label());
            reopened.verify(3);
        }
    }

    @Test
    void largeIncompressibleImageRoundTripsFromBytes() throws IOException {
        byte[] image = Images.incompressible(Images.random("big-random"), BIG);
        roundTripLarge(image, false);
    }

    @Test
    void largeCompressibleImageRoundTripsFromFile() throws IOException {
        byte[] image = Images.compressible(Images.random("big-text"), BIG + 12345);
        CheckpointMeta meta = roundTripLarge(image, true);
        assertTrue(meta.compressedSize() < image.length / 2, "compressed " + meta.compressedSize());
    }

    private CheckpointMeta roundTripLarge(byte[] image, boolean fromFile) throws IOException {
        try (CheckpointStore store = CheckpointStore.open(tmp.resolve("ck"))) {
            CheckpointMeta meta;
            if (fromFile) {
                meta = store.write(Images.draft(7), Files.write(tmp.resolve("image.db"), image));
            } else {
                meta = store.write(Images.draft(7), image);
            }
            assertEquals(image.length, meta.rawSize());
            assertEquals(Files.size(store.fileOf(7)), 91 + meta.compressedSize());

            Path out = tmp.resolve("restored.db");
            AtomicLong sum = new AtomicLong();
            AtomicInteger calls = new AtomicInteger();
            store.extractTo(7, out, n -> {
                sum.addAndGet(n);
                calls.incrementAndGet();
            });
            assertEquals(image.length, sum.get());
            assertTrue(calls.get() > 1, "progress reported in steps: " + calls.get());
            assertEquals(-1, Files.mismatch(out, fromFile ? tmp.resolve("image.db") : Files.write(tmp.resolve("x"), image)));
            assertArrayEquals(image, store.read(7));
            store.verify(7);
            return meta;
        }
    }

    @Test
    void writeRefusesANumberAlreadyListed() throws IOException {
        try (CheckpointStore store = CheckpointStore.open(tmp)) {
            store.write(Images.draft(1), new byte[10]);
            assertThrows(IllegalArgumentException.class, () -> store.write(Images.draft(1), new byte[10]));
            assertThrows(IllegalArgumentException.class, () -> store.read(2));
            assertThrows(IllegalArgumentException.class, () -> store.delete(2));
        }
    }

    @Test
    void writeRefusesANumberHeldByAnUnlistedFile() throws IOException {
        try (CheckpointStore store = CheckpointStore.open(tmp)) {
            Files.write(store.fileOf(5), new byte[] {1, 2, 3});
            assertThrows(FileAlreadyExistsException.class, () -> store.write(Images.draft(5), new byte[10]));
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(store.fileOf(5)));
        }
    }

    @Test
    void deleteRemovesFileAndEntryDurably() throws IOException {
        try (CheckpointStore store = CheckpointStore.open(tmp)) {
            store.write(Images.draft(1), new byte[100]);
            store.write(Images.draft(2), new byte[100]);
            long before = store.bytesOnDisk();
            store.delete(1);
            assertFalse(Files.exists(store.fileOf(1)));
            assertEquals(List.of(2L), store.list().stream().map(CheckpointMeta::number).toList());
            assertTrue(store.bytesOnDisk() < before);
        }
        try (CheckpointStore store = CheckpointStore.open(tmp)) {
            assertEquals(List.of(), store.repairs());
            assertEquals(List.of(2L), store.list().stream().map(CheckpointMeta::number).toList());
        }
    }

    @Test
    void bytesOnDiskCountsCheckpointFilesAndCatalogue() throws IOException {
        try (CheckpointStore store = CheckpointStore.open(tmp)) {
            store.write(Images.draft(1), Images.compressible(Images.random("bytes"), 50_000));
            store.write(Images.draft(2, CheckpointMeta.Kind.BACKUP_AUTOMATIC, "label"), new byte[0]);
            long expected;
            try (Stream<Path> files = Files.list(tmp)) {
                expected = files.mapToLong(p -> p.toFile().length()).sum();
            }
            assertEquals(expected, store.bytesOnDisk());
        }
    }

    @Test
    void extractReplacesAnExistingTarget() throws IOException {
        try (CheckpointStore store = CheckpointStore.open(tmp.resolve("ck"))) {
            store.write(Images.draft(1), new byte[] {1, 2, 3});
            Path out = Files.write(tmp.resolve("out"), new byte[1000]);
            store.extractTo(1, out, null);
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out));
        }
    }

    @Test
    void closedStoreRefusesCalls() throws IOException {
        CheckpointStore store = CheckpointStore.open(tmp);
        store.close();
        assertThrows(IllegalStateException.class, store::list);
        assertThrows(IllegalStateException.class, () -> store.write(Images.draft(1), new byte[1]));
        assertThrows(IllegalStateException.class, () -> store.read(1));
    }

    @Test
    void concurrentWritersAndReadersSeeOnlyCompleteCheckpoints() throws Exception {
        SplittableRandom seed = Images.random("concurrent");
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            images.add(Images.compressible(seed.split(), 20_000 + i * 100));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (CheckpointStore store = CheckpointStore.open(tmp)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    store.write(Images.draft(n), images.get(n));
                    for (CheckpointMeta m : store.list()) {
                        assertArrayEquals(images.get((int) m.number()), store.read(m.number()));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            assertEquals(images.size(), store.list().size());
        } finally {
            pool.shutdownNow();
        }
        try (CheckpointStore store = CheckpointStore.open(tmp)) {
            assertEquals(List.of(), store.repairs());
            assertEquals(images.size(), store.list().size());
        }
    }
}
