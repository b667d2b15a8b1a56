package io.chronolog.wal;

import static io.chronolog.wal.LogFiles.DAY;
import static io.chronolog.wal.LogFiles.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wal/log.state}: its bytes, and the open that holds the log to the first position it records. */
class LogStateFileTest {
    @TempDir
    Path tmp;

    private final LogFiles.FakeTime time = new LogFiles.FakeTime(T0);

    private void days(FrameLog log, int from, int days) throws Exception {
        for (int d = from; d < from + days; d++) {
            time.set(T0 + d * DAY);
            for (int i = 0; i < 5; i++) {
                long p = log.lastPosition() + 1;
                log.append(0, 0, p, T0 + d * DAY + i, FrameKind.STATEMENTS, ("f" + p).getBytes(StandardCharsets.UTF_8));
            }
        }
        log.sync();
    }

    private static String example(String doc, String prefix) {
        int start = doc.indexOf("```\n" + prefix) + 4;
        assertTrue(start >= 4, "no example starting " + prefix);
        return doc.substring(start, doc.indexOf("```", start)).replaceAll("\\s+", "");
    }

    @Test
    void theDocumentedExampleIsWhatTheEncoderWrites() throws Exception {
        byte[] bytes = LogStateFile.encode(new LogStateFile.State(42, 57));
        String doc = FormatDocTest.doc();
        assertEquals(example(doc, "434c4753 0002"), HexFormat.of().formatHex(bytes));
        assertEquals(new LogStateFile.State(42, 57), LogStateFile.decode(tmp, bytes));
        assertTrue(doc.contains("Current log state version: " + LogStateFile.VERSION + "\n"), "log state version line drifted");
    }

    @Test
    void theVersion1GoldenFileIsStillRead() throws Exception {
        Path golden = Path.of("src", "test", "resources", "golden", "log-state", "v1", "log.state");
        byte[] bytes = Files.readAllBytes(golden);
        assertEquals(example(FormatDocTest.doc(), "434c4753 0001"), HexFormat.of().formatHex(bytes));
        LogStateFile.State s = LogStateFile.decode(golden, bytes);
        assertEquals(new LogStateFile.State(42, LogStateFile.NONE), s);
        assertTrue(!s.syncFailed());
        // and a log whose state file is version 1 opens, and is written as version 2 when it changes
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            days(log, 0, 2);
        }
        String v1 = "434c4753000100000000000000000001"; // version 1, first position 1
        Files.write(tmp.resolve(LogStateFile.FILE_NAME), HexFormat.of().parseHex(v1 + crcHex(v1)));
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals(10, log.lastPosition());
            log.pruneBefore(7);
        }
        assertEquals(LogStateFile.LENGTH, Files.size(tmp.resolve(LogStateFile.FILE_NAME)));
        assertEquals(6, LogStateFile.read(tmp).orElseThrow().firstPosition());
    }

    private static String crcHex(String hex) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(HexFormat.of().parseHex(hex));
        return String.format("%08x", crc.getValue());
    }

    @Test
    void framesAfterTheTrustedEndAreCutBackAndAppendsContinueAfterThem() throws Exception {
        Hash128 trustedHash;
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            days(log, 0, 1);                       // frames 1..5, synced
            trustedHash = log.lastHash();
            for (int i = 0; i < 3; i++) {          // frames 6..8: a sync after them "failed"
                long p = log.lastPosition() + 1;
                log.append(0, 0, p, T0 + 10 + i, FrameKind.STATEMENTS, ("u" + p).getBytes(StandardCharsets.UTF_8));
            }
        }
        LogStateFile.write(tmp, LogStateFile.read(tmp).orElseThrow().withTrustedEnd(5));
        try (FrameLog ro = FrameLog.openReadOnly(tmp, LogFiles.options(time))) {
            assertEquals(5, ro.lastPosition(), "a read-only open serves a frame after the trusted end");
            assertEquals(3, ro.recovery().untrustedFrames());
        }
        assertTrue(LogStateFile.read(tmp).orElseThrow().syncFailed(), "a read-only open changed the state file");
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals(5, log.lastPosition());
            assertEquals(trustedHash, log.lastHash());
            assertEquals(3, log.recovery().untrustedFrames());
            assertEquals(java.util.OptionalLong.of(5), log.cutAfterFailedSync());
            assertTrue(!LogStateFile.read(tmp).orElseThrow().syncFailed(), "the record was not cleared");
            for (int i = 0; i < 2; i++) {
                long p = log.lastPosition() + 1;
                log.append(0, 0, p, T0 + 20 + i, FrameKind.STATEMENTS, ("n" + p).getBytes(StandardCharsets.UTF_8));
            }
            log.sync();
        }
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals(7, log.lastPosition());
            assertEquals(0, log.recovery().untrustedFrames());
            assertTrue(log.cutAfterFailedSync().isEmpty());
            assertEquals("n6", new String(log.read(6).payload(), StandardCharsets.UTF_8));
            assertEquals("n7", new String(log.read(7).payload(), StandardCharsets.UTF_8));
            try (FrameCursor c = log.readFrom(1)) {
                int n = 0;
                while (c.next() != null) {
                    n++;
                }
                assertEquals(7, n);
            }
        }
    }

    @Test
    void everyFlippedBitIsRefused() throws Exception {
        byte[] good = LogStateFile.encode(new LogStateFile.State(7));
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] bad = good.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(LogStateFile.DamagedException.class, () -> LogStateFile.decode(tmp, bad));
        }
        assertArrayEquals(good, LogStateFile.encode(LogStateFile.decode(tmp, good)));
    }

    @Test
    void aMissingFirstCycleFileIsRefusedAtOpen() throws Exception {
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            days(log, 0, 3);
        }
        try (var files = Files.list(tmp)) {
            Files.delete(files.filter(p -> p.toString().endsWith(".cq4")).sorted().findFirst().orElseThrow());
        }
        CorruptFrameException e = assertThrows(CorruptFrameException.class, () -> FrameLog.open(tmp, LogFiles.options(time)));
        assertTrue(e.getMessage().contains("frames missing from the start of the log: expected first frame=1 actual=6"), e.getMessage());
        e = assertThrows(CorruptFrameException.class, () -> FrameLog.openReadOnly(tmp, LogFiles.options(time)));
        assertTrue(e.getMessage().contains("expected first frame=1"), e.getMessage());
    }

    @Test
    void pruningRaisesTheRecordedFirstPositionBeforeDeleting() throws Exception {
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            days(log, 0, 4);
            log.pruneBefore(8);
            assertEquals(6, log.firstPosition());
            assertEquals(6, LogStateFile.read(tmp).orElseThrow().firstPosition());
        }
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals(6, log.firstPosition());
        }
        try (var files = Files.list(tmp)) {
            Files.delete(files.filter(p -> p.toString().endsWith(".cq4")).sorted().findFirst().orElseThrow());
        }
        assertThrows(CorruptFrameException.class, () -> FrameLog.open(tmp, LogFiles.options(time)));
    }

    @Test
    void aDamagedStateFileIsKeptAsideAndWrittenAgain() throws Exception {
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            days(log, 0, 2);
        }
        Files.write(tmp.resolve(LogStateFile.FILE_NAME), new byte[] {1, 2, 3});
        try (FrameLog log = FrameLog.open(tmp, LogFiles.options(time))) {
            assertEquals(10, log.lastPosition());
        }
        assertTrue(Files.exists(tmp.resolve(LogStateFile.FILE_NAME + LogStateFile.DAMAGED_SUFFIX)));
        assertEquals(1, LogStateFile.read(tmp).orElseThrow().firstPosition());
    }
}
