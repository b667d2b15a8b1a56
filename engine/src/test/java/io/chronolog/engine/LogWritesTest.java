package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code writes(since, until, limit)} reads the log from its end: whatever the limit and the time
 * range, it gives exactly the newest writes of the range, oldest first, as the statements this test
 * wrote (one second apart, with checkpoint frames between them), on a writing and a read-only open.
 */
class LogWritesTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final int WRITES = 300;

    @TempDir
    Path tmp;

    /** The SQL of write {@code i} (0-based), in the order the test committed them. */
    private static String sql(int i) {
        return "INSERT INTO t(v) VALUES ('write " + i + "')";
    }

    /** When write {@code i} (0-based) was committed: one second apart from T0 + 1 s. */
    private static Instant at(int i) {
        return T0.plusSeconds(i + 1);
    }

    @Test
    void theNewestWritesOfAnyRangeComeBackOldestFirstFromBothOpens() {
        MutableClock clock = new MutableClock(T0);
        Options options = Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).build();
        Path dir = tmp.resolve("db");
        try (Database db = Database.open(dir, options)) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            for (int i = 0; i < WRITES; i++) {
                clock.advance(Duration.ofSeconds(1));
                db.execute(sql(i));
                if (i % 37 == 36) {
                    db.checkpoint(); // a checkpoint frame among the writes
                }
            }
            check(db);
        }
        try (ReadOnlyDatabase db = Database.openReadOnly(dir, options)) {
            check(db);
        }
    }

    private static void check(ReadableDatabase db) {
        for (int limit : new int[] {1, 2, 7, 20, 64, 299, 300, 301, 1000}) {
            assertEquals(expected(-1, WRITES - 1, limit), sqlOf(db.writes(null, null, limit)), "limit " + limit);
            assertEquals(expected(100, 149, limit), sqlOf(db.writes(at(100), at(149), limit)), "100..149, limit " + limit);
            assertEquals(expected(-1, 9, limit), sqlOf(db.writes(null, at(9), limit)), "..9, limit " + limit);
            assertEquals(expected(290, WRITES - 1, limit), sqlOf(db.writes(at(290), null, limit)), "290.., limit " + limit);
        }
        assertEquals(List.of(), db.writes(at(WRITES + 5), null, 10));
        assertEquals(List.of(), db.writes(null, T0.minusSeconds(1), 10));
    }

    /**
     * The SQL of the newest {@code limit} writes among {@code first..last} (-1 for first: the
     * CREATE TABLE before write 0 is included), oldest first.
     */
    private static List<String> expected(int first, int last, int limit) {
        List<String> all = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            all.add(i < 0 ? "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)" : sql(i));
        }
        return all.subList(Math.max(0, all.size() - limit), all.size());
    }

    private static List<String> sqlOf(List<LoggedWrite> writes) {
        List<String> out = new ArrayList<>();
        Instant previous = Instant.MIN;
        for (LoggedWrite w : writes) {
            assertEquals(1, w.statements().size(), w::toString);
            if (w.timestamp().isBefore(previous)) {
                throw new AssertionError("writes out of order at " + w);
            }
            previous = w.timestamp();
            out.add(w.statements().get(0).sql());
        }
        return out;
    }
}
