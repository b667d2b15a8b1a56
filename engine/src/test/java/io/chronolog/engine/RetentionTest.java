package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention with a clock the test moves: 40 days of history, a 30-day window, no sleeps. */
class RetentionTest {
    @TempDir
    Path tmp;

    @Test
    void pruningDropsHistoryOutsideTheWindowAndKeepsEverythingInside() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Options options = Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).durability(Durability.ASYNC)
                .retention(Duration.ofDays(30)).build();
        Path dir = tmp.resolve("ret");
        HistoryWorkload workload = new HistoryWorkload(42);
        List<List<Statement>> writes = new ArrayList<>();
        List<Bookmark> bookmarks = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        try (Database db = Database.open(dir, options)) {
            for (int hour = 0; hour < 40 * 24; hour++) {
                clock.advance(Duration.ofHours(1));
                List<Statement> w = workload.next();
                bookmarks.add(db.batch(w).get(0).bookmark());
                writes.add(w);
                times.add(clock.instant());
                if (hour % 24 == 23) {
                    db.checkpoint();
                }
            }
            long logBefore = db.logBytes();
            int checkpointsBefore = db.checkpoints().size();
            long freed = db.prune();
            assertTrue(freed > 0, "pruning freed nothing");
            assertTrue(db.logBytes() < logBefore, "log did not shrink: " + db.logBytes() + " >= " + logBefore);
            assertTrue(db.checkpoints().size() < checkpointsBefore, "no checkpoint was removed");

            int oldInside = indexAfter(times, clock.instant().minus(Duration.ofDays(30)).plus(Duration.ofHours(2)));
            db.restore(bookmarks.get(oldInside));
            assertEquals(Oracle.after(writes.subList(0, oldInside + 1)), SqliteFiles.dump(dir.resolve("live.sqlite3")));
            RetentionException e = assertThrows(RetentionException.class, () -> db.restore(bookmarks.get(24)));
            assertTrue(e.getMessage().contains("retention window of 30 days"), e.getMessage());
            assertThrows(RetentionException.class, () -> db.bookmarkAt(times.get(10)));
            db.restore(bookmarks.get(bookmarks.size() - 1));
            assertEquals(Oracle.after(writes), SqliteFiles.dump(dir.resolve("live.sqlite3")));
        }
        // the pruned log reopens, and moments inside the window still restore
        try (Database db = Database.open(dir, options)) {
            int k = bookmarks.size() - 100;
            db.restore(bookmarks.get(k));
            assertEquals(Oracle.after(writes.subList(0, k + 1)), SqliteFiles.dump(dir.resolve("live.sqlite3")));
            assertTrue(db.verify().ok(), () -> db.verify().problems().toString());
        }
    }

    private static int indexAfter(List<Instant> times, Instant t) {
        for (int i = 0; i < times.size(); i++) {
            if (!times.get(i).isBefore(t)) {
                return i;
            }
        }
        throw new AssertionError("no time after " + t);
    }
}
