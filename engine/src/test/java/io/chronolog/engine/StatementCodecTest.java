package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The crash loop's line encoding of statements gives back exactly what went in. */
class StatementCodecTest {
    @Test
    void everyParameterTypeComesBackExactly() {
        List<Statement> batch = List.of(
                Statement.of("INSERT INTO t VALUES (?, ?, ?, ?, ?)", null, -0.0, Double.NaN, "naïve, /slash/ 日本", new byte[0]),
                Statement.of("UPDATE t SET a = ? WHERE b = ?", Long.MIN_VALUE, new byte[] {0, -1, 10, 32}),
                Statement.of("DELETE FROM t"));
        String text = StatementCodec.encode(batch);
        assertFalse(text.contains(" ") || text.contains("\n"), "one token on one line: " + text);
        List<Statement> back = StatementCodec.decode(text);
        assertEquals(batch, back);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) back.get(0).params().get(1)));
        assertArrayEquals(new byte[] {0, -1, 10, 32}, (byte[]) back.get(1).params().get(1));
    }

    @Test
    void randomBatchesRoundTrip() {
        long seed = Long.getLong("chronolog.codec.seed", System.nanoTime());
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 500; i++) {
            List<Statement> batch = new ArrayList<>();
            for (int s = 1 + r.nextInt(4); s > 0; s--) {
                Object[] params = new Object[r.nextInt(5)];
                for (int p = 0; p < params.length; p++) {
                    params[p] = switch (r.nextInt(5)) {
                        case 0 -> null;
                        case 1 -> r.nextLong();
                        case 2 -> Double.longBitsToDouble(r.nextLong());
                        case 3 -> text(r);
                        default -> {
                            byte[] b = new byte[r.nextInt(20)];
                            r.nextBytes(b);
                            yield b;
                        }
                    };
                }
                batch.add(Statement.of("SELECT " + r.nextInt() + " /* ? , / */", params));
            }
            assertEquals(batch, StatementCodec.decode(StatementCodec.encode(batch)), "seed " + seed + " (-Dchronolog.codec.seed)");
        }
    }

    private static String text(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(8); n > 0; n--) {
            sb.appendCodePoint(0x20 + r.nextInt(0x3000 - 0x20));
        }
        return sb.toString();
    }

    @Test
    void damagedTextIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> StatementCodec.decode("U0VMRUNUIDE,x12"));
    }
}
