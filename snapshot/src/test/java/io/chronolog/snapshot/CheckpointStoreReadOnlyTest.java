package io.chronolog.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreReadOnlyTest {

    @TempDir
    Path tmp;

    private final SplittableRandom random = Images.random("read-only");

    /** Every file under {@code dir}: name, size, modification time and SHA-256 of the bytes. */
    private static Map<String, String> fingerprint(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                String what = a.size() + " " + a.lastModifiedTime().toInstant();
                if (a.isRegularFile()) {
                    what += " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                }
                out.put(dir.relativize(p).toString(), what);
            }
        }
        return out;
    }

    private List<byte[]> writeThree(Path dir) throws IOException {
        List<byte[]> images = new ArrayList<>();
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            for (long n = 1; n <= 3; n++) {
                byte[] image = Images.compressible(random, 8192 * (int) n);
                store.write(Images.draft(n), image);
                images.add(image);
            }
        }
        return images;
    }

    @Test
    void readOnlyOpenReadsVerifiesAndExtractsWithoutTouchingTheDirectory() throws Exception {
        Path dir = tmp.resolve("ck");
        List<byte[]> images = writeThree(dir);
        // what a writer in another process may have in flight: a temp file, a renamed but
        // uncatalogued checkpoint, and (damage) a .ckpt whose header does not verify
        Files.write(dir.resolve("00000000000000000005.ckpt.tmp"), Arrays.copyOf(Files.readAllBytes(dir.resolve("00000000000000000002.ckpt")), 50));
        Path other = tmp.resolve("other");
        byte[] four = Images.compressible(random, 4096);
        try (CheckpointStore s = CheckpointStore.open(other)) {
            s.write(Images.draft(4), four);
        }
        Files.copy(other.resolve("00000000000000000004.ckpt"), dir.resolve("00000000000000000004.ckpt"));
        Files.write(dir.resolve("00000000000000000009.ckpt"), Arrays.copyOf(Files.readAllBytes(dir.resolve("00000000000000000001.ckpt")), 40));
        Map<String, String> before = fingerprint(dir);
        Thread.sleep(20);  // a write now would show in the modification times

        Path out = tmp.resolve("out.db");
        try (CheckpointStore ro = CheckpointStore.openReadOnly(dir)) {
            assertTrue(ro.isReadOnly());
            assertEquals(List.of(1L, 2L, 3L, 4L), ro.list().stream().map(CheckpointMeta::number).toList());
            assertTrue(ro.list().stream().allMatch(m -> m.state() == CheckpointMeta.State.AVAILABLE));
            assertTrue(ro.get(9).isEmpty());
            assertTrue(ro.repairs().stream().anyMatch(r -> r.startsWith("left 00000000000000000009.ckpt in place")), ro.repairs().toString());
            assertTrue(ro.repairs().stream().anyMatch(r -> r.startsWith("adopted 00000000000000000004.ckpt")), ro.repairs().toString());
            for (long n = 1; n <= 3; n++) {
                assertArrayEquals(images.get((int) n - 1), ro.read(n));
                ro.verify(n);
            }
            assertArrayEquals(four, ro.read(4));
            ro.extractTo(2, out, null);
            assertArrayEquals(images.get(1), Files.readAllBytes(out));
            assertEquals(ro.list().get(2), ro.get(3).orElseThrow());
            ro.refresh();
            assertEquals(4, ro.list().size());
        }
        assertEquals(before, fingerprint(dir));
    }

    @Test
    void readOnlyStoreRefusesWriteAndDelete() throws Exception {
        Path dir = tmp.resolve("ck");
        writeThree(dir);
        Path image = Files.write(tmp.resolve("image.db"), new byte[] {1, 2, 3});
        try (CheckpointStore ro = CheckpointStore.openReadOnly(dir)) {
            for (var call : List.<org.junit.jupiter.api.function.Executable>of(
                    () -> ro.write(Images.draft(7), new byte[] {1}),
                    () -> ro.write(Images.draft(7), image),
                    () -> ro.delete(1))) {
                IllegalStateException e = assertThrows(IllegalStateException.class, call);
                assertTrue(e.getMessage().startsWith("checkpoint store opened read-only"), e.getMessage());
                assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            }
            assertEquals(3, ro.list().size());
        }
        assertFalse(Files.exists(dir.resolve("00000000000000000007.ckpt.tmp")));
        assertTrue(Files.exists(dir.resolve("00000000000000000001.ckpt")));
    }

    @Test
    void readOnlyOpenOfAMissingDirectoryNamesItAndCreatesNothing() {
        Path missing = tmp.resolve("no/such/checkpoints");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> CheckpointStore.openReadOnly(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("no")));
    }

    @Test
    void damagedOrMissingCatalogueIsListedFromHeadersInMemoryOnly() throws Exception {
        Path dir = tmp.resolve("ck");
        List<byte[]> images = writeThree(dir);
        Path catalogue = dir.resolve("catalogue");
        byte[] bytes = Files.readAllBytes(catalogue);
        bytes[12] ^= 0x01;
        Files.write(catalogue, bytes);
        Map<String, String> before = fingerprint(dir);
        Thread.sleep(20);
        try (CheckpointStore ro = CheckpointStore.openReadOnly(dir)) {
            assertEquals(List.of(1L, 2L, 3L), ro.list().stream().map(CheckpointMeta::number).toList());
            assertTrue(ro.repairs().get(0).startsWith("catalogue damaged"), ro.repairs().toString());
            assertArrayEquals(images.get(2), ro.read(3));
        }
        assertEquals(before, fingerprint(dir));
        assertFalse(Files.exists(dir.resolve(CheckpointStore.CORRUPT_CATALOGUE_NAME)));

        Files.delete(catalogue);
        before = fingerprint(dir);
        try (CheckpointStore ro = CheckpointStore.openReadOnly(dir)) {
            assertEquals(3, ro.list().size());
            assertTrue(ro.repairs().get(0).startsWith("catalogue missing"), ro.repairs().toString());
            ro.verify(1);
        }
        assertEquals(before, fingerprint(dir));
        assertFalse(Files.exists(catalogue));
    }

    @Test
    void catalogueEntryWithoutItsFileIsShownMissingAndNotRewritten() throws Exception {
        Path dir = tmp.resolve("ck");
        writeThree(dir);
        Files.delete(dir.resolve("00000000000000000002.ckpt"));
        Map<String, String> before = fingerprint(dir);
        try (CheckpointStore ro = CheckpointStore.openReadOnly(dir)) {
            assertEquals(CheckpointMeta.State.MISSING, ro.get(2).orElseThrow().state());
            assertThrows(CorruptCheckpointException.class, () -> ro.verify(2));
        }
        assertEquals(before, fingerprint(dir));
    }

    @Test
    void refreshSeesWhatTheWriterChanged() throws Exception {
        Path dir = tmp.resolve("ck");
        try (CheckpointStore writer = CheckpointStore.open(dir);
                CheckpointStore ro = CheckpointStore.openReadOnly(dir)) {
            assertEquals(List.of(), ro.list());
            byte[] one = Images.compressible(random, 4096);
            writer.write(Images.draft(1), one);
            writer.write(Images.draft(2), Images.compressible(random, 4096));
            assertEquals(List.of(), ro.list(), "a read-only store changes only on refresh");
            ro.refresh();
            assertEquals(writer.list(), ro.list());
            assertArrayEquals(one, ro.read(1));
            writer.delete(2);
            ro.refresh();
            assertEquals(writer.list(), ro.list());
            assertEquals(List.of(), ro.repairs());
            assertThrows(IllegalArgumentException.class, () -> ro.read(2));
        }
    }

    @Test
    void readerRefreshingWhileTheWriterWritesAlwaysSeesWholeCheckpoints() throws Exception {
        Path dir = tmp.resolve("ck");
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (CheckpointStore writer = CheckpointStore.open(dir);
                CheckpointStore ro = CheckpointStore.openReadOnly(dir)) {
            Future<Long> writes = pool.submit(() -> {
                long n = 0;
                SplittableRandom r = Images.random("writer");
                while (!stop.get() && n < 200) {
                    n++;
                    writer.write(Images.draft(n), Images.compressible(r, 16 * 1024));
                    if (n > 5) {
                        writer.delete(n - 5);
                    }
                }
                return n;
            });
            long seen = 0;
            long rounds = 0;
            while (!writes.isDone()) {
                ro.refresh();
                rounds++;
                for (CheckpointMeta m : ro.list()) {
                    assertEquals(CheckpointMeta.State.AVAILABLE, m.state(), "refresh " + rounds + ": " + ro.repairs());
                    try {
                        ro.verify(m.number());
                    } catch (CorruptCheckpointException e) {
                        // deleted by the writer after the refresh: the file is gone, never half there
                        assertFalse(Files.exists(ro.fileOf(m.number())), e.toString());
                    }
                    seen = Math.max(seen, m.number());
                }
                assertTrue(ro.repairs().stream().noneMatch(r -> r.startsWith("left")), ro.repairs().toString());
            }
            long written = writes.get();
            ro.refresh();
            assertEquals(writer.list(), ro.list());
            assertTrue(seen > 0 && rounds > 1, "seen=" + seen + " rounds=" + rounds + " written=" + written);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }
}
