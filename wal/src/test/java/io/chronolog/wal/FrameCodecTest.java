package io.chronolog.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    static Frame frame(long position, Hash128 previous, FrameKind kind, byte[] payload) {
        Hash128 h = FrameCodec.chain(previous, position, 7, 0xFFFF_FFFFL, 0x8000_0000L, 1_790_000_000_123L, kind, payload);
        return new Frame(position, 7, 0xFFFF_FFFFL, 0x8000_0000L, 1_790_000_000_123L, kind, payload, h);
    }

    @Test
    void encodeRoundTripsEveryFieldAndKind() throws Exception {
        for (FrameKind kind : FrameKind.values()) {
            for (byte[] payload : new byte[][] {new byte[0], "héllo €".getBytes(StandardCharsets.UTF_8), new byte[70_000]}) {
                Frame f = frame(Long.MAX_VALUE, Hash128.ZERO, kind, payload);
                byte[] bytes = FrameCodec.encode(f);
                assertEquals(FrameCodec.OVERHEAD_BYTES + payload.length, bytes.length);
                Frame back = FrameCodec.decode(bytes);
                assertEquals(f, back);
                assertArrayEquals(payload, back.payload());
                assertEquals(f.hashCode(), back.hashCode());
            }
        }
    }

    @Test
    void encodingMatchesTheDocumentedLayout() {
        Frame f = frame(1, Hash128.ZERO, FrameKind.STATEMENTS, new byte[] {(byte) 0xAB});
        byte[] b = FrameCodec.encode(f);
        assertEquals("434c4746" + "0001" + "01" + "00" + "0000000000000001" + "00000007" + "ffffffff" + "80000000"
                + "000001a0c4506c7b" + "00000001" + "ab" + f.hash().toHex(), hex(b));
    }

    @Test
    void chainCoversPreviousHashAndEveryField() {
        byte[] p = {1, 2, 3};
        Hash128 base = FrameCodec.chain(Hash128.ZERO, 5, 1, 2, 3, 4, FrameKind.STATEMENTS, p);
        assertNotEquals(base, FrameCodec.chain(new Hash128(0, 1), 5, 1, 2, 3, 4, FrameKind.STATEMENTS, p));
        assertNotEquals(base, FrameCodec.chain(Hash128.ZERO, 6, 1, 2, 3, 4, FrameKind.STATEMENTS, p));
        assertNotEquals(base, FrameCodec.chain(Hash128.ZERO, 5, 2, 2, 3, 4, FrameKind.STATEMENTS, p));
        assertNotEquals(base, FrameCodec.chain(Hash128.ZERO, 5, 1, 3, 3, 4, FrameKind.STATEMENTS, p));
        assertNotEquals(base, FrameCodec.chain(Hash128.ZERO, 5, 1, 2, 4, 4, FrameKind.STATEMENTS, p));
        assertNotEquals(base, FrameCodec.chain(Hash128.ZERO, 5, 1, 2, 3, 5, FrameKind.STATEMENTS, p));
        assertNotEquals(base, FrameCodec.chain(Hash128.ZERO, 5, 1, 2, 3, 4, FrameKind.CHECKPOINT, p));
        assertNotEquals(base, FrameCodec.chain(Hash128.ZERO, 5, 1, 2, 3, 4, FrameKind.STATEMENTS, new byte[] {1, 2, 4}));
    }

    @Test
    void chainIsHashOfPreviousHashAndFrameBytes() throws Exception {
        Frame f1 = frame(1, Hash128.ZERO, FrameKind.STATEMENTS, new byte[] {9});
        Frame f2 = frame(2, f1.hash(), FrameKind.STATEMENTS, new byte[] {8});
        byte[] e2 = FrameCodec.encode(f2);
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        md.update(f1.hash().toBytes());
        md.update(e2, 0, e2.length - 16);
        assertEquals(Hash128.fromBytes(Arrays.copyOf(md.digest(), 16)), f2.hash());
        assertEquals(f2.hash(), FrameCodec.chain(f1.hash(), f2));
    }

    @Test
    void flippedBitAnywhereInAnEntryIsDetected() {
        Frame f = frame(3, new Hash128(42, 43), FrameKind.STATEMENTS, "payload bytes".getBytes(StandardCharsets.UTF_8));
        byte[] good = FrameCodec.encode(f);
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                boolean detected;
                try {
                    Frame d = FrameCodec.decode(bad);
                    detected = !FrameCodec.chain(new Hash128(42, 43), d).equals(d.hash());
                } catch (CorruptFrameException e) {
                    detected = true;
                }
                assertTrue(detected, "flip of bit " + bit + " in byte " + i + " went unnoticed");
            }
        }
    }

    @Test
    void decodeRejectsDamageNamingTheProblem() {
        byte[] good = FrameCodec.encode(frame(1, Hash128.ZERO, FrameKind.RESTORE, new byte[] {1, 2, 3}));
        assertProblem(new byte[0], "truncated frame");
        assertProblem(Arrays.copyOf(good, 30), "truncated frame");
        assertProblem(Arrays.copyOf(good, good.length - 1), "payload length overruns");
        assertProblem(Arrays.copyOf(good, good.length + 1), "trailing bytes");
        assertProblem(set(good, 0, 0x00), "bad frame magic");
        assertProblem(set(good, 5, 0x02), "unsupported frame version: expected=1..1 actual=2");
        assertProblem(set(good, 5, 0x00), "unsupported frame version");
        assertProblem(set(good, 6, 9), "unknown frame kind: expected=1..3 actual=9");
        assertProblem(set(good, 7, 1), "unknown frame flags");
        assertProblem(set(good, 8, 0x80), "frame position out of range");
        assertProblem(set(good, 16, 0x80), "frame epoch out of range");
        assertProblem(set(good, 28, 0x80), "frame timestamp out of range");
        assertProblem(set(good, 36, 0x7F), "payload length overruns");
    }

    @Test
    void randomBytesNeverDecodeSilentlyWrong() {
        SplittableRandom rnd = new SplittableRandom(12345);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[rnd.nextInt(0, 120)];
            rnd.nextBytes(b);
            assertThrows(CorruptFrameException.class, () -> FrameCodec.decode(b));
        }
    }

    @Test
    void hashTextAndBytesRoundTrip() {
        Hash128 h = new Hash128(0x0123456789abcdefL, 0xfedcba9876543210L);
        assertEquals("0123456789abcdeffedcba9876543210", h.toHex());
        assertEquals(h, Hash128.parseHex(h.toHex()));
        assertEquals(h, Hash128.fromBytes(h.toBytes()));
        assertThrows(IllegalArgumentException.class, () -> Hash128.parseHex("0123456789ABCDEFfedcba9876543210"));
        assertThrows(IllegalArgumentException.class, () -> Hash128.fromBytes(new byte[15]));
        assertEquals("00000000000000000000000000000000", Hash128.ZERO.toHex());
    }

    @Test
    void frameKindCodesAreFixed() {
        assertEquals(1, FrameKind.STATEMENTS.code());
        assertEquals(2, FrameKind.CHECKPOINT.code());
        assertEquals(3, FrameKind.RESTORE.code());
        for (FrameKind k : FrameKind.values()) {
            assertEquals(k, FrameKind.fromCode(k.code()));
        }
        assertThrows(IllegalArgumentException.class, () -> FrameKind.fromCode(0));
    }

    @Test
    void frameCopiesItsPayload() {
        byte[] p = {1, 2};
        Frame f = frame(1, Hash128.ZERO, FrameKind.STATEMENTS, p);
        p[0] = 9;
        f.payload()[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, f.payload());
    }

    private static void assertProblem(byte[] bytes, String expected) {
        CorruptFrameException e = assertThrows(CorruptFrameException.class, () -> FrameCodec.decode(bytes));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    private static byte[] set(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }
}
