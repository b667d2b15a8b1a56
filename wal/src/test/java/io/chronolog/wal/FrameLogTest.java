package io.chronolog.wal;

import static io.chronolog.wal.LogFiles.DAY;
import static io.chronolog.wal.LogFiles.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameLogTest {

    @TempDir
    Path tmp;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void emptyLogReportsZeros() throws Exception {
        try (FrameLog log = FrameLog.open(tmp.resolve("new/wal"), LogFiles.options(() -> T0))) {
            assertTrue(Files.isDirectory(tmp.resolve("new/wal")));
            assertEquals(0, log.firstPosition());
            assertEquals(0, log.lastPosition());
            assertEquals(Hash128.ZERO, log.lastHash());
            assertEquals(0, log.lastTimestamp());
            assertEquals(0, log.positionAt(Long.MAX_VALUE));
            assertEquals(0, log.recovery().frames());
            try (FrameCursor c = log.readFrom(1)) {
                assertNull(c.next());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.read(1));
            assertTrue(e.getMessage().contains("no frame at position 1: the log is empty"), e.getMessage());
        }
    }

    @Test
    void appendAssignsPositionsAndChainsHashes() throws Exception {
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(() -> T0))) {
            Hash128 prev = Hash128.ZERO;
            for (int i = 1; i <= 10; i++) {
                Frame f = log.append(0, 0, i, T0 + i, FrameKind.STATEMENTS, bytes("p" + i));
                assertEquals(i, f.position());
                assertEquals(FrameCodec.chain(prev, f), f.hash());
                assertEquals(f, log.read(i));
                prev = f.hash();
            }
            assertEquals(1, log.firstPosition());
            assertEquals(10, log.lastPosition());
            assertEquals(prev, log.lastHash());
            assertEquals(T0 + 10, log.lastTimestamp());
            assertTrue(log.bytesOnDisk() > 10 * FrameCodec.OVERHEAD_BYTES, "bytesOnDisk=" + log.bytesOnDisk());
            assertTrue(log.bytesOnDisk() < 1 << 20, "bytesOnDisk=" + log.bytesOnDisk());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.read(11));
            assertTrue(e.getMessage().contains("positions 1..10"), e.getMessage());
        }
    }

    @Test
    void reopenOfACleanLogIsExact() throws Exception {
        List<Frame> written = new ArrayList<>();
        long bytes;
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(() -> T0))) {
            for (int i = 0; i < 50; i++) {
                written.add(log.append(i / 20, i / 10, i % 10, T0 + i, FrameKind.values()[i % 3], bytes("frame " + i)));
            }
            bytes = log.bytesOnDisk();
        }
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(() -> T0))) {
            RecoveryReport r = log.recovery();
            assertEquals(new RecoveryReport(50, 50, 0, r.detail()), r);
            assertEquals("verified 50 frames (positions 1..50)", r.detail());
            assertEquals(written.get(49).hash(), log.lastHash());
            assertEquals(T0 + 49, log.lastTimestamp());
            assertEquals(bytes, log.bytesOnDisk());
            List<Frame> read = new ArrayList<>();
            try (FrameCursor c = log.readFrom(1)) {
                for (Frame f; (f = c.next()) != null; ) {
                    read.add(f);
                }
            }
            assertEquals(written, read);
            try (FrameCursor c = log.readFrom(37)) {
                assertEquals(written.get(36), c.next());
            }
            Frame next = log.append(3, 5, 0, T0 + 50, FrameKind.STATEMENTS, new byte[0]);
            assertEquals(51, next.position());
            assertEquals(FrameCodec.chain(written.get(49).hash(), next), next.hash());
        }
    }

    @Test
    void appendRefusesTimestampsGoingBackwardsAndOversizedFrames() throws Exception {
        try (FrameLog log = FrameLog.open(tmp, new LogOptions(() -> T0, 4096))) {
            log.append(0, 0, 0, T0, FrameKind.STATEMENTS, new byte[0]);
            IllegalArgumentException back = assertThrows(IllegalArgumentException.class,
                    () -> log.append(0, 0, 1, T0 - 1, FrameKind.STATEMENTS, new byte[0]));
            assertTrue(back.getMessage().contains("expected>=" + T0), back.getMessage());
            IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                    () -> log.append(0, 0, 1, T0, FrameKind.STATEMENTS, new byte[4096]));
            assertTrue(big.getMessage().contains("4152 bytes") && big.getMessage().contains("maxFrameBytes=4096"), big.getMessage());
            Frame f = log.append(0, 0, 1, T0, FrameKind.STATEMENTS, new byte[4096 - FrameCodec.OVERHEAD_BYTES]);
            assertEquals(2, f.position());
            assertThrows(IllegalArgumentException.class, () -> log.append(-1, 0, 1, T0, FrameKind.STATEMENTS, new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> log.append(0, 1L << 32, 1, T0, FrameKind.STATEMENTS, new byte[0]));
            assertEquals(2, log.lastPosition());
        }
        assertThrows(IllegalArgumentException.class, () -> new LogOptions(() -> 0, 10));
    }

    @Test
    void largestDefaultFrameFitsChronicleBlock() throws Exception {
        int size = 20 << 20;  // larger than Chronicle's default 16 MiB excerpt limit
        try (FrameLog log = FrameLog.open(tmp, LogOptions.defaults(() -> T0))) {
            byte[] payload = new byte[size];
            payload[size - 1] = 7;
            log.append(0, 0, 0, T0, FrameKind.CHECKPOINT, payload);
            assertArrayEquals(payload, log.read(1).payload());
        }
    }

    @Test
    void positionAtMatchesALinearScan() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Long> stamps = new ArrayList<>();
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(() -> T0))) {
            long t = T0;
            for (int i = 0; i < 300; i++) {
                t += rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(1, 50);
                log.append(0, 0, i, t, FrameKind.STATEMENTS, new byte[0]);
                stamps.add(t);
            }
            for (int q = 0; q < 2000; q++) {
                long probe = T0 - 10 + rnd.nextLong(0, t - T0 + 20);
                long expected = 0;
                for (int i = 0; i < stamps.size(); i++) {
                    if (stamps.get(i) <= probe) {
                        expected = i + 1;
                    }
                }
                assertEquals(expected, log.positionAt(probe), "seed=" + seed + " probe=" + probe);
            }
            assertEquals(300, log.positionAt(Long.MAX_VALUE));
            assertEquals(0, log.positionAt(T0 - 1));
        }
    }

    @Test
    void cycleFilesFollowTheTimeSourceAndNeverTheWallClockOrThePast() throws Exception {
        LogFiles.FakeTime time = new LogFiles.FakeTime(T0);
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            log.append(0, 0, 0, T0, FrameKind.STATEMENTS, bytes("day 1"));
            time.set(T0 + DAY);
            log.append(0, 0, 1, T0 + DAY, FrameKind.STATEMENTS, bytes("day 2"));
            assertEquals(2, LogFiles.cycleFiles(tmp).size());
            Map<Path, Long> sizesBefore = sizes();
            time.set(T0);  // the clock steps back a day
            log.append(0, 0, 2, T0 + DAY, FrameKind.STATEMENTS, bytes("after the step back"));
            log.sync();
            assertEquals(2, LogFiles.cycleFiles(tmp).size());
            Path dayOne = LogFiles.cycleFiles(tmp).get(0);
            assertEquals(LogFiles.locate(tmp, log.read(3)).file(), LogFiles.cycleFiles(tmp).get(1));
            assertEquals(sizesBefore.get(dayOne), Files.size(dayOne));
        }
        time.set(T0 - DAY);  // and further back across a restart
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals(3, log.recovery().frames());
            Frame f = log.append(0, 0, 3, T0 + DAY, FrameKind.STATEMENTS, bytes("after restart"));
            assertEquals(4, f.position());
            assertEquals(LogFiles.cycleFiles(tmp).get(1), LogFiles.locate(tmp, f).file());
            time.set(T0 + 2 * DAY);
            assertEquals(5, log.append(0, 0, 4, T0 + 2 * DAY, FrameKind.STATEMENTS, bytes("day 3")).position());
            assertEquals(3, LogFiles.cycleFiles(tmp).size());
            long p = 0;
            try (FrameCursor c = log.readFrom(1)) {
                for (Frame fr; (fr = c.next()) != null; ) {
                    assertEquals(++p, fr.position());
                }
            }
            assertEquals(5, p);
            assertTrue(LogFiles.cycleFiles(tmp).get(0).getFileName().toString().startsWith("20260921"));
        }
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals(5, log.recovery().frames());
        }
    }

    private Map<Path, Long> sizes() throws Exception {
        java.util.HashMap<Path, Long> m = new java.util.HashMap<>();
        for (Path p : LogFiles.cycleFiles(tmp)) {
            m.put(p, Files.size(p));
        }
        return m;
    }

    @Test
    void readersOnOtherThreadsSeeVerifiedFramesWhileOneThreadAppends() throws Exception {
        int total = 3000;
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(() -> T0))) {
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicBoolean done = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(3);
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                int id = r;
                Thread t = new Thread(() -> {
                    started.countDown();
                    SplittableRandom rnd = new SplittableRandom(id);
                    try {
                        while (!done.get()) {
                            long last = log.lastPosition();
                            if (last == 0) {
                                continue;
                            }
                            long p = rnd.nextLong(1, last + 1);
                            Frame f = log.read(p);
                            if (f.position() != p || !new String(f.payload(), StandardCharsets.UTF_8).equals("frame " + p)) {
                                throw new AssertionError("wrong frame " + f + " for " + p);
                            }
                            if (id == 0) {
                                long count = 0;
                                try (FrameCursor c = log.readFrom(Math.max(1, last - 50))) {
                                    while (c.next() != null) {
                                        count++;
                                    }
                                }
                                if (count < Math.min(51, last)) {
                                    throw new AssertionError("cursor saw " + count);
                                }
                            }
                            log.positionAt(T0 + p);
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                readers.add(t);
                t.start();
            }
            started.await();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 1; i <= total; i++) {
                        log.append(0, 0, i, T0 + i, FrameKind.STATEMENTS, bytes("frame " + i));
                        if (i % 100 == 0) {
                            log.sync();
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            writer.start();
            writer.join();
            done.set(true);
            for (Thread t : readers) {
                t.join();
            }
            assertTrue(errors.isEmpty(), () -> "errors: " + errors);
            assertEquals(total, log.lastPosition());
            assertEquals(total / 100, log.syncCount() - 0, "syncs");
        }
    }

    @Test
    void syncIsANoOpWhenNothingWasAppended() throws Exception {
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(() -> T0))) {
            log.append(0, 0, 0, T0, FrameKind.STATEMENTS, new byte[0]);
            log.sync();
            long n = log.syncCount();
            log.sync();
            assertEquals(n, log.syncCount());
            log.append(0, 0, 1, T0, FrameKind.STATEMENTS, new byte[0]);
            log.sync();
            assertEquals(n + 1, log.syncCount());
        }
    }

    @Test
    void closedLogRefusesUse() throws Exception {
        FrameLog log = FrameLog.open(tmp, LogFiles.options(() -> T0));
        log.append(0, 0, 0, T0, FrameKind.STATEMENTS, new byte[0]);
        FrameCursor open = log.readFrom(1);
        log.close();
        log.close();
        assertThrows(IllegalStateException.class, () -> log.read(1));
        assertThrows(IllegalStateException.class, open::next);
        assertThrows(IllegalStateException.class, () -> log.append(0, 0, 1, T0, FrameKind.STATEMENTS, new byte[0]));
    }
}
