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

    @Test
    void theDocumentedExampleIsWhatTheEncoderWrites() throws Exception {
        byte[] bytes = LogStateFile.encode(new LogStateFile.State(42));
        String doc = FormatDocTest.doc();
        int start = doc.indexOf("```\n434c4753") + 4;
        String example = doc.substring(start, doc.indexOf("```", start)).replaceAll("\\s+", "");
        assertEquals(example, HexFormat.of().formatHex(bytes));
        assertEquals(42, LogStateFile.decode(tmp, bytes).firstPosition());
        assertTrue(doc.contains("Current log state version: " + LogStateFile.VERSION + "\n"), "log state version line drifted");
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
