package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeterminismTest {
    @TempDir
    Path tmp;

    @Test
    void nonDeterministicFunctionsReplayIdentically() throws Exception {
        Path dir = tmp.resolve("det");
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:15:30.250Z"));
        Options options = Options.builder().clock(clock).nanoTime(clock::nanoTime).build();
        Map<String, List<String>> before;
        try (Database db = Database.open(dir, options)) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, r INTEGER, rb BLOB, dt TEXT, ts TEXT, d TEXT, tm TEXT, "
                    + "jd REAL, ue INTEGER, sf TEXT, created TEXT DEFAULT CURRENT_TIMESTAMP, cd TEXT DEFAULT (date('now')))");
            for (int i = 0; i < 20; i++) {
                clock.advance(Duration.ofMillis(1_234));
                db.execute("INSERT INTO t(r, rb, dt, ts, d, tm, jd, ue, sf) VALUES (random(), randomblob(16), datetime('now'), "
                        + "CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_TIME, julianday('now'), unixepoch(), strftime('%Y-%m-%d %H:%M:%f', 'now'))");
            }
            db.execute("CREATE TABLE s(id INTEGER PRIMARY KEY, src INTEGER, blob BLOB, at TEXT)");
            clock.advance(Duration.ofDays(1));
            db.execute("INSERT INTO s(src, blob, at) SELECT id, randomblob(8), datetime() FROM t ORDER BY random()");
            db.batch(List.of(Statement.of("UPDATE t SET r = abs(random()) % 1000 WHERE id % 3 = 0"),
                    Statement.of("DELETE FROM s WHERE id IN (SELECT id FROM s ORDER BY random() LIMIT 5)"),
                    Statement.of("INSERT INTO s(src, at) VALUES (random(), date())")));
            Rows sample = db.query("SELECT dt, ts, sf, created, ue FROM t WHERE id = 1");
            assertEquals("2026-03-01 10:15:31", sample.get(0).get("dt"));
            assertEquals("2026-03-01 10:15:31", sample.get(0).get("ts"));
            assertEquals("2026-03-01 10:15:31.484", sample.get(0).get("sf"));
            assertEquals("2026-03-01 10:15:31", sample.get(0).get("created"));
            assertEquals(Instant.parse("2026-03-01T10:15:31Z").getEpochSecond(), sample.get(0).get("ue"));
            assertNotEquals(db.query("SELECT r FROM t WHERE id = 1").get(0).get(0), db.query("SELECT r FROM t WHERE id = 2").get(0).get(0));
        }
        before = SqliteFiles.dump(dir.resolve("live.sqlite3"));
        assertEquals(20, before.get("t").size());
        DatabaseTest.deleteLive(dir);
        clock.advance(Duration.ofDays(3));
        try (Database db = Database.open(dir, options)) {
            assertEquals(24, db.framesReplayedAtOpen());
        }
        assertEquals(before, SqliteFiles.dump(dir.resolve("live.sqlite3")));
    }

    @Test
    void triggersRunOnFirstWriteAndOnReplayAlike() throws Exception {
        Path dir = tmp.resolve("trig");
        try (Database db = Database.open(dir, Options.builder().background(false).build())) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v)");
            db.execute("CREATE TABLE audit(id INTEGER PRIMARY KEY, t_id, what, r, at)");
            db.execute("CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN "
                    + "INSERT INTO audit(t_id, what, r, at) VALUES (new.id, 'insert; with a semicolon', random(), datetime('now')); END;");
            db.execute("CREATE TRIGGER t_upd AFTER UPDATE ON t WHEN new.v > 1 BEGIN "
                    + "INSERT INTO audit(t_id, what, r) VALUES (new.id, CASE WHEN new.v > 5 THEN 'big' ELSE 'small' END, random()); "
                    + "UPDATE audit SET r = r / 2 WHERE t_id = new.id; END");
            Result r = db.execute("INSERT INTO t(v) VALUES (1)");
            assertEquals(1, r.changes());
            db.execute("INSERT INTO t(v) VALUES (2)");
            db.execute("UPDATE t SET v = v * 4");
            assertEquals(4, db.query("SELECT count(*) FROM audit").get(0).getLong(0));
            RefusedStatementException two = assertThrows(RefusedStatementException.class,
                    () -> db.execute("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END; DROP TABLE t"));
            assertTrue(two.getMessage().contains("more than one statement"), two.getMessage());
        }
        var before = SqliteFiles.dump(dir.resolve("live.sqlite3"));
        DatabaseTest.deleteLive(dir);
        try (Database db = Database.open(dir, Options.builder().background(false).build())) {
            assertEquals(7, db.framesReplayedAtOpen());
        }
        assertEquals(before, SqliteFiles.dump(dir.resolve("live.sqlite3")));
    }

    @Test
    void sameStatementsInDifferentFramesDrawDifferentRandomNumbers() {
        try (Database db = Database.open(tmp.resolve("seeds"))) {
            db.execute("CREATE TABLE t(r)");
            db.execute("INSERT INTO t VALUES (random())");
            db.execute("INSERT INTO t VALUES (random())");
            assertEquals(2, db.query("SELECT count(DISTINCT r) FROM t").get(0).getLong(0));
        }
    }

    @Test
    void timeZoneModifiersAreRefusedInWrites() {
        try (Database db = Database.open(tmp.resolve("tz"))) {
            db.execute("CREATE TABLE t(v)");
            var before = db.bookmark();
            for (String sql : List.of("INSERT INTO t VALUES (datetime('now', 'localtime'))",
                    "INSERT INTO t VALUES (date('2020-01-01', 'LocalTime'))",
                    "INSERT INTO t VALUES (strftime('%H', 'now', 'localtime', 'utc'))",
                    "INSERT INTO t VALUES (unixepoch(CAST('2020-01-01' AS BLOB), 'utc'))",
                    "INSERT INTO t VALUES (total_changes())")) {
                SqlException e = assertThrows(SqlException.class, () -> db.execute(sql), sql);
                assertTrue(e.getMessage().contains("refused in writes"), e.getMessage());
            }
            assertEquals(before, db.bookmark());
            // 'utc' on a time SQLite already knows to be UTC consults no time zone: it is accepted
            db.execute("INSERT INTO t VALUES (strftime('%H', 'now', 'utc'))");
            // reads are free to use the machine's time zone
            assertEquals(1, db.query("SELECT datetime('now', 'localtime')").size());
        }
    }

    @Test
    void frameTimestampsNeverGoBackwardsWhenTheClockDoes() {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));
        try (Database db = Database.open(tmp.resolve("back"), Options.builder().clock(clock).nanoTime(clock::nanoTime).build())) {
            db.execute("CREATE TABLE t(at)");
            db.execute("INSERT INTO t VALUES (datetime('now'))");
            clock.set(Instant.parse("2026-04-01T00:00:00Z"));
            db.execute("INSERT INTO t VALUES (datetime('now'))");
            List<Object> at = db.query("SELECT at FROM t ORDER BY rowid").asList().stream().map(r -> r.get(0)).toList();
            assertEquals(List.of("2026-05-01 12:00:00", "2026-05-01 12:00:00"), at);
            assertTrue(db.frame(3).timestamp() >= db.frame(2).timestamp());
        }
    }
}
