package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.internal.log.Effect;
import io.chronolog.engine.internal.log.StatementBatch;
import io.chronolog.wal.FrameKind;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.LogOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
    @TempDir
    Path tmp;

    /** Appends a frame straight to the log, as a writer killed between its append and its SQLite commit leaves it. */
    private static void appendUncommitted(Path dir, String sql, Effect effect) throws Exception {
        try (FrameLog log = FrameLog.open(dir.resolve("wal"), LogOptions.defaults(System::currentTimeMillis))) {
            byte[] payload = new StatementBatch(7, List.of(new Statement(sql, List.of())), List.of(effect)).encode();
            long position = log.lastPosition() + 1;
            log.append(0, 0, position, Math.max(log.lastTimestamp(), System.currentTimeMillis()), FrameKind.STATEMENTS, payload);
            log.sync();
        }
    }

    @Test
    void framesLoggedButNotCommittedAreReplayedAtOpen() throws Exception {
        Path dir = tmp.resolve("torn");
        try (Database db = Database.open(dir)) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v)");
            db.execute("INSERT INTO t(v) VALUES ('committed')");
        }
        appendUncommitted(dir, "INSERT INTO t(v) VALUES ('logged only')", new Effect(1, 2));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Database db = Database.open(dir, Options.builder().meterRegistry(meters).build())) {
            assertEquals(1, db.framesReplayedAtOpen());
            assertEquals(1.0, meters.get("chronolog.recovery.frames.replayed").counter().count());
            assertEquals(List.of("committed", "logged only"),
                    db.query("SELECT v FROM t ORDER BY id").asList().stream().map(r -> r.get(0)).toList());
            assertEquals(3, db.positionOf(db.bookmark()));
            db.execute("INSERT INTO t(v) VALUES ('after')");
            assertEquals(4, db.positionOf(db.bookmark()));
        }
    }

    @Test
    void replayThatDoesNotReproduceTheRecordedEffectStopsAtThatFrame() throws Exception {
        Path dir = tmp.resolve("diverge");
        try (Database db = Database.open(dir)) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v)");
        }
        appendUncommitted(dir, "INSERT INTO t(v) VALUES (1)", new Effect(5, 1));
        // the database opens for reads at the frame before; writes say which frame and why
        try (Database db = Database.open(dir)) {
            ChronologException w = assertThrows(ChronologException.class, () -> db.execute("INSERT INTO t(v) VALUES (2)"));
            ReplayDivergenceException e = (ReplayDivergenceException) w.getCause();
            assertEquals(2, e.position());
            assertTrue(e.getMessage().contains("frame 2"), e.getMessage());
            assertTrue(e.getMessage().contains("expected changes=5 lastRowId=1 actual changes=1 lastRowId=1"), e.getMessage());
            assertTrue(w.getMessage().contains("time-travel restore"), w.getMessage());
            // nothing of the bad frame was applied
            assertEquals(0, db.query("SELECT count(*) FROM t").get(0).getLong(0));
        }
        assertEquals(List.of(), SqliteFiles.dump(dir.resolve("live.sqlite3")).get("t"));
    }

    @Test
    void replayOfAStatementThatNowFailsNamesTheFrame() throws Exception {
        Path dir = tmp.resolve("fails");
        try (Database db = Database.open(dir)) {
            db.execute("CREATE TABLE t(v)");
        }
        appendUncommitted(dir, "INSERT INTO missing VALUES (1)", new Effect(1, 1));
        try (Database db = Database.open(dir)) {
            ChronologException e = assertThrows(ChronologException.class, () -> db.execute("INSERT INTO t VALUES (1)"));
            assertTrue(e.getMessage().contains("frame 2") && e.getMessage().contains("no such table: missing"), e.getMessage());
        }
    }

    @Test
    void liveFileAheadOfTheLogIsRefused() throws Exception {
        Path dir = tmp.resolve("ahead");
        Path early = tmp.resolve("early");
        try (Database db = Database.open(dir)) {
            db.execute("CREATE TABLE t(v)");
            db.execute("INSERT INTO t VALUES (1)");
        }
        copyTree(dir.resolve("wal"), early);
        try (Database db = Database.open(dir)) {
            db.execute("INSERT INTO t VALUES (2)");
            db.execute("INSERT INTO t VALUES (3)");
        }
        deleteTree(dir.resolve("wal"));
        copyTree(early, dir.resolve("wal"));
        CorruptionException e = assertThrows(CorruptionException.class, () -> Database.open(dir));
        assertTrue(e.getMessage().contains("live.sqlite3 has applied frame 4 but the log ends at frame 2"), e.getMessage());
    }

    @Test
    void liveFileFromAnotherHistoryIsRefused() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        for (Path dir : List.of(a, b)) {
            try (Database db = Database.open(dir)) {
                db.execute("CREATE TABLE t(v)");
                db.execute("INSERT INTO t VALUES (?)", dir.getFileName().toString());
            }
        }
        Files.copy(b.resolve("live.sqlite3"), a.resolve("live.sqlite3"), StandardCopyOption.REPLACE_EXISTING);
        CorruptionException e = assertThrows(CorruptionException.class, () -> Database.open(a));
        assertTrue(e.getMessage().contains("live.sqlite3 and the log disagree at frame 2"), e.getMessage());
    }

    @Test
    void missingLiveFileIsRebuiltFromTheLog() throws Exception {
        Path dir = tmp.resolve("rebuild");
        try (Database db = Database.open(dir, Options.builder().durability(Durability.ASYNC).build())) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v)");
            for (int i = 0; i < 2500; i++) {
                db.execute("INSERT INTO t(v) VALUES (?)", i);
            }
            db.execute("DELETE FROM t WHERE id % 7 = 0");
        }
        var before = SqliteFiles.dump(dir.resolve("live.sqlite3"));
        DatabaseTest.deleteLive(dir);
        try (Database db = Database.open(dir)) {
            assertEquals(2502, db.framesReplayedAtOpen());
        }
        assertEquals(before, SqliteFiles.dump(dir.resolve("live.sqlite3")));
    }

    @Test
    void metricsCountFramesBytesAndSyncs() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Database db = Database.open(tmp.resolve("metrics"), Options.builder().meterRegistry(meters).build())) {
            db.execute("CREATE TABLE t(v)");
            db.execute("INSERT INTO t VALUES (1)");
            db.execute("SELECT * FROM t");
            assertThrows(SqlException.class, () -> db.execute("INSERT INTO nope VALUES (1)"));
            assertEquals(2.0, meters.get("chronolog.wal.frames.appended").tag("database", "metrics").counter().count());
            assertTrue(meters.get("chronolog.wal.bytes.appended").counter().count() > 20);
            assertEquals(2, meters.get("chronolog.wal.append.sync").timer().count());
            assertEquals(2, meters.get("chronolog.wal.commits.per.sync").summary().count());
            assertEquals(1.0, meters.get("chronolog.writes.failed").counter().count());
        }
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
