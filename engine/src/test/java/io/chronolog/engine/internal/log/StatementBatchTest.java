package io.chronolog.engine.internal.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.Statement;
import io.chronolog.wal.CorruptFrameException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementBatchTest {

    static StatementBatch sample() {
        return new StatementBatch(-42L,
                List.of(Statement.of("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", null, Long.MIN_VALUE, Long.MAX_VALUE,
                                Double.NaN, -0.0, Double.POSITIVE_INFINITY),
                        Statement.of("UPDATE t SET a = ?, b = ?, c = ?", "", "日本語 😀 ünïcödé", new byte[0]),
                        Statement.of("", new byte[] {0, (byte) 0xFF, 7}, 0L, Double.MIN_VALUE)),
                List.of(new Effect(1, Long.MIN_VALUE), new Effect(0, 0), new Effect(Long.MAX_VALUE, Long.MAX_VALUE)));
    }

    @Test
    void encodingRoundTripsEveryParameterType() throws Exception {
        StatementBatch b = sample();
        StatementBatch back = StatementBatch.decode(b.encode());
        assertEquals(b, back);
        assertEquals(-42L, back.seed());
        List<Object> p0 = back.statements().get(0).params();
        assertEquals(null, p0.get(0));
        assertEquals(Long.MIN_VALUE, p0.get(1));
        assertTrue(Double.isNaN((Double) p0.get(3)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) p0.get(4)));
        assertEquals("", back.statements().get(1).params().get(0));
        assertArrayEquals(new byte[0], (byte[]) back.statements().get(1).params().get(2));
        assertEquals(b.hashCode(), back.hashCode());
        assertEquals(1, b.encode()[0], "a batch without a change digest is a version-1 payload");
    }

    @Test
    void changeDigestRoundTripsAsVersion2() throws Exception {
        StatementBatch v1 = sample();
        StatementBatch b = new StatementBatch(v1.seed(), v1.statements(), v1.effects(), java.util.OptionalLong.of(0x0123456789abcdefL));
        byte[] bytes = b.encode();
        assertEquals(StatementBatch.VERSION, bytes[0]);
        assertEquals(2, StatementBatch.VERSION);
        assertEquals(v1.encode().length + 8, bytes.length, "version 2 adds the 8-byte digest at the end");
        assertEquals(b, StatementBatch.decode(bytes));
        assertEquals(java.util.OptionalLong.empty(), StatementBatch.decode(v1.encode()).digest());
        assertProblem(Arrays.copyOf(bytes, bytes.length - 3), "truncated statement payload reading change digest");
    }

    @Test
    void emptyBatchRoundTrips() throws Exception {
        StatementBatch b = new StatementBatch(0, List.of(), List.of());
        assertEquals(b, StatementBatch.decode(b.encode()));
    }

    @Test
    void statementEqualityComparesBlobsByContent() {
        assertEquals(Statement.of("x", new byte[] {1, 2}), Statement.of("x", new byte[] {1, 2}));
        assertNotEquals(Statement.of("x", new byte[] {1, 2}), Statement.of("x", new byte[] {1, 3}));
        byte[] blob = {5};
        Statement s = Statement.of("x", blob);
        blob[0] = 6;
        ((byte[]) s.params().get(0))[0] = 7;
        assertArrayEquals(new byte[] {5}, (byte[]) s.params().get(0));
    }

    @Test
    void statementRefusesUnsupportedParameterTypes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Statement.of("x", 1L, new Object()));
        assertTrue(e.getMessage().contains("parameter 2") && e.getMessage().contains("java.lang.Object"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> Statement.of("x", 1L).params().add(2L));
        assertThrows(UnsupportedOperationException.class, () -> Statement.of("x", new byte[] {1}).params().set(0, 2L));
        assertThrows(NullPointerException.class, () -> new Statement("x", null));
    }

    @Test
    void theCodecSeesTheStatementsNormalisedValues() throws Exception {
        Statement st = Statement.of("x", 42, (short) 7, (byte) 1, 1.5f, true, java.math.BigInteger.TEN);
        assertEquals(Arrays.asList(42L, 7L, 1L, 1.5d, 1L, 10L), st.params());
        StatementBatch b = new StatementBatch(0, List.of(st), List.of(new Effect(0, 0)));
        byte[] bytes = b.encode();
        assertEquals(b, StatementBatch.decode(bytes));
        StatementBatch longs = new StatementBatch(0, List.of(Statement.of("x", 42L, 7L, 1L, 1.5d, 1L, 10L)), List.of(new Effect(0, 0)));
        assertArrayEquals(longs.encode(), bytes, "an Integer is logged as the INTEGER a Long is");
    }

    @Test
    void batchNeedsOneEffectPerStatement() {
        assertThrows(IllegalArgumentException.class,
                () -> new StatementBatch(1, List.of(Statement.of("x")), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Effect(-1, 0));
    }

    @Test
    void unpairedSurrogateIsRefusedAtEncode() {
        StatementBatch b = new StatementBatch(1, List.of(Statement.of("x", "\uD800")), List.of(new Effect(0, 0)));
        assertThrows(IllegalArgumentException.class, b::encode);
    }

    @Test
    void decodeRejectsDamageNamingTheProblem() {
        byte[] good = sample().encode();
        assertProblem(new byte[0], "truncated statement payload");
        assertProblem(set(good, 0, 3), "unsupported statement payload version: expected=1..2 actual=3");
        assertProblem(set(good, 0, 0), "unsupported statement payload version: expected=1..2 actual=0");
        assertProblem(Arrays.copyOf(good, good.length - 1), "truncated statement payload");
        assertProblem(Arrays.copyOf(good, good.length + 1), "trailing bytes");
        assertProblem(set(good, 9, 0x7F), "statement count overruns");
        // first statement's sql length sits at 13..16
        assertProblem(set(good, 13, 0x7F), "statement 1 sql length overruns");
        int typeAt = 13 + 4 + "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)".length() + 4;
        assertProblem(set(good, typeAt, 9), "unknown parameter type in statement 1 parameter 1: expected=0..4 actual=9");
        byte[] badUtf8 = new StatementBatch(0, List.of(Statement.of("ab")), List.of(new Effect(0, 0))).encode();
        badUtf8[17] = (byte) 0xC3;
        assertProblem(badUtf8, "invalid UTF-8");
    }

    private static void assertProblem(byte[] bytes, String expected) {
        CorruptFrameException e = assertThrows(CorruptFrameException.class, () -> StatementBatch.decode(bytes));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    private static byte[] set(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }
}
