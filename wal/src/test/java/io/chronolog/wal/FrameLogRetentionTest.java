package io.chronolog.wal;

import static io.chronolog.wal.LogFiles.DAY;
import static io.chronolog.wal.LogFiles.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameLogRetentionTest {

    private static final int PER_DAY = 10;

    @TempDir
    Path tmp;

    private final LogFiles.FakeTime time = new LogFiles.FakeTime(T0);
    private final List<Frame> written = new ArrayList<>();

    /** Appends {@code days} days of {@link #PER_DAY} frames each, one cycle file per day, starting at day {@code from}. */
    private void fill(FrameLog log, int from, int days) throws Exception {
        for (int d = from; d < from + days; d++) {
            time.set(T0 + d * DAY);
            for (int i = 0; i < PER_DAY; i++) {
                long p = log.lastPosition() + 1;
                written.add(log.append(0, 0, p, T0 + d * DAY + i, FrameKind.STATEMENTS, payload(p)));
            }
        }
        log.sync();
    }

    private static byte[] payload(long position) {
        return ("frame " + position).getBytes(StandardCharsets.UTF_8);
    }

    private static List<Frame> readAll(FrameLog log, long from) throws Exception {
        List<Frame> out = new ArrayList<>();
        try (FrameCursor c = log.readFrom(from)) {
            for (Frame f; (f = c.next()) != null; ) {
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void pruneRemovesWholeCycleFilesBeforeThePosition() throws Exception {
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            fill(log, 0, 4);
            assertEquals(4, LogFiles.cycleFiles(tmp).size());
            long bytesBefore = log.bytesOnDisk();
            List<Path> lastTwoDays = LogFiles.cycleFiles(tmp).subList(2, 4);

            assertEquals(20, log.pruneBefore(25));

            assertEquals(lastTwoDays, LogFiles.cycleFiles(tmp));
            assertEquals(21, log.firstPosition());
            assertEquals(40, log.lastPosition());
            assertTrue(log.bytesOnDisk() < bytesBefore && log.bytesOnDisk() > 0, "bytesOnDisk=" + log.bytesOnDisk());
            IllegalArgumentException gone = assertThrows(IllegalArgumentException.class, () -> log.read(20));
            assertTrue(gone.getMessage().contains("the log holds positions 21..40"), gone.getMessage());
            assertThrows(IllegalArgumentException.class, () -> log.readFrom(1));
            assertThrows(IllegalArgumentException.class, () -> log.timestampOf(1));
            assertEquals(written.get(20), log.read(21));
            assertEquals(T0 + 2 * DAY + 4, log.timestampOf(25));
            assertEquals(written.subList(20, 40), readAll(log, 21));
            assertEquals(written.subList(29, 40), readAll(log, 30));

            assertEquals(0, log.positionAt(T0));
            assertEquals(0, log.positionAt(T0 + 2 * DAY - 1));
            assertEquals(21, log.positionAt(T0 + 2 * DAY));
            assertEquals(25, log.positionAt(T0 + 2 * DAY + 4));
            assertEquals(40, log.positionAt(Long.MAX_VALUE));

            long bytesAfterPrune = log.bytesOnDisk();
            Frame next = log.append(0, 0, 41, T0 + 3 * DAY + 50, FrameKind.STATEMENTS, payload(41));
            assertEquals(41, next.position());
            assertEquals(FrameCodec.chain(written.get(39).hash(), next), next.hash());
            written.add(next);
            log.sync();
            assertTrue(log.bytesOnDisk() > bytesAfterPrune);
            assertEquals(0, log.pruneBefore(21), "nothing left before 21");
        }
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals("verified 21 frames (positions 21..41)", log.recovery().detail());
            assertEquals(21, log.firstPosition());
            assertEquals(written.get(40).hash(), log.lastHash());
            assertEquals(written.subList(20, 41), readAll(log, 21));
            assertEquals(0, log.positionAt(T0 + DAY));
            assertEquals(42, log.append(0, 0, 42, T0 + 3 * DAY + 60, FrameKind.STATEMENTS, payload(42)).position());
        }
    }

    @Test
    void pruneKeepsTheCycleHoldingThePosition() throws Exception {
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            fill(log, 0, 3);
            assertEquals(0, log.pruneBefore(10), "frame 10 is in the first cycle");
            assertEquals(0, log.pruneBefore(1));
            assertEquals(0, log.pruneBefore(-5));
            assertEquals(3, LogFiles.cycleFiles(tmp).size());
            assertEquals(1, log.firstPosition());

            assertEquals(10, log.pruneBefore(11), "every frame of the first cycle is below 11");
            assertEquals(11, log.firstPosition());
            assertEquals(0, log.pruneBefore(15), "15 is inside the second cycle");
            assertEquals(11, log.firstPosition());
            assertEquals(2, LogFiles.cycleFiles(tmp).size());
            assertEquals(written.subList(10, 30), readAll(log, 11));
        }
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals("verified 20 frames (positions 11..30)", log.recovery().detail());
        }
    }

    @Test
    void pruneOfEverythingKeepsTheLastCycle() throws Exception {
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals(0, log.pruneBefore(Long.MAX_VALUE), "empty log");
            fill(log, 0, 1);
            assertEquals(0, log.pruneBefore(Long.MAX_VALUE), "one cycle: it holds the last frame");
            fill(log, 3, 2);
            assertEquals(20, log.pruneBefore(Long.MAX_VALUE));
            assertEquals(1, LogFiles.cycleFiles(tmp).size());
            assertEquals(21, log.firstPosition());
            assertEquals(30, log.lastPosition());
            assertEquals(0, log.pruneBefore(Long.MAX_VALUE));
            time.set(T0 + 5 * DAY);
            Frame f = log.append(0, 0, 31, T0 + 5 * DAY, FrameKind.STATEMENTS, payload(31));
            written.add(f);
            log.sync();
            assertEquals(2, LogFiles.cycleFiles(tmp).size());
            assertEquals(written.subList(20, 31), readAll(log, 21));
        }
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals("verified 11 frames (positions 21..31)", log.recovery().detail());
            assertEquals(10, log.pruneBefore(31));
            assertEquals(31, log.firstPosition());
            assertEquals(written.get(30), log.read(31));
        }
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals("verified 1 frames (positions 31..31)", log.recovery().detail());
        }
    }

    @Test
    void reopenWithQueueMetadataFromBeforeThePruneFindsTheRemainingCycles() throws Exception {
        Path stale = tmp.resolve("metadata-before-prune");
        Path log1 = tmp.resolve("wal");
        try (FrameLog log = FrameLog.open(log1, LogFiles.options(time))) {
            fill(log, 0, 3);
            Files.copy(log1.resolve("metadata.cq4t"), stale);
            assertEquals(20, log.pruneBefore(21));
        }
        // a crash after the deletes but before Chronicle's mapped metadata reached the disk
        Files.copy(stale, log1.resolve("metadata.cq4t"), StandardCopyOption.REPLACE_EXISTING);
        try (FrameLog log = FrameLog.open(log1, LogFiles.options(time))) {
            assertEquals("verified 10 frames (positions 21..30)", log.recovery().detail());
            assertEquals(written.subList(20, 30), readAll(log, 21));
            assertEquals(31, log.append(0, 0, 31, T0 + 2 * DAY + 20, FrameKind.STATEMENTS, payload(31)).position());
        }
    }

    @Test
    void cycleStartingWithTornLeftoversIsKeptWithTheCycleBeforeIt() throws Exception {
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            fill(log, 0, 2);
            time.set(T0 + 2 * DAY);
            Frame torn = log.append(0, 0, 21, T0 + 2 * DAY, FrameKind.STATEMENTS, payload(21));
            log.sync();
            LogFiles.locate(tmp, torn).flip(FrameCodec.OVERHEAD_BYTES - 16 - 1, 0x01);
        }
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals(1, log.recovery().discardedTailEntries());
            assertEquals(20, log.lastPosition());
            for (int i = 0; i < PER_DAY; i++) {
                long p = log.lastPosition() + 1;
                written.add(log.append(0, 0, p, T0 + 2 * DAY + i, FrameKind.STATEMENTS, payload(p)));
            }
            assertEquals(3, LogFiles.cycleFiles(tmp).size());
            assertEquals(10, log.pruneBefore(Long.MAX_VALUE), "the third cycle starts with a torn entry: keep the second");
            assertEquals(11, log.firstPosition());
            assertEquals(written.subList(10, 30), readAll(log, 11));
        }
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals(11, log.firstPosition());
            assertEquals(30, log.lastPosition());
            assertEquals(written.get(29).hash(), log.lastHash());
        }
    }

    @Test
    void openCursorsCarryOnOrFailCleanly() throws Exception {
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            fill(log, 0, 4);
            FrameCursor behind = log.readFrom(5);
            assertEquals(written.get(4), behind.next());
            FrameCursor notStarted = log.readFrom(3);
            FrameCursor atBoundary = log.readFrom(18);
            for (int p = 18; p <= 20; p++) {
                assertEquals(written.get(p - 1), atBoundary.next());
            }
            FrameCursor ahead = log.readFrom(30);
            assertEquals(written.get(29), ahead.next());

            assertEquals(20, log.pruneBefore(21));

            IllegalStateException e = assertThrows(IllegalStateException.class, behind::next);
            assertTrue(e.getMessage().contains("frames 1..20 were pruned") && e.getMessage().contains("next frame 6"),
                    e.getMessage());
            assertThrows(IllegalStateException.class, notStarted::next);
            for (int p = 21; p <= 40; p++) {
                assertEquals(written.get(p - 1), atBoundary.next());
            }
            assertNull(atBoundary.next());
            for (int p = 31; p <= 40; p++) {
                assertEquals(written.get(p - 1), ahead.next());
            }
            assertNull(ahead.next());
            behind.close();
            notStarted.close();
            atBoundary.close();
            ahead.close();
        }
    }

    @Test
    void readersOnOtherThreadsSurvivePruning() throws Exception {
        long seed = System.nanoTime();
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            fill(log, 0, 2);
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicBoolean done = new AtomicBoolean();
            List<Thread> readers = new ArrayList<>();
            long[] reads = new long[2];
            for (int r = 0; r < 2; r++) {
                int id = r;
                Thread t = new Thread(() -> {
                    SplittableRandom rnd = new SplittableRandom(seed + id);
                    try {
                        while (!done.get()) {
                            long first = log.firstPosition();
                            long last = log.lastPosition();
                            long p = rnd.nextLong(first, last + 1);
                            try {
                                if (id == 0) {
                                    Frame f = log.read(p);
                                    if (f.position() != p || !new String(f.payload(), StandardCharsets.UTF_8).equals("frame " + p)) {
                                        throw new AssertionError("wrong frame " + f + " for " + p);
                                    }
                                } else {
                                    try (FrameCursor c = log.readFrom(p)) {
                                        long expect = p;
                                        for (Frame f; (f = c.next()) != null; expect++) {
                                            if (f.position() != expect) {
                                                throw new AssertionError("cursor from " + p + " gave " + f.position());
                                            }
                                        }
                                    }
                                }
                                reads[id]++;
                            } catch (IllegalArgumentException | IllegalStateException raced) {
                                // pruned between choosing p and reading it: allowed, and must say so
                                String m = String.valueOf(raced.getMessage());
                                if (!m.contains("no frame at position") && !m.contains("were pruned")) {
                                    throw raced;
                                }
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                readers.add(t);
                t.start();
            }
            for (int d = 2; d < 12; d++) {
                fill(log, d, 1);
                long removed = log.pruneBefore(log.lastPosition() - PER_DAY);
                assertTrue(removed == PER_DAY, "day " + d + " removed " + removed);
                Thread.sleep(20);
            }
            done.set(true);
            for (Thread t : readers) {
                t.join();
            }
            assertTrue(errors.isEmpty(), () -> "seed=" + seed + " errors: " + errors);
            assertTrue(reads[0] > 0 && reads[1] > 0, "reads " + reads[0] + ", " + reads[1]);
            assertEquals(2, LogFiles.cycleFiles(tmp).size());
            assertEquals(10 * PER_DAY + 1, log.firstPosition());
        }
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals(written.subList(10 * PER_DAY, 12 * PER_DAY), readAll(log, 10 * PER_DAY + 1));
        }
    }
}
