package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.snapshot.CheckpointMeta;
import java.io.RandomAccessFile;
import java.nio.file.Files;
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
 * Restores to many moments of a seeded history with schema changes and checkpoints along the way,
 * each compared with a plain SQLite database that ran the same first k writes.
 * {@code -Dtests.seed=N} replays a failing run.
 */
class TimeTravelTest {
    @TempDir
    Path tmp;

    final long seed = Long.getLong("tests.seed", System.nanoTime());
    final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
    final List<List<Statement>> writes = new ArrayList<>();
    final List<Bookmark> bookmarks = new ArrayList<>();   // bookmarks.get(k) = state after k writes
    final List<Instant> times = new ArrayList<>();

    Options options() {
        return Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).durability(Durability.ASYNC).build();
    }

    /** Runs {@code n} writes, one second apart, with a checkpoint every {@code every} writes. */
    void history(Database db, int n, int every) {
        HistoryWorkload workload = new HistoryWorkload(seed);
        bookmarks.add(db.bookmark());
        times.add(clock.instant());
        for (int k = 1; k <= n; k++) {
            clock.advance(Duration.ofSeconds(1));
            List<Statement> write = workload.next();
            List<Result> r = db.batch(write);
            writes.add(write);
            bookmarks.add(r.get(0).bookmark());
            times.add(clock.instant());
            if (k % every == 0) {
                db.checkpoint();
            }
        }
    }

    Map<String, List<String>> oracle(int k) throws Exception {
        return Oracle.after(writes.subList(0, k));
    }

    Map<String, List<String>> live(Path dir) throws Exception {
        return SqliteFiles.dump(dir.resolve("live.sqlite3"));
    }

    @Test
    void restoresToRandomBookmarksMatchTheOracleAndUndoReturns() throws Exception {
        System.out.println("TimeTravelTest seed=" + seed + " (rerun with -Dtests.seed=" + seed + ")");
        Path dir = tmp.resolve("tt");
        Random random = new Random(seed);
        try (Database db = Database.open(dir, options())) {
            history(db, 2400, 97);
            int n = writes.size();
            assertTrue(db.checkpoints().size() >= 20, "checkpoints were taken along the way");
            Map<String, List<String>> head = oracle(n);
            assertEquals(head, live(dir));
            for (int i = 0; i < 12; i++) {
                int k = i == 0 ? 0 : i == 1 ? n : random.nextInt(n + 1);
                RestorePlan plan = db.planRestore(bookmarks.get(k));
                assertTrue(plan.framesToReplay() <= 97 + 2 * i + 2, "replay bounded by the checkpoint interval: " + plan);
                RestoreResult r = db.restore(bookmarks.get(k));
                assertEquals(oracle(k), live(dir), "restore to write " + k + " (" + bookmarks.get(k) + ")");
                assertEquals(oracle(k), SqliteFiles.dump(dir.resolve("live.sqlite3")));
                RestoreResult undo = db.restore(r.previousBookmark());
                assertEquals(head, live(dir), "undo of the restore to write " + k);
                assertTrue(undo.bookmark().compareTo(r.bookmark()) > 0);
            }
            assertEquals(24, db.history().size());
            // the database keeps working after restores: new writes land on the restored state
            db.restore(bookmarks.get(n / 2));
            Result after = db.execute("CREATE TABLE after_restore(v)");
            db.execute("INSERT INTO after_restore VALUES (1)");
            Map<String, List<String>> expected = oracle(n / 2);
            List<List<Statement>> more = new ArrayList<>(writes.subList(0, n / 2));
            more.add(List.of(Statement.of("CREATE TABLE after_restore(v)")));
            more.add(List.of(Statement.of("INSERT INTO after_restore VALUES (1)")));
            assertEquals(Oracle.after(more), live(dir));
            assertTrue(after.bookmark().epoch() > 0);
            assertFalse(expected.equals(live(dir)));
        }
        // every bookmark handed out stays valid after a reopen
        try (Database db = Database.open(dir, options())) {
            int k = writes.size() / 3;
            db.restore(bookmarks.get(k));
            assertEquals(oracle(k), live(dir));
            assertEquals(26, db.history().size());
        }
    }

    @Test
    void restoreChainsOlderNewerAndBackToTheUndoBookmark() throws Exception {
        Path dir = tmp.resolve("chain");
        try (Database db = Database.open(dir, options())) {
            history(db, 400, 50);
            RestoreResult a = db.restore(bookmarks.get(300));
            assertEquals(oracle(300), live(dir));
            RestoreResult b = db.restore(bookmarks.get(120));
            assertEquals(oracle(120), live(dir));
            assertEquals(a.bookmark(), b.previousBookmark());
            db.restore(a.previousBookmark());
            assertEquals(oracle(400), live(dir));
            db.restore(a.bookmark());
            assertEquals(oracle(300), live(dir));
            List<RestoreRecord> history = db.history();
            assertEquals(4, history.size());
            assertEquals(bookmarks.get(300), history.get(0).target());
            assertEquals(List.of(1, 2, 3, 4), history.stream().map(RestoreRecord::epoch).toList());
        }
    }

    @Test
    void restoreToATimeUsesTheLastWriteAtOrBeforeIt() throws Exception {
        Path dir = tmp.resolve("times");
        try (Database db = Database.open(dir, options())) {
            history(db, 300, 40);
            for (int k : new int[] {300, 1, 77, 150, 299}) { // 300 first: later restores add frames at the same instant
                Instant between = k == 300 ? times.get(k) : times.get(k).plusMillis(400);
                assertEquals(bookmarks.get(k), db.bookmarkAt(between));
                assertEquals(bookmarks.get(k), db.bookmarkAt(times.get(k)));
                db.restore(between);
                assertEquals(oracle(k), live(dir), "restore to " + between);
            }
            BookmarkException future = assertThrows(BookmarkException.class, () -> db.bookmarkAt(clock.instant().plusSeconds(60)));
            assertTrue(future.getMessage().contains("in the future"), future.getMessage());
            BookmarkException before = assertThrows(BookmarkException.class, () -> db.bookmarkAt(times.get(0).minusSeconds(5)));
            assertTrue(before.getMessage().contains("before the history"), before.getMessage());
            RetentionException old = assertThrows(RetentionException.class, () -> db.bookmarkAt(clock.instant().minus(Duration.ofDays(31))));
            assertTrue(old.getMessage().contains("retention window of 30 days"), old.getMessage());
        }
    }

    @Test
    void exportWritesAPlainSqliteFileOfThatMoment() throws Exception {
        Path dir = tmp.resolve("export");
        try (Database db = Database.open(dir, options())) {
            history(db, 250, 60);
            Bookmark before = db.bookmark();
            Path out = tmp.resolve("at-100.sqlite3");
            db.exportTo(bookmarks.get(100), out);
            assertEquals(oracle(100), SqliteFiles.dump(out));
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + out); var rs = c.createStatement()
                    .executeQuery("SELECT count(*) FROM sqlite_schema WHERE name LIKE '%chronolog%'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "engine tables stay inside");
            }
            assertEquals(before, db.bookmark(), "export changes nothing");
            assertEquals(oracle(250), live(dir));
            ChronologException exists = assertThrows(ChronologException.class, () -> db.exportTo(bookmarks.get(5), out));
            assertTrue(exists.getMessage().contains("exists"), exists.getMessage());
        }
    }

    @Test
    void planListsTheWritesARestoreWouldTakeBack() throws Exception {
        Path dir = tmp.resolve("plan");
        try (Database db = Database.open(dir, options())) {
            history(db, 120, 50);
            RestorePlan plan = db.planRestore(bookmarks.get(110));
            assertEquals(10, plan.undone().size());
            assertEquals(writes.get(110), plan.undone().get(0).statements());
            assertEquals(bookmarks.get(111), plan.undone().get(0).bookmark());
            assertEquals(db.positionOf(bookmarks.get(110)), plan.position());
            assertEquals(plan.position() - plan.checkpointPosition(), plan.framesToReplay());
            assertTrue(plan.framesToReplay() <= 50 + 2, "bounded by the checkpoint interval: " + plan.framesToReplay());
            assertEquals(oracle(120), live(dir), "planning changes nothing");
        }
    }

    @Test
    void aDamagedCheckpointIsPassedOverForAnEarlierOne() throws Exception {
        Path dir = tmp.resolve("damaged");
        try (Database db = Database.open(dir, options())) {
            history(db, 300, 100);
            List<CheckpointInfo> cps = db.checkpoints();
            CheckpointInfo last = cps.get(cps.size() - 1);
            Path file = dir.resolve("checkpoints").resolve(String.format("%020d.ckpt", last.number()));
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.seek(f.length() / 2);
                int b = f.read();
                f.seek(f.length() / 2);
                f.write(b ^ 0x40);
            }
            db.restore(bookmarks.get(299));
            assertEquals(oracle(299), live(dir));
            db.restore(bookmarks.get(150));
            assertEquals(oracle(150), live(dir));
        }
    }

    @Test
    void bookmarksOutsideTheLogOrWithWrongHashesAreRefused() throws Exception {
        try (Database db = Database.open(tmp.resolve("bad"), options())) {
            history(db, 50, 20);
            Bookmark good = bookmarks.get(30);
            Bookmark wrongHash = Bookmark.parse(good.toString().substring(0, 27) + "0".repeat(32));
            BookmarkException e = assertThrows(BookmarkException.class, () -> db.restore(wrongHash));
            assertTrue(e.getMessage().contains("does not match the log"), e.getMessage());
            Bookmark beyond = new Bookmark(good.epoch(), good.checkpoint(), good.offset() + 500, good.hashHi(), good.hashLo());
            BookmarkException e2 = assertThrows(BookmarkException.class, () -> db.restore(beyond));
            assertTrue(e2.getMessage().contains("which the log does not have"), e2.getMessage());
            Bookmark unknownCheckpoint = new Bookmark(0, 99, 1, good.hashHi(), good.hashLo());
            BookmarkException e3 = assertThrows(BookmarkException.class, () -> db.restore(unknownCheckpoint));
            assertTrue(e3.getMessage().contains("checkpoint 99"), e3.getMessage());
            assertEquals(oracle(50), SqliteFiles.dump(tmp.resolve("bad").resolve("live.sqlite3")));
        }
    }

    static void flip(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 1;
        Files.write(file, b);
    }
}
