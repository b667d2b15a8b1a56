package io.chronolog.engine.internal.log;

import static io.chronolog.engine.internal.log.CheckpointMarkerTest.digest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.Bookmark;
import io.chronolog.wal.CorruptFrameException;
import io.chronolog.wal.Hash128;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RestoreMarkerTest {

    private static final int SIZE = 81;
    private static final Bookmark TARGET = Frames.bookmark(2, 7, 40, Hash128.fromBytes(digest(11)));
    private static final Bookmark PREVIOUS = Frames.bookmark(3, 9, 5, Hash128.fromBytes(digest(12)));

    private static void assertCorrupt(byte[] payload, String... words) {
        CorruptFrameException e = assertThrows(CorruptFrameException.class, () -> RestoreMarker.decode(payload));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "expected '" + w + "' in: " + e.getMessage());
        }
    }

    @Test
    void roundTripsEveryFieldAtItsLimits() throws Exception {
        Bookmark high = Frames.bookmark(Integer.MAX_VALUE, 0xFFFF_FFFFL, 0xFFFF_FFFFL, Hash128.fromBytes(digest(13)));
        Bookmark low = Frames.bookmark(0, 0, 0, Hash128.ZERO);
        for (RestoreMarker m : new RestoreMarker[] {
                new RestoreMarker(TARGET, PREVIOUS, 10, digest(1)),
                new RestoreMarker(low, high, 1, digest(2)),
                new RestoreMarker(high, low, CheckpointMarker.MAX_NUMBER, digest(3))}) {
            byte[] bytes = m.encode();
            assertEquals(SIZE, bytes.length);
            RestoreMarker back = RestoreMarker.decode(bytes);
            assertEquals(m, back);
            assertEquals(m.hashCode(), back.hashCode());
            assertEquals(m.target(), back.target());
            assertEquals(m.previous(), back.previous());
            assertArrayEquals(m.contentDigest(), back.contentDigest());
        }
    }

    @Test
    void encodingIsTheDocumentedLayout() {
        byte[] d = digest(4);
        ByteBuffer b = ByteBuffer.wrap(new RestoreMarker(TARGET, PREVIOUS, 0x0102, d).encode());
        assertEquals(RestoreMarker.VERSION, b.get());
        for (Bookmark m : new Bookmark[] {TARGET, PREVIOUS}) {
            assertEquals(m.epoch(), b.getInt());
            assertEquals(m.checkpoint(), Integer.toUnsignedLong(b.getInt()));
            assertEquals(m.offset(), Integer.toUnsignedLong(b.getInt()));
            byte[] h = new byte[16];
            b.get(h);
            assertEquals(Frames.hash(m), Hash128.fromBytes(h));
        }
        assertEquals(0x0102, b.getLong());
        byte[] got = new byte[16];
        b.get(got);
        assertArrayEquals(d, got);
        assertEquals(0, b.remaining());
    }

    @Test
    void decodeRefusesWrongLengths() {
        byte[] good = new RestoreMarker(TARGET, PREVIOUS, 10, digest(1)).encode();
        assertCorrupt(null, "restore marker payload", "expected=81 bytes", "actual=none");
        assertCorrupt(new byte[0], "expected=81 bytes", "actual=0 bytes");
        assertCorrupt(Arrays.copyOf(good, 80), "expected=81 bytes", "actual=80 bytes");
        assertCorrupt(Arrays.copyOf(good, 82), "expected=81 bytes", "actual=82 bytes");
        assertCorrupt(new CheckpointMarker(1, 1, digest(1)).encode(), "restore marker payload", "actual=33 bytes");
    }

    @Test
    void decodeRefusesOtherVersions() {
        for (int v : new int[] {0, 2, 255}) {
            byte[] bytes = new RestoreMarker(TARGET, PREVIOUS, 10, digest(1)).encode();
            bytes[0] = (byte) v;
            assertCorrupt(bytes, "unsupported restore marker version", "expected=1", "actual=" + v);
        }
    }

    @Test
    void decodeRefusesOutOfRangeValues() {
        byte[] good = new RestoreMarker(TARGET, PREVIOUS, 10, digest(1)).encode();

        byte[] targetEpoch = good.clone();
        ByteBuffer.wrap(targetEpoch).putInt(1, 0x8000_0000);
        assertCorrupt(targetEpoch, "restore marker: target epoch out of range", "actual=2147483648");

        byte[] previousEpoch = good.clone();
        ByteBuffer.wrap(previousEpoch).putInt(1 + 28, -1);
        assertCorrupt(previousEpoch, "restore marker: previous epoch out of range", "actual=4294967295");

        for (long c : new long[] {0, -1, Long.MIN_VALUE, CheckpointMarker.MAX_NUMBER + 1}) {
            byte[] bytes = good.clone();
            ByteBuffer.wrap(bytes).putLong(1 + 56, c);
            assertCorrupt(bytes, "restore marker: restore checkpoint out of range", "actual=" + c);
        }
    }

    @Test
    void constructorRefusesBadValuesNamingTheField() {
        Bookmark negative = Frames.bookmark(-1, 0, 0, Hash128.ZERO);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RestoreMarker(negative, PREVIOUS, 1, digest(1)));
        assertTrue(e.getMessage().contains("target epoch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RestoreMarker(TARGET, negative, 1, digest(1)));
        assertTrue(e.getMessage().contains("previous epoch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RestoreMarker(TARGET, PREVIOUS, 0, digest(1)));
        assertTrue(e.getMessage().contains("restore checkpoint"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RestoreMarker(TARGET, PREVIOUS, 1, new byte[17]));
        assertTrue(e.getMessage().contains("content digest length: expected=16 actual=17"), e.getMessage());
        assertThrows(NullPointerException.class, () -> new RestoreMarker(null, PREVIOUS, 1, digest(1)));
        assertThrows(NullPointerException.class, () -> new RestoreMarker(TARGET, null, 1, digest(1)));
    }
}
