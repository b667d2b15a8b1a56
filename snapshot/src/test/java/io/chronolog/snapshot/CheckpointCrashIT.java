package io.chronolog.snapshot;

import io.chronolog.snapshot.internal.CatalogueFormat;
import io.chronolog.snapshot.internal.CheckpointFormat;
import io.chronolog.snapshot.internal.StepListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stops writes and deletes at every step a crash could stop them, then reopens: the store must
 * repair itself and never list a checkpoint that was not completely written.
 */
class CheckpointCrashIT {

    /** Stands for the process dying: an Error, so the store's cleanup for exceptions does not run. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String step) {
            super("simulated crash after " + step);
        }
    }

    @TempDir
    Path dir;

    private final byte[] first = Images.compressible(Images.random("crash-1"), 200_000);
    private final byte[] second = Images.incompressible(Images.random("crash-2"), 300_000);

    @ParameterizedTest
    @ValueSource(strings = {
        StepListener.CHECKPOINT_TEMP_WRITTEN, StepListener.CHECKPOINT_TEMP_SYNCED,
        StepListener.CHECKPOINT_RENAMED, StepListener.CHECKPOINT_DIRECTORY_SYNCED,
        StepListener.CATALOGUE_TEMP_SYNCED, StepListener.CATALOGUE_RENAMED})
    void crashAtEachStepOfWriteIsRepairedOnOpen(String step) throws IOException {
        CheckpointStore store = CheckpointStore.open(dir);
        store.write(Images.draft(1), first);
        store.steps(s -> {
            if (s.equals(step)) {
                throw new SimulatedCrash(s);
            }
        });
        assertThrows(SimulatedCrash.class, () -> store.write(Images.draft(2), second));
        // the store is abandoned as a dead process would leave it

        boolean renamed = !step.equals(StepListener.CHECKPOINT_TEMP_WRITTEN) && !step.equals(StepListener.CHECKPOINT_TEMP_SYNCED);
        try (CheckpointStore reopened = CheckpointStore.open(dir)) {
            assertNoTempFiles();
            assertEveryListedCheckpointVerifies(reopened);
            List<Long> numbers = reopened.list().stream().map(CheckpointMeta::number).toList();
            if (renamed) {
                assertEquals(List.of(1L, 2L), numbers, step);
                assertArrayEquals(second, reopened.read(2));
            } else {
                assertEquals(List.of(1L), numbers, step);
                assertFalse(Files.exists(reopened.fileOf(2)));
            }
            reopened.write(Images.draft(3), new byte[] {3});
        }
        try (CheckpointStore again = CheckpointStore.open(dir)) {
            assertEquals(List.of(), again.repairs(), "the first open repaired everything");
        }
    }

    @Test
    void tornTempFileIsNeverListed() throws IOException {
        CheckpointStore store = CheckpointStore.open(dir);
        store.write(Images.draft(1), first);
        Path temp = dir.resolve(CheckpointFormat.fileName(2) + CheckpointFormat.TEMP_SUFFIX);
        store.steps(s -> {
            if (s.equals(StepListener.CHECKPOINT_TEMP_WRITTEN)) {
                byte[] bytes = Files.readAllBytes(temp);
                Files.write(temp, java.util.Arrays.copyOf(bytes, bytes.length / 2));
                throw new SimulatedCrash(s);
            }
        });
        assertThrows(SimulatedCrash.class, () -> store.write(Images.draft(2), second));
        Files.write(dir.resolve(CatalogueFormat.FILE_NAME + CheckpointFormat.TEMP_SUFFIX), new byte[] {1, 2, 3});
        try (CheckpointStore reopened = CheckpointStore.open(dir)) {
            assertEquals(List.of(1L), reopened.list().stream().map(CheckpointMeta::number).toList());
            assertNoTempFiles();
            assertEquals(2, reopened.repairs().size(), reopened.repairs().toString());
            assertTrue(reopened.repairs().stream().allMatch(s -> s.startsWith("deleted leftover temp file")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StepListener.CATALOGUE_TEMP_SYNCED, StepListener.DELETE_CATALOGUE_WRITTEN})
    void crashDuringDeleteNeverLeavesAnEntryWithoutItsFile(String step) throws IOException {
        CheckpointStore store = CheckpointStore.open(dir);
        store.write(Images.draft(1), first);
        store.write(Images.draft(2), second);
        store.steps(s -> {
            if (s.equals(step)) {
                throw new SimulatedCrash(s);
            }
        });
        assertThrows(SimulatedCrash.class, () -> store.delete(1));
        try (CheckpointStore reopened = CheckpointStore.open(dir)) {
            // Either the delete had not happened, or the file is adopted again: never MISSING.
            assertTrue(reopened.list().stream().allMatch(m -> m.state() == CheckpointMeta.State.AVAILABLE));
            assertEquals(List.of(1L, 2L), reopened.list().stream().map(CheckpointMeta::number).toList());
            assertEveryListedCheckpointVerifies(reopened);
            reopened.delete(1);
            assertEquals(List.of(2L), reopened.list().stream().map(CheckpointMeta::number).toList());
        }
    }

    @Test
    void checkpointRenamedButNeverCataloguedIsAdopted() throws IOException {
        byte[] catalogueBefore;
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            store.write(Images.draft(1), first);
            catalogueBefore = Files.readAllBytes(dir.resolve("catalogue"));
            store.write(Images.draft(2, CheckpointMeta.Kind.BACKUP_AUTOMATIC, "auto-1"), second);
        }
        Files.write(dir.resolve("catalogue"), catalogueBefore);
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            CheckpointMeta adopted = store.get(2).orElseThrow();
            assertEquals(CheckpointMeta.Kind.BACKUP_AUTOMATIC, adopted.kind());
            assertEquals("auto-1", adopted.label());
            assertEquals(second.length, adopted.rawSize());
            assertTrue(store.repairs().get(0).startsWith("adopted 00000000000000000002.ckpt"), store.repairs().toString());
            assertArrayEquals(second, store.read(2));
        }
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            assertEquals(List.of(), store.repairs(), "the adoption was written to the catalogue");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"flip", "truncate", "empty", "delete", "garbage"})
    void damagedOrMissingCatalogueIsRebuiltFromHeaders(String damage) throws IOException {
        List<CheckpointMeta> before;
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            store.write(Images.draft(1), first);
            store.write(Images.draft(2, CheckpointMeta.Kind.BACKUP_MANUAL, "b"), second);
            store.write(Images.draft(9), new byte[0]);
            before = store.list();
        }
        Path catalogue = dir.resolve("catalogue");
        byte[] bytes = Files.readAllBytes(catalogue);
        switch (damage) {
            case "flip" -> {
                bytes[bytes.length / 2] ^= 0x10;
                Files.write(catalogue, bytes);
            }
            case "truncate" -> Files.write(catalogue, java.util.Arrays.copyOf(bytes, bytes.length - 30));
            case "empty" -> Files.write(catalogue, new byte[0]);
            case "delete" -> Files.delete(catalogue);
            case "garbage" -> Files.write(catalogue, "not a catalogue".getBytes(StandardCharsets.US_ASCII));
            default -> throw new AssertionError(damage);
        }
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            assertEquals(before, store.list(), damage);
            assertEquals(1, store.repairs().size(), store.repairs().toString());
            assertTrue(store.repairs().get(0).contains("rebuilt from 3 checkpoint headers"), store.repairs().toString());
            assertEquals(!damage.equals("delete"), Files.exists(dir.resolve(CheckpointStore.CORRUPT_CATALOGUE_NAME)));
            assertEveryListedCheckpointVerifies(store);
        }
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            assertEquals(List.of(), store.repairs());
        }
    }

    @Test
    void uncataloguedFileWithBadHeaderIsLeftInPlaceAndNotListed() throws IOException {
        Path stray;
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            store.write(Images.draft(1), first);
            stray = store.fileOf(5);
        }
        byte[] bytes = Files.readAllBytes(dir.resolve(CheckpointFormat.fileName(1)));
        bytes[10] ^= 1;
        Files.write(stray, bytes);
        Files.write(dir.resolve(CheckpointFormat.fileName(6)), Files.readAllBytes(dir.resolve(CheckpointFormat.fileName(1))));
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            assertEquals(List.of(1L), store.list().stream().map(CheckpointMeta::number).toList());
            assertTrue(Files.exists(stray));
            assertEquals(2, store.repairs().size(), store.repairs().toString());
            assertTrue(store.repairs().get(0).contains("header checksum mismatch"), store.repairs().toString());
            assertTrue(store.repairs().get(1).contains("header number disagrees with the file name"), store.repairs().toString());
            assertThrows(FileAlreadyExistsException.class, () -> store.write(Images.draft(5), new byte[1]));
        }
    }

    @Test
    void newerCatalogueVersionIsRefusedNotRebuilt() throws IOException {
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            store.write(Images.draft(1), first);
        }
        Path catalogue = dir.resolve("catalogue");
        byte[] bytes = Files.readAllBytes(catalogue);
        ByteBuffer.wrap(bytes).putShort(4, (short) 2);
        resealCrc(bytes, bytes.length - 4);
        Files.write(catalogue, bytes);
        UnsupportedFormatVersionException e = assertThrows(UnsupportedFormatVersionException.class, () -> CheckpointStore.open(dir));
        assertTrue(e.getMessage().startsWith("unsupported catalogue format version 2 (supported 1..1)"), e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(catalogue), "left untouched");
    }

    @Test
    void newerCheckpointVersionIsRefusedWithTheVersionInTheMessage() throws IOException {
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            store.write(Images.draft(1), first);
            Path file = store.fileOf(1);
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer.wrap(bytes).putShort(4, (short) 7);
            resealCrc(bytes, CheckpointFormat.FIXED_HEADER_BYTES - 4);
            Files.write(file, bytes);
            UnsupportedFormatVersionException e = assertThrows(UnsupportedFormatVersionException.class, () -> store.read(1));
            assertEquals("unsupported checkpoint format version 7 (supported 1..1)", e.problem());
            assertEquals(7, e.version());
            assertEquals(file, e.file());
            assertEquals(4, e.offset());
        }
    }

    @Test
    void killedWriterProcessLeavesOnlyCompleteCheckpoints() throws Exception {
        SplittableRandom r = Images.random("kill");
        for (int round = 0; round < 3; round++) {
            Path store = dir.resolve("round-" + round);
            List<Long> acknowledged = new ArrayList<>();
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CheckpointWriterChild.class.getName(), store.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                int wanted = 3 + r.nextInt(6);
                String line;
                while (acknowledged.size() < wanted && (line = out.readLine()) != null) {
                    if (line.startsWith("written ")) {
                        acknowledged.add(Long.parseLong(line.substring("written ".length()).trim()));
                    }
                }
                Thread.sleep(r.nextInt(30));
                child.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            }
            assertTrue(acknowledged.size() >= 3, "child wrote " + acknowledged);
            try (CheckpointStore reopened = CheckpointStore.open(store)) {
                List<Long> listed = reopened.list().stream().map(CheckpointMeta::number).toList();
                assertTrue(listed.containsAll(acknowledged), "acknowledged " + acknowledged + " listed " + listed);
                assertEveryListedCheckpointVerifies(reopened);
                for (long n : listed) {
                    assertArrayEquals(CheckpointWriterChild.image(n), reopened.read(n), "checkpoint " + n);
                }
            }
        }
    }

    private static void resealCrc(byte[] bytes, int crcAt) {
        ByteBuffer.wrap(bytes).putInt(crcAt, (int) CheckpointFormat.crc32c(bytes, 0, crcAt));
    }

    private void assertNoTempFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> temps = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertEquals(List.of(), temps);
        }
    }

    private static void assertEveryListedCheckpointVerifies(CheckpointStore store) throws IOException {
        for (CheckpointMeta m : store.list()) {
            assertEquals(CheckpointMeta.State.AVAILABLE, m.state(), m.toString());
            store.verify(m.number());
        }
    }
}
