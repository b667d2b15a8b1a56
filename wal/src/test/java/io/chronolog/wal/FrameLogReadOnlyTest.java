package io.chronolog.wal;

import static io.chronolog.wal.LogFiles.DAY;
import static io.chronolog.wal.LogFiles.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameLogReadOnlyTest {

    private static final int PER_DAY = 10;

    @TempDir
    Path tmp;

    private final LogFiles.FakeTime time = new LogFiles.FakeTime(T0);

    /** Appends {@code days} days of {@link #PER_DAY} frames each after the last frame, one cycle file per day. */
    private List<Frame> fill(FrameLog log, int fromDay, int days) throws IOException {
        List<Frame> out = new ArrayList<>();
        for (int d = fromDay; d < fromDay + days; d++) {
            time.set(T0 + d * DAY);
            for (int i = 0; i < PER_DAY; i++) {
                long p = log.lastPosition() + 1;
                out.add(log.append(0, 0, p, T0 + d * DAY + i, FrameKind.STATEMENTS, AppendingChild.payload(p)));
            }
        }
        log.sync();
        return out;
    }

    private static List<Frame> readAll(FrameLog log, long from) throws IOException {
        List<Frame> out = new ArrayList<>();
        try (FrameCursor c = log.readFrom(from)) {
            for (Frame f; (f = c.next()) != null; ) {
                out.add(f);
            }
        }
        return out;
    }

    /** Every file under {@code dir}: name, size, modification time and SHA-256 of the bytes. */
    static Map<String, String> fingerprint(Path dir) throws Exception {
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

    @Test
    void readOnlyOpenReadsEverythingAndModifiesNoFile() throws Exception {
        List<Frame> frames;
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            frames = fill(log, 0, 3);
        }
        Map<String, String> before = fingerprint(tmp);
        Thread.sleep(20);  // a write now would show in the modification times

        try (FrameLog ro = FrameLog.openReadOnly(tmp, LogFiles.options(new LogFiles.FakeTime(T0 - 5 * DAY)))) {
            assertTrue(ro.isReadOnly());
            assertEquals(30, ro.recovery().frames());
            assertEquals(0, ro.recovery().discardedTailEntries());
            assertEquals(1, ro.firstPosition());
            assertEquals(30, ro.lastPosition());
            assertEquals(frames.get(29).hash(), ro.lastHash());
            assertEquals(frames, readAll(ro, 1));
            assertEquals(frames.get(14), ro.read(15));
            assertEquals(20, ro.positionAt(T0 + DAY + 9));
            assertEquals(0, ro.refresh());
            assertTrue(ro.bytesOnDisk() > 0);
        }
        assertEquals(before, fingerprint(tmp));
    }

    @Test
    void readOnlyLogRefusesEveryWrite() throws Exception {
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            fill(log, 0, 1);
            assertEquals(0, log.refresh(), "a writable log already sees every frame");
        }
        try (FrameLog ro = FrameLog.openReadOnly(tmp, LogFiles.options(time))) {
            for (var call : List.<org.junit.jupiter.api.function.Executable>of(
                    () -> ro.append(0, 0, 11, T0 + 100, FrameKind.STATEMENTS, new byte[] {1}),
                    ro::sync,
                    () -> ro.pruneBefore(5))) {
                IllegalStateException e = assertThrows(IllegalStateException.class, call);
                assertTrue(e.getMessage().startsWith("log opened read-only"), e.getMessage());
                assertTrue(e.getMessage().contains(tmp.toString()), e.getMessage());
            }
            assertEquals(10, ro.lastPosition());
        }
    }

    @Test
    void readOnlyOpenOfAMissingDirectoryNamesItAndCreatesNothing() {
        Path missing = tmp.resolve("no/such/wal");
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> FrameLog.openReadOnly(missing, LogFiles.options(time)));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("no")));
    }

    @Test
    void tornTailIsSkippedInMemoryAndNeverRepaired() throws Exception {
        List<Frame> frames;
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            frames = fill(log, 0, 1);
        }
        LogFiles.locate(tmp, frames.get(9)).flip(FrameCodec.HEADER_BYTES + 1, 0x20);
        Map<String, String> before = fingerprint(tmp);
        Thread.sleep(20);
        try (FrameLog ro = FrameLog.openReadOnly(tmp, LogFiles.options(time))) {
            assertEquals(9, ro.lastPosition());
            assertEquals(1, ro.recovery().discardedTailEntries());
            assertEquals(frames.subList(0, 9), readAll(ro, 1));
        }
        assertEquals(before, fingerprint(tmp));

        // the writer appends frame 10 again after the torn entry; a reader open meanwhile takes it in
        try (FrameLog ro = FrameLog.openReadOnly(tmp, LogFiles.options(time));
                FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals(9, log.lastPosition());
            Frame again = log.append(0, 0, 10, T0 + 50, FrameKind.STATEMENTS, new byte[] {10});
            log.sync();
            assertEquals(1, ro.refresh());
            assertEquals(10, ro.lastPosition());
            assertEquals(again, ro.read(10));
            assertEquals(again.hash(), ro.lastHash());
            assertTrue(ro.recovery().detail().contains("skipped 1 invalid entries"), ro.recovery().detail());
        }
    }

    @Test
    void refreshFollowsPruningByTheWriter() throws Exception {
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time));
                FrameLog ro = FrameLog.openReadOnly(tmp, LogFiles.options(time))) {
            assertEquals(0, ro.lastPosition());
            List<Frame> frames = fill(log, 0, 4);
            assertEquals(40, ro.refresh());
            assertEquals(frames, readAll(ro, 1));
            FrameCursor stale = ro.readFrom(1);

            assertEquals(20, log.pruneBefore(25));
            IllegalStateException gone = assertThrows(IllegalStateException.class, () -> ro.read(5));
            assertTrue(gone.getMessage().contains("pruned by the process writing"), gone.getMessage());

            List<Frame> more = fill(log, 4, 1);
            assertEquals(10, ro.refresh());
            assertEquals(21, ro.firstPosition());
            assertEquals(50, ro.lastPosition());
            assertThrows(IllegalArgumentException.class, () -> ro.read(20));
            assertThrows(IllegalStateException.class, stale::next);
            stale.close();
            List<Frame> expected = new ArrayList<>(frames.subList(20, 40));
            expected.addAll(more);
            assertEquals(expected, readAll(ro, 21));
            assertEquals(ro.positionAt(T0 + 4 * DAY + 9), 50);
        }
    }

    @Test
    void readerFollowsAnotherProcessAppendingWithoutDisturbingIt() throws Exception {
        Path dir = tmp.resolve("wal");
        long perCycle = 1000;
        List<String> cmd = FrameLogDurabilityTest.javaCommand(true, AppendingChild.class);
        cmd.addAll(List.of(dir.toString(), Long.toString(perCycle)));
        Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = out.readLine();
            assertTrue(ready != null && ready.startsWith("READY "), "child said: " + ready);

            long refreshesThatGrew = 0;
            long verified;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            // the reader's clock stays at T0 while the writer rolls to later days
            try (FrameLog ro = FrameLog.openReadOnly(dir, LogFiles.options(new LogFiles.FakeTime(T0)))) {
                assertTrue(ro.lastPosition() >= 500, "lastPosition=" + ro.lastPosition());
                verified = checkFrames(ro, 1);
                while (refreshesThatGrew < 5 || ro.lastPosition() < 5 * perCycle) {
                    assertTrue(child.isAlive(), "the writer stopped while it was read");
                    assertTrue(System.nanoTime() < deadline, "the reader saw only " + ro.lastPosition() + " frames");
                    long last = ro.lastPosition();
                    long added = ro.refresh();
                    assertEquals(ro.lastPosition() - last, added);
                    if (added > 0) {
                        refreshesThatGrew++;
                        verified += checkFrames(ro, last + 1);
                    }
                    Thread.sleep(20);
                }
                child.getOutputStream().write('\n');
                child.getOutputStream().close();
                String done = out.readLine();
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not finish");
                assertEquals(0, child.exitValue(), "the writer failed while it was read");
                assertTrue(done != null && done.startsWith("DONE "), "child said: " + done);
                long total = Long.parseLong(done.substring(5));
                ro.refresh();
                verified += checkFrames(ro, verified + 1);
                assertEquals(total, ro.lastPosition());
                assertEquals(total, verified);
                assertEquals(0, ro.recovery().discardedTailEntries());
                assertEquals(ro.read(total).hash(), ro.lastHash());
                assertTrue(LogFiles.cycleFiles(dir).size() >= 5, "the writer rolled cycle files while read");

                // and a writable open afterwards finds the log whole
                try (FrameLog log = FrameLog.open(dir, LogFiles.options(new LogFiles.FakeTime(T0)))) {
                    assertEquals(total, log.lastPosition());
                    assertEquals(0, log.recovery().discardedTailEntries());
                }
            }
        } finally {
            child.destroyForcibly();
        }
    }

    /** Reads and verifies (cursor: position and chain) frames {@code from..lastPosition()}, checking payloads. */
    private static long checkFrames(FrameLog log, long from) throws IOException {
        long n = 0;
        long expect = from;
        try (FrameCursor c = log.readFrom(from)) {
            for (Frame f; (f = c.next()) != null; ) {
                assertEquals(expect, f.position());
                assertArrayEquals(AppendingChild.payload(expect), f.payload());
                expect++;
                n++;
            }
        }
        assertEquals(log.lastPosition() - from + 1, n);
        return n;
    }
}
