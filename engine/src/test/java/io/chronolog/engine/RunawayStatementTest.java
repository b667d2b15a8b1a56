package io.chronolog.engine;

import io.chronolog.engine.internal.live.LiveDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements that would run forever, or hold a connection or the writer lock forever: the
 * statement time limit, reads through {@code execute} on the reader pool, the bounded wait for a
 * reader, the result limits, and replay that is never limited.
 */
class RunawayStatementTest {
    static final String ENDLESS = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) SELECT max(i) FROM r";
    static final String ENDLESS_WRITE = "INSERT INTO t(v) SELECT max(i) FROM (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) SELECT i FROM r)";
    static final Duration LIMIT = Duration.ofMillis(200);

    @TempDir
    Path tmp;

    private static Options limited(Duration limit) {
        return Options.builder().background(false).statementTimeout(limit).build();
    }

    private static int frames(Database db) {
        return db.writes(null, null, 1_000_000).size();
    }

    @Test
    void endlessReadThroughExecuteFailsWithinTheLimitAndTheDatabaseKeepsWorking() {
        try (Database db = Database.open(tmp.resolve("db"), limited(LIMIT))) {
            db.execute("CREATE TABLE t(v)");
            StatementTimeoutException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(StatementTimeoutException.class, () -> db.execute(ENDLESS)));
            assertTrue(e.getMessage().contains("200 ms") && e.getMessage().contains("Options.statementTimeout"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
            assertEquals(LIMIT, e.limit());
            db.execute("INSERT INTO t VALUES (1)");
            assertEquals(2, frames(db), "the stopped statement has no frame");
            assertEquals(1L, db.query("SELECT count(*) FROM t").get(0).getLong(0));
        }
    }

    @Test
    void endlessWriteFailsWithinTheLimitChangesNothingAndLogsNothing() {
        try (Database db = Database.open(tmp.resolve("db"), limited(LIMIT))) {
            db.execute("CREATE TABLE t(v)");
            db.execute("INSERT INTO t VALUES (1)");
            for (int i = 0; i < 3; i++) {
                StatementTimeoutException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                        () -> assertThrows(StatementTimeoutException.class, () -> db.execute(ENDLESS_WRITE)));
                assertTrue(e.getMessage().contains("nothing was applied or logged"), e.getMessage());
                StatementTimeoutException inBatch = assertThrows(StatementTimeoutException.class,
                        () -> db.batch(List.of(Statement.of("INSERT INTO t VALUES (2)"), Statement.of(ENDLESS_WRITE))));
                assertTrue(inBatch.getMessage().contains("statement 2 of the batch"), inBatch.getMessage());
            }
            db.execute("INSERT INTO t VALUES (3)");
            assertEquals(3, frames(db));
            assertEquals(List.of(1L, 3L), db.query("SELECT v FROM t ORDER BY rowid").asList().stream().map(r -> r.getLong(0)).toList());
        }
    }

    @Test
    void endlessQueryFailsWithinTheLimit() {
        try (Database db = Database.open(tmp.resolve("db"), limited(LIMIT))) {
            StatementTimeoutException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(StatementTimeoutException.class, () -> db.query(ENDLESS)));
            assertTrue(e.getMessage().contains("query stopped") && e.getMessage().contains("Options.statementTimeout"), e.getMessage());
            assertThrows(StatementTimeoutException.class, () -> db.query(Statement.of(ENDLESS), row -> { }));
            assertEquals(1L, db.query("SELECT 1").get(0).getLong(0));
        }
    }

    @Test
    void aStreamedReadCountsSqliteTimeNotTheConsumers() {
        try (Database db = Database.open(tmp.resolve("db"), limited(LIMIT))) {
            long rows = db.query(Statement.of("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 5) SELECT i FROM r"),
                    row -> sleep(100));
            assertEquals(5, rows, "five 100 ms pauses in the consumer are not SQLite's time");
        }
    }

    @Test
    void endlessQueriesOnEveryReaderMakeTheNextReadFailWithTheBusyErrorNotHang() throws Exception {
        Options options = Options.builder().background(false).readerConnections(4)
                .statementTimeout(Duration.ofSeconds(3)).readerWait(Duration.ofMillis(200)).build();
        try (Database db = Database.open(tmp.resolve("db"), options)) {
            ExecutorService pool = Executors.newFixedThreadPool(5);
            try {
                List<Future<?>> endless = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    endless.add(pool.submit(() -> assertThrows(ChronologException.class, () -> db.query(ENDLESS))));
                }
                Thread.sleep(1000); // four run, the fifth waits for a reader and gives up
                ReadersBusyException busy = assertTimeoutPreemptively(Duration.ofSeconds(2),
                        () -> assertThrows(ReadersBusyException.class, () -> db.query("SELECT 1")));
                assertTrue(busy.getMessage().contains("all 4 readers are busy") && busy.getMessage().contains("Options.readerWait")
                        && busy.getMessage().contains("Options.readerConnections"), busy.getMessage());
                int timedOut = 0;
                for (Future<?> f : endless) {
                    if (f.get(10, TimeUnit.SECONDS) instanceof StatementTimeoutException) {
                        timedOut++;
                    }
                }
                assertEquals(4, timedOut, "four ran until the limit; one found every reader busy");
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1L, db.query("SELECT 1").get(0).getLong(0));
        }
    }

    @Test
    void aReadThroughExecuteDoesNotWaitForTheWriter() throws Exception {
        try (Database db = Database.open(tmp.resolve("db"), limited(Duration.ofSeconds(3)))) {
            db.execute("CREATE TABLE t(v)");
            db.execute("INSERT INTO t VALUES (7)");
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                // a WITH runs through the writer: it holds the writer lock until its time limit
                Future<?> slow = pool.submit(() -> assertThrows(StatementTimeoutException.class, () -> db.execute(ENDLESS)));
                Thread.sleep(300);
                Result r = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> db.execute("SELECT v FROM t"));
                assertEquals(7L, r.rows().get(0).getLong(0));
                assertEquals(db.bookmark(), r.bookmark());
                List<Result> both = assertTimeoutPreemptively(Duration.ofSeconds(1),
                        () -> db.batch(List.of(Statement.of("SELECT count(*) FROM t"), Statement.of("VALUES (1), (2)"))));
                assertEquals(1L, both.get(0).rows().get(0).getLong(0));
                assertEquals(2, both.get(1).rows().size());
                slow.get(10, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aResultOverTheLimitsIsRefusedAndPointsToTheStreamingRead() {
        Options options = Options.builder().background(false).maxResultRows(10).maxResultBytes(1000).build();
        try (Database db = Database.open(tmp.resolve("db"), options)) {
            db.execute("CREATE TABLE t(v)");
            db.execute("INSERT INTO t SELECT value FROM (WITH RECURSIVE r(value) AS (SELECT 1 UNION ALL SELECT value+1 FROM r WHERE value < 11) SELECT value FROM r)");
            ResultTooLargeException e = assertThrows(ResultTooLargeException.class, () -> db.query("SELECT v FROM t"));
            assertTrue(e.getMessage().contains("Options.maxResultRows") && e.getMessage().contains("Database.query(Statement, RowConsumer)"),
                    e.getMessage());
            assertThrows(ResultTooLargeException.class, () -> db.execute("SELECT v FROM t"));
            ResultTooLargeException bytes = assertThrows(ResultTooLargeException.class, () -> db.query("SELECT zeroblob(2000)"));
            assertTrue(bytes.getMessage().contains("Options.maxResultBytes"), bytes.getMessage());
            AtomicInteger seen = new AtomicInteger();
            assertEquals(11, db.query(Statement.of("SELECT v FROM t"), row -> seen.incrementAndGet()));
            assertEquals(11, seen.get());
            List<Long> streamed = new ArrayList<>();
            Result r = db.execute(Statement.of("SELECT v FROM t ORDER BY v"), row -> streamed.add(row.getLong(0)));
            assertEquals(11, streamed.size());
            assertEquals(0, r.rows().size());
            assertEquals(10, db.query("SELECT v FROM t LIMIT 10").size());
            // a write whose RETURNING rows are over the limit is refused whole
            int before = frames(db);
            SqlException w = assertThrows(SqlException.class, () -> db.execute("UPDATE t SET v = v + 100 RETURNING v"));
            assertTrue(w.getMessage().contains("Options.maxResultRows") && w.getMessage().contains("nothing was applied"), w.getMessage());
            assertEquals(before, frames(db));
            assertEquals(66L, db.query("SELECT sum(v) FROM t").get(0).getLong(0));
        }
    }

    @Test
    void replayIsNeverLimited() throws Exception {
        Path dir = tmp.resolve("db");
        String heavy = "INSERT INTO t(v) SELECT sum(i) FROM (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 3000000) SELECT i FROM r)";
        long ran;
        Bookmark after;
        try (Database db = Database.open(dir, limited(Duration.ofSeconds(60)))) {
            db.execute("CREATE TABLE t(v)");
            db.checkpoint();
            long started = System.nanoTime();
            after = db.execute(heavy).bookmark();
            ran = System.nanoTime() - started;
            db.execute("INSERT INTO t VALUES (1)");
        }
        Duration tiny = Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), ran / 5));
        System.out.println("replayIsNeverLimited: the heavy write ran " + TimeUnit.NANOSECONDS.toMillis(ran) + " ms; reopened with a limit of "
                + tiny.toMillis() + " ms");
        assertThrows(StatementTimeoutException.class, () -> {
            try (Database db = Database.open(dir, limited(tiny))) {
                db.execute(heavy);
            }
        }, "the heavy statement is over the tiny limit when run anew");
        DatabaseTest.deleteLive(dir);
        try (Database db = Database.open(dir, limited(tiny))) {
            assertTrue(db.framesReplayedAtOpen() >= 2, "the heavy frame is replayed into a new live file");
            assertEquals(4500001500000L, db.query("SELECT v FROM t WHERE rowid = 1").get(0).getLong(0));
            db.restore(after);
            assertEquals(1, db.query("SELECT count(*) FROM t").get(0).getLong(0));
            assertTrue(db.verify().ok(), "verify replays every frame");
        }
    }

    @Test
    void aTimeoutInsideAGroupKeepsTheGroupsOtherWrites() throws Exception {
        Path dir = tmp.resolve("db");
        List<List<Statement>> acknowledged = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger timeouts = new AtomicInteger();
        try (Database db = Database.open(dir, limited(Duration.ofMillis(50)))) {
            db.execute("CREATE TABLE t(k INTEGER PRIMARY KEY, v)");
            acknowledged.add(List.of(Statement.of("CREATE TABLE t(k INTEGER PRIMARY KEY, v)")));
            ExecutorService pool = Executors.newFixedThreadPool(6);
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger keys = new AtomicInteger();
            List<Future<?>> all = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                boolean slow = w == 0;
                all.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < (slow ? 15 : 150); i++) {
                        if (slow) {
                            try {
                                db.execute(ENDLESS_WRITE.replace("t(v)", "t(k, v)").replace("max(i)", "-1 - max(i), max(i)"));
                            } catch (StatementTimeoutException e) {
                                timeouts.incrementAndGet();
                            }
                        } else {
                            Statement st = Statement.of("INSERT INTO t(k, v) VALUES (?, ?)", keys.incrementAndGet(), "x");
                            db.execute(st.sql(), st.params().toArray());
                            acknowledged.add(List.of(st));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : all) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(15, timeouts.get());
            assertEquals(acknowledged.size(), frames(db), "one frame per acknowledged write, none for the stopped ones");
            assertEquals(750L, db.query("SELECT count(*) FROM t").get(0).getLong(0));
        }
        var live = SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME));
        assertEquals(750, live.get("t").size());
        DatabaseTest.deleteLive(dir);
        try (Database db = Database.open(dir, limited(Duration.ofMillis(50)))) {
            assertEquals(acknowledged.size(), db.framesReplayedAtOpen());
        }
        assertEquals(live, SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)), "the log rebuilds the same state");
    }

    @Test
    void theLimitsAreValidatedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Options.builder().statementTimeout(Duration.ZERO).build());
        assertTrue(e.getMessage().contains("Options.statementTimeout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Options.builder().readerWait(Duration.ofMillis(-1)).build());
        assertTrue(e.getMessage().contains("Options.readerWait"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Options.builder().maxResultRows(0).build());
        assertTrue(e.getMessage().contains("Options.maxResultRows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Options.builder().maxResultBytes(0).build());
        assertTrue(e.getMessage().contains("Options.maxResultBytes"), e.getMessage());
        assertEquals(Duration.ofSeconds(30), Options.defaults().statementTimeout());
        assertEquals(Duration.ofSeconds(30), Options.defaults().readerWait());
        assertEquals(Duration.ofSeconds(5), Options.builder().statementTimeout(Duration.ofSeconds(5)).build().readerWait());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
