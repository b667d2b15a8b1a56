package io.chronolog.wal;

import static io.chronolog.wal.LogFiles.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameLogRecoveryTest {

    @TempDir
    Path tmp;

    interface Damage {
        void apply(LogFiles.Located entry) throws Exception;
    }

    private List<Frame> writeFrames(Path dir, int n) throws Exception {
        List<Frame> frames = new ArrayList<>();
        try (FrameLog log = FrameLog.open(dir, LogFiles.options(() -> T0))) {
            for (int i = 1; i <= n; i++) {
                frames.add(log.append(0, 0, i, T0 + i, FrameKind.STATEMENTS,
                        ("statement payload " + i).getBytes(StandardCharsets.UTF_8)));
            }
        }
        return frames;
    }

    private void assertTornTailRecovered(String name, Damage damage) throws Exception {
        Path dir = tmp.resolve(name);
        List<Frame> frames = writeFrames(dir, 6);
        damage.apply(LogFiles.locate(dir, frames.get(5)));
        Frame appended;
        try (FrameLog log = FrameLog.open(dir, LogFiles.options(() -> T0))) {
            RecoveryReport r = log.recovery();
            assertEquals(5, r.frames(), name);
            assertEquals(5, r.lastPosition(), name);
            assertEquals(1, r.discardedTailEntries(), name);
            assertTrue(r.detail().contains("cut back a torn tail of 1 entry after position 5"), r.detail());
            assertEquals(5, log.lastPosition());
            assertEquals(frames.get(4).hash(), log.lastHash());
            appended = log.append(0, 0, 6, T0 + 6, FrameKind.STATEMENTS, "retried".getBytes(StandardCharsets.UTF_8));
            assertEquals(6, appended.position());
            assertEquals(appended, log.read(6));
        }
        try (FrameLog log = FrameLog.open(dir, LogFiles.options(() -> T0))) {
            RecoveryReport r = log.recovery();
            assertEquals(6, r.frames(), name);
            assertEquals(0, r.discardedTailEntries(), name);
            assertTrue(r.detail().contains("skipped 1 invalid entries"), r.detail());
            List<Frame> read = new ArrayList<>();
            try (FrameCursor c = log.readFrom(4)) {
                for (Frame f; (f = c.next()) != null; ) {
                    read.add(f);
                }
            }
            assertEquals(List.of(frames.get(3), frames.get(4), appended), read);
            assertEquals(7, log.append(0, 0, 7, T0 + 7, FrameKind.STATEMENTS, new byte[0]).position());
        }
    }

    @Test
    void recoverTruncatesTornTailWhenPayloadBytesAreGarbled() throws Exception {
        assertTornTailRecovered("garbled", e -> e.flip(FrameCodec.HEADER_BYTES + 3, 0x5A));
    }

    @Test
    void recoverTruncatesTornTailWhenTheHashIsGarbled() throws Exception {
        assertTornTailRecovered("hash", e -> e.flip(e.length() - 1, 0x01));
    }

    @Test
    void recoverTruncatesTornTailWhenTheEndOfTheEntryIsZeroed() throws Exception {
        assertTornTailRecovered("zeroed", e -> e.zeroFrom(20));
    }

    @Test
    void recoverTruncatesTornTailWhenTheFileIsCutInsideTheLastEntry() throws Exception {
        assertTornTailRecovered("cut", e -> e.truncateAt(30));
    }

    @Test
    void recoverTruncatesTornTailWhenTheFileIsCutAtTheLastEntry() throws Exception {
        assertTornTailRecovered("cutAtStart", e -> e.truncateAt(0));
    }

    @Test
    void recoverCutsSeveralGarbledTailEntries() throws Exception {
        Path dir = tmp.resolve("several");
        List<Frame> frames = writeFrames(dir, 6);
        LogFiles.locate(dir, frames.get(4)).flip(50, 0xFF);   // frame 5 no longer chains
        LogFiles.locate(dir, frames.get(5)).zeroFrom(0);      // frame 6 is zeros: a torn page
        try (FrameLog log = FrameLog.open(dir, LogFiles.options(() -> T0))) {
            assertEquals(4, log.lastPosition());
            assertEquals(2, log.recovery().discardedTailEntries());
            assertEquals(5, log.append(0, 0, 5, T0 + 5, FrameKind.STATEMENTS, new byte[0]).position());
        }
        try (FrameLog log = FrameLog.open(dir, LogFiles.options(() -> T0))) {
            assertEquals(5, log.lastPosition());
            assertEquals(0, log.recovery().discardedTailEntries());
        }
    }

    @Test
    void flippedByteInAMiddleFrameIsRefusedNamingThePositionAndFile() throws Exception {
        Path dir = tmp.resolve("middle");
        List<Frame> frames = writeFrames(dir, 6);
        LogFiles.Located at = LogFiles.locate(dir, frames.get(2));
        at.flip(FrameCodec.HEADER_BYTES + 1, 0x01);
        CorruptFrameException e = assertThrows(CorruptFrameException.class,
                () -> FrameLog.open(dir, LogFiles.options(() -> T0)));
        assertEquals(3, e.position());
        assertEquals(at.file().toString(), e.file());
        assertTrue(e.getMessage().contains("frame 3 chain hash mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("position=3") && e.getMessage().contains(at.file().toString()), e.getMessage());
    }

    @Test
    void damagedHeaderOfAMiddleFrameIsRefused() throws Exception {
        Path dir = tmp.resolve("middleMagic");
        List<Frame> frames = writeFrames(dir, 6);
        LogFiles.locate(dir, frames.get(1)).flip(0, 0xFF);
        CorruptFrameException e = assertThrows(CorruptFrameException.class,
                () -> FrameLog.open(dir, LogFiles.options(() -> T0)));
        assertEquals(2, e.position());
        assertTrue(e.getMessage().contains("bad frame magic") && e.getMessage().contains("frame 3 follows it"), e.getMessage());
    }

    @Test
    void readDetectsDamageMadeAfterOpen() throws Exception {
        Path dir = tmp.resolve("afterOpen");
        List<Frame> frames = writeFrames(dir, 4);
        try (FrameLog log = FrameLog.open(dir, LogFiles.options(() -> T0))) {
            LogFiles.locate(dir, frames.get(2)).flip(FrameCodec.HEADER_BYTES, 0x02);
            CorruptFrameException e = assertThrows(CorruptFrameException.class, () -> log.read(3));
            assertEquals(3, e.position());
            assertTrue(e.getMessage().contains("chain hash mismatch"), e.getMessage());
            assertEquals(frames.get(3), log.read(4));
        }
    }

    @Test
    void damagedLengthHeaderBeforeTheEndIsRefusedNotSkipped() throws Exception {
        Path dir = tmp.resolve("header");
        List<Frame> frames = writeFrames(dir, 6);
        LogFiles.Located at = LogFiles.locate(dir, frames.get(2));
        at.writeHeader(0x3FFF_FF00);  // an impossible length: the tailer cannot step over it
        CorruptFrameException e = assertThrows(CorruptFrameException.class,
                () -> FrameLog.open(dir, LogFiles.options(() -> T0)));
        assertTrue(e.getMessage().contains("entries unreachable"), e.getMessage());
        assertEquals(3, e.position());
    }

    @Test
    void incompleteHeaderAtTheTailStopsWritesInsteadOfLosingThem() throws Exception {
        Path dir = tmp.resolve("incomplete");
        List<Frame> frames = writeFrames(dir, 4);
        LogFiles.Located at = LogFiles.locate(dir, frames.get(3));
        at.writeHeader(0x8000_0000 | at.length());  // the "not complete" bit on a finished entry
        try (FrameLog log = FrameLog.open(dir, LogFiles.options(() -> T0))) {
            assertEquals(3, log.lastPosition());
            CorruptFrameException e = assertThrows(CorruptFrameException.class,
                    () -> log.append(0, 0, 4, T0 + 4, FrameKind.STATEMENTS, new byte[0]));
            assertTrue(e.getMessage().contains("cannot be read back"), e.getMessage());
            assertThrows(CorruptFrameException.class, () -> log.append(0, 0, 4, T0 + 4, FrameKind.STATEMENTS, new byte[0]));
            assertEquals(3, log.lastPosition());
        }
    }
}
