package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.internal.archive.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writers on one archive: a restore from the archive on another machine takes it over, and the
 * old writer is fenced (its sync, its status and its next writes say so, and it ships nothing
 * more); two takeovers racing leave exactly one writer. Each time the archive's chain verifies
 * whole (no fork, no gap) and a restore from it equals a plain SQLite database that ran the
 * winner's writes. Against a real S3 server.
 *
 * <p>A takeover right after a takeover fails today at the copy's first open (in
 * Recovery.recover: "no frame at position N", the log holding only the first takeover's restore
 * frame): the live file rebuilt from that restore checkpoint names as applied a frame before the
 * copied log's first. The same shape on a local database (restore to the newest bookmark, the
 * frames before it pruned, the live file lost) reopens fine, so the cause lies in what the copy
 * holds; it is not pinned down yet. The race fails the same way when the losing takeover retries.
 */
class ArchiveFencingTest {
    private static S3Server server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start(Files.createTempDirectory("chronolog-s3"));
        S3Server.useCredentialsInThisJvm();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private ArchiveOptions freshArchive() {
        String bucket = "fencing-" + System.nanoTime();
        server.createBucket(bucket);
        return server.archive(bucket, "prod").lag(Duration.ofMillis(10)).archivedWait(Duration.ofSeconds(5)).build();
    }

    private static Options plain() {
        return Options.builder().background(false).build();
    }

    /** Runs {@code n} workload writes on {@code db}; returns the oracle's state after them. */
    private static OracleHistory.State write(Database db, HistoryWorkload workload, OracleHistory oracle, OracleHistory.State state, int n) {
        for (int i = 0; i < n; i++) {
            List<Statement> w = workload.next();
            try {
                db.batch(w);
                state = oracle.after(state, w);
            } catch (SqlException e) {
                // the workload's schema model and the database disagree: the write changed nothing
            }
            if (i % 25 == 24) {
                db.checkpoint();
            }
        }
        return state;
    }

    private java.util.Map<String, List<String>> restoredFork(ArchiveOptions archive, String as) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("forks"));
        Archives.restore(archive, "app", Archives.Target.newest(), data, as, false, plain(), null);
        return ArchiveFixture.tables(data.resolve(as), tmp);
    }

    /** A test's start: writer A wrote 50 writes of a seeded workload to a fresh archive and shipped them all. */
    private record Shipped(long seed, ArchiveOptions archive, OracleHistory oracle, HistoryWorkload workload, OracleHistory.State state) {
    }

    private Shipped writerAShipped(String test) throws Exception {
        long seed = System.nanoTime();
        System.out.println("ArchiveFencingTest." + test + " seed=" + seed);
        ArchiveOptions archive = freshArchive();
        OracleHistory oracle = new OracleHistory(tmp.resolve("oracle"));
        HistoryWorkload workload = new HistoryWorkload(seed);
        OracleHistory.State state;
        try (Database a = Database.open(tmp.resolve("a").resolve("app"), Options.builder().background(false).archive(archive).build())) {
            state = write(a, workload, oracle, oracle.root(), 50);
            a.archiveSync(Duration.ofSeconds(30));
        }
        return new Shipped(seed, archive, oracle, workload, state);
    }

    @Test
    void aTakeoverFencesTheOldWriter() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ArchiveFencingTest.aTakeoverFencesTheOldWriter seed=" + seed);
        ArchiveOptions archive = freshArchive();
        OracleHistory oracle = new OracleHistory(tmp.resolve("oracle"));
        HistoryWorkload workload = new HistoryWorkload(seed);
        Path dirA = tmp.resolve("a").resolve("app");
        Path dataB = Files.createDirectories(tmp.resolve("b"));
        OracleHistory.State state;
        try (Database a = Database.open(dirA, Options.builder().background(false).archive(archive).build())) {
            state = write(a, workload, oracle, oracle.root(), 60);
            assertEquals(0, a.archiveSync(Duration.ofSeconds(30)).lagFrames());

            ArchiveRestoreResult taken = Archives.restore(archive, "app", Archives.Target.newest(), dataB, null, false, plain(), null);
            assertTrue(taken.takeover());
            assertEquals(oracle.tables(state), ArchiveFixture.tables(dataB.resolve("app"), tmp), "seed " + seed);

            // A does not know yet: its next write is logged here, and its shipping finds its place taken
            try {
                a.execute("CREATE TABLE written_by_a_after_takeover(x)");
            } catch (ArchiveException e) {
                assertTrue(e.getMessage().contains("fenced"), e.getMessage());
            }
            ArchiveException synced = assertThrows(ArchiveException.class, () -> a.archiveSync(Duration.ofSeconds(30)));
            assertTrue(synced.getMessage().contains("fenced"), synced.getMessage());
            assertEquals(1, synced.getMessage().lines().count(), synced.getMessage());
            ArchiveException status = assertThrows(ArchiveException.class, a::archiveStatus, "status fails saying it was fenced");
            assertTrue(status.getMessage().contains("fenced"), status.getMessage());
            ArchiveException refused = assertThrows(ArchiveException.class, () -> a.execute("CREATE TABLE refused(x)"));
            assertTrue(refused.getMessage().contains("fenced"), refused.getMessage());
        }
        // reopened, A is fenced again at its first turn
        try (Database a = Database.open(dirA, plain())) {
            ArchiveException again = assertThrows(ArchiveException.class, () -> a.archiveSync(Duration.ofSeconds(30)));
            assertTrue(again.getMessage().contains("fenced"), again.getMessage());
        }
        // B, the new writer, goes on shipping
        try (Database b = Database.open(dataB.resolve("app"), plain())) {
            state = write(b, workload, oracle, state, 40);
            assertEquals(b.bookmark(), b.archiveSync(Duration.ofSeconds(30)).archived());
        }
        ArchiveVerifyReport verified = Archives.verify(archive, "app", tmp);
        assertTrue(verified.ok(), "seed " + seed + ": " + verified.problems());
        assertEquals(oracle.tables(state), restoredFork(archive, "check"), "seed " + seed + ": the archive holds B's history, not A's");
    }

    @Test
    void aTakeoverOfATakeoverRightAfterIt() throws Exception {
        Shipped a = writerAShipped("aTakeoverOfATakeoverRightAfterIt");
        OracleHistory.State state = a.state();
        // B takes over, and at once C takes over from B: the archive ends with B's restore and its checkpoint
        Archives.restore(a.archive(), "app", Archives.Target.newest(), Files.createDirectories(tmp.resolve("b")), null, false, plain(), null);
        Path c = Files.createDirectories(tmp.resolve("c"));
        Archives.restore(a.archive(), "app", Archives.Target.newest(), c, null, false, plain(), null);
        assertEquals(a.oracle().tables(state), ArchiveFixture.tables(c.resolve("app"), tmp), "seed " + a.seed());
        try (Database db = Database.open(c.resolve("app"), plain())) {
            state = write(db, a.workload(), a.oracle(), state, 10);
            assertEquals(db.bookmark(), db.archiveSync(Duration.ofSeconds(30)).archived());
        }
        ArchiveVerifyReport verified = Archives.verify(a.archive(), "app", tmp);
        assertTrue(verified.ok(), "seed " + a.seed() + ": " + verified.problems());
        assertEquals(a.oracle().tables(state), restoredFork(a.archive(), "check"), "seed " + a.seed());
    }

    @Test
    void twoTakeoversRacingLeaveOneWriter() throws Exception {
        Shipped a = writerAShipped("twoTakeoversRacingLeaveOneWriter");
        OracleHistory.State state = a.state();
        int racers = 2;
        List<Path> datas = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            datas.add(Files.createDirectories(tmp.resolve("racer" + i)));
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Future<ArchiveRestoreResult>> results = new ArrayList<>();
        for (Path d : datas) {
            results.add(pool.submit(() -> {
                go.await();
                return Archives.restore(a.archive(), "app", Archives.Target.newest(), d, null, false, plain(), null);
            }));
        }
        go.countDown();
        List<Path> returned = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            try {
                results.get(i).get(120, TimeUnit.SECONDS);
                returned.add(datas.get(i).resolve("app"));
            } catch (java.util.concurrent.ExecutionException e) {
                String m = String.valueOf(e.getCause().getMessage());
                e.getCause().printStackTrace();
                failures.add(m);
                assertTrue(e.getCause() instanceof ArchiveException && (m.contains("fenced") || m.contains("another writer")),
                        "a lost race fails clearly: " + e.getCause());
                assertTrue(!Files.exists(datas.get(i).resolve("app")), "a lost takeover leaves no database behind");
            }
        }
        pool.shutdown();
        System.out.println("race: " + returned.size() + " returned, failures " + failures);
        assertTrue(!returned.isEmpty(), "at least one takeover completes: " + failures);
        // every racer that returned tries to write and ship: exactly one is the archive's writer
        List<Path> writers = new ArrayList<>();
        for (Path d : returned) {
            try (Database db = Database.open(d, plain())) {
                assertEquals(a.oracle().tables(state), ArchiveFixture.tables(d, tmp), "seed " + a.seed());
                try {
                    db.execute("CREATE TABLE shipped_by_" + d.getParent().getFileName() + "(x)");
                    db.archiveSync(Duration.ofSeconds(30));
                    writers.add(d);
                } catch (ArchiveException e) {
                    assertTrue(e.getMessage().contains("fenced"), e.getMessage());
                }
            }
        }
        assertEquals(1, writers.size(), "exactly one writer: " + writers + " of " + returned);
        state = a.oracle().after(state, List.of(Statement.of("CREATE TABLE shipped_by_" + writers.get(0).getParent().getFileName() + "(x)")));
        ArchiveVerifyReport verified = Archives.verify(a.archive(), "app", tmp);
        assertTrue(verified.ok(), "seed " + a.seed() + ": " + verified.problems());
        assertEquals(a.oracle().tables(state), restoredFork(a.archive(), "check"), "seed " + a.seed());
    }
}
