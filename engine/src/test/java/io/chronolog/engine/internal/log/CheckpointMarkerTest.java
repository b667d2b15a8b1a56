package io.chronolog.engine.internal.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.wal.CorruptFrameException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class CheckpointMarkerTest {

    static byte[] digest(int seed) {
        byte[] d = new byte[16];
        for (int i = 0; i < 16; i++) {
            d[i] = (byte) (seed * 31 + i * 7);
        }
        return d;
    }

    private static void assertCorrupt(byte[] payload, String... words) {
        CorruptFrameException e = assertThrows(CorruptFrameException.class, () -> CheckpointMarker.decode(payload));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "expected '" + w + "' in: " + e.getMessage());
        }
    }

    @Test
    void roundTripsEveryFieldAtItsLimits() throws Exception {
        for (CheckpointMarker m : new CheckpointMarker[] {
                new CheckpointMarker(1, 0, digest(1)),
                new CheckpointMarker(7, 123_456_789_012L, digest(2)),
                new CheckpointMarker(CheckpointMarker.MAX_NUMBER, Long.MAX_VALUE, digest(3))}) {
            byte[] bytes = m.encode();
            assertEquals(33, bytes.length);
            CheckpointMarker back = CheckpointMarker.decode(bytes);
            assertEquals(m, back);
            assertEquals(m.hashCode(), back.hashCode());
            assertArrayEquals(m.contentDigest(), back.contentDigest());
        }
    }

    @Test
    void encodingIsTheDocumentedLayout() {
        byte[] d = digest(9);
        byte[] bytes = new CheckpointMarker(0x0102, 0x0A0B0C, d).encode();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertEquals(CheckpointMarker.VERSION, b.get());
        assertEquals(0x0102, b.getLong());
        assertEquals(0x0A0B0C, b.getLong());
        byte[] got = new byte[16];
        b.get(got);
        assertArrayEquals(d, got);
        assertEquals(0, b.remaining());
    }

    @Test
    void digestIsCopiedInAndOut() {
        byte[] d = digest(4);
        CheckpointMarker m = new CheckpointMarker(1, 1, d);
        d[0] ^= 1;
        assertArrayEquals(digest(4), m.contentDigest());
        assertNotSame(m.contentDigest(), m.contentDigest());
    }

    @Test
    void decodeRefusesWrongLengths() {
        byte[] good = new CheckpointMarker(3, 4, digest(5)).encode();
        assertCorrupt(null, "checkpoint marker payload", "expected=33 bytes", "actual=none");
        assertCorrupt(new byte[0], "checkpoint marker payload", "expected=33 bytes", "actual=0 bytes");
        assertCorrupt(java.util.Arrays.copyOf(good, 32), "expected=33 bytes", "actual=32 bytes");
        assertCorrupt(java.util.Arrays.copyOf(good, 34), "expected=33 bytes", "actual=34 bytes");
    }

    @Test
    void decodeRefusesOtherVersions() {
        for (int v : new int[] {0, 2, 255}) {
            byte[] bytes = new CheckpointMarker(3, 4, digest(5)).encode();
            bytes[0] = (byte) v;
            assertCorrupt(bytes, "unsupported checkpoint marker version", "expected=1", "actual=" + v);
        }
    }

    @Test
    void decodeRefusesOutOfRangeValues() {
        assertCorrupt(withLongs(0, 4), "checkpoint number out of range", "actual=0");
        assertCorrupt(withLongs(-1, 4), "checkpoint number out of range", "actual=-1");
        assertCorrupt(withLongs(CheckpointMarker.MAX_NUMBER + 1, 4), "checkpoint number out of range", "actual=4294967296");
        assertCorrupt(withLongs(3, -1), "checkpoint position out of range", "actual=-1");
        assertCorrupt(withLongs(3, Long.MIN_VALUE), "checkpoint position out of range");
    }

    @Test
    void constructorRefusesBadValuesNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CheckpointMarker(0, 0, digest(1)));
        assertTrue(e.getMessage().contains("checkpoint number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CheckpointMarker(1, -2, digest(1)));
        assertTrue(e.getMessage().contains("checkpoint position"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CheckpointMarker(1, 0, new byte[15]));
        assertTrue(e.getMessage().contains("content digest length: expected=16 actual=15"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CheckpointMarker(1, 0, null));
        assertTrue(e.getMessage().contains("actual=none"), e.getMessage());
    }

    private static byte[] withLongs(long number, long position) {
        return ByteBuffer.allocate(33).put((byte) 1).putLong(number).putLong(position).put(digest(6)).array();
    }
}
