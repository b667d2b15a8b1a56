package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores across checkpoints of a history full of random(), randomblob(), 'now' and
 * CURRENT_TIMESTAMP: each restored state must equal the live file as it was read, with plain
 * JDBC, right after that write was acknowledged.
 */
class NonDeterministicRestoreTest {
    @TempDir
    Path tmp;

    @Test
    void restoredStatesEqualWhatTheLiveFileHeldAtThatMoment() throws Exception {
        long seed = Long.getLong("tests.seed", System.nanoTime());
        System.out.println("NonDeterministicRestoreTest seed=" + seed);
        Random random = new Random(seed);
        MutableClock clock = new MutableClock(Instant.parse("2026-02-01T08:00:00Z"));
        Path dir = tmp.resolve("nd");
        List<Bookmark> bookmarks = new ArrayList<>();
        List<Map<String, List<String>>> seen = new ArrayList<>();
        try (Database db = Database.open(dir, Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).durability(Durability.ASYNC).build())) {
            db.execute("CREATE TABLE r(id INTEGER PRIMARY KEY, n INTEGER, b BLOB, at TEXT DEFAULT CURRENT_TIMESTAMP, d TEXT)");
            db.execute("CREATE TABLE q(n, b, at)"); // no INTEGER PRIMARY KEY: rowids must survive checkpoints
            for (int k = 0; k < 240; k++) {
                clock.advance(Duration.ofMillis(random.nextInt(5_000)));
                switch (random.nextInt(5)) {
                    case 0 -> db.execute("INSERT INTO r(n, b, d) VALUES (random(), randomblob(8), datetime('now'))");
                    case 1 -> db.execute("INSERT INTO q SELECT n, randomblob(4), strftime('%f', 'now') FROM r ORDER BY random() LIMIT 3");
                    case 2 -> db.execute("UPDATE r SET n = abs(random()) % 100, d = julianday('now') WHERE id % 5 = ?", random.nextInt(5));
                    case 3 -> db.execute("DELETE FROM q WHERE rowid IN (SELECT rowid FROM q ORDER BY random() LIMIT 2)");
                    default -> db.batch(List.of(Statement.of("INSERT INTO r(n) VALUES (random())"),
                            Statement.of("INSERT INTO q VALUES (unixepoch(), randomblob(2), CURRENT_TIME)")));
                }
                bookmarks.add(db.bookmark());
                seen.add(SqliteFiles.dump(dir.resolve("live.sqlite3")));
                if (k % 37 == 36) {
                    db.checkpoint();
                }
            }
            for (int i = 0; i < 15; i++) {
                int k = random.nextInt(bookmarks.size());
                db.restore(bookmarks.get(k));
                assertEquals(seen.get(k), SqliteFiles.dump(dir.resolve("live.sqlite3")), "restore to write " + k);
            }
        }
    }
}
