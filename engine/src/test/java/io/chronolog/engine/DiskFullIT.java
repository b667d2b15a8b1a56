package io.chronolog.engine;

import io.chronolog.engine.internal.live.LiveDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database on a small tmpfs that fills up: writes (small and large), a checkpoint, a backup, a
 * restore, an export and a reopen are each run on the full disk. Each either succeeds or fails
 * with a {@link DiskFullException} whose one-line message names the problem; every acknowledged
 * write (and every write the engine reports as logged) is in the state afterwards, which is
 * compared with a plain SQLite oracle; once space is freed everything works again in the same
 * open database and after a reopen, and {@code verify} is clean.
 *
 * <p>Seed: {@code -Dchronolog.diskfull.seed=S}; {@code -Dchronolog.soak=true} fills a larger disk.
 */
class DiskFullIT {
    /** Free space left for the database's writes to fill in each round. */
    private static final long DATABASE_ROOM = (ReliabilityReport.soak() ? 12L : 3L) << 20;
    private static final String BIG = "CREATE TABLE big(id INTEGER PRIMARY KEY, v BLOB NOT NULL)";

    @TempDir
    Path tmp;

    private SplittableRandom random;
    private long seed;
    private long next;
    /** The writes that make up the database's current state, in log order. */
    private final List<List<Statement>> state = new ArrayList<>();
    /** The state (as its writes) at each bookmark handed out. */
    private final Map<Bookmark, List<List<Statement>>> stateAt = new HashMap<>();
    private int operations;
    private int failuresOnFullDisk;
    private int clearErrors;
    private int loggedNotApplied;
    private int comparisons;
    private DiskFullException lastError;

    @Test
    void aFullDiskFailsCleanlyLosesNothingAndEverythingWorksOnceSpaceIsFreed() throws Exception {
        check(Long.getLong("chronolog.diskfull.seed", System.nanoTime()), "DiskFullIT");
    }

    /**
     * The seed that found a live file whose failed commit stopped all writing until a reopen, the
     * driver's finalised statements after that failure, and an open on a full disk reported as
     * corruption.
     */
    @Test
    void regressionSeed9143932348258() throws Exception {
        check(9143932348258L, "DiskFullIT-regression");
    }

    private void check(long seed, String report) throws Exception {
        this.seed = seed;
        System.out.println("DiskFullIT seed=" + seed + " (rerun with -Dchronolog.diskfull.seed=" + seed + ")");
        random = new SplittableRandom(seed);
        int size = ReliabilityReport.soak() ? 96 : 40;
        SmallDisk disk = SmallDisk.mount(tmp.resolve("mnt"), size);
        ReliabilityAssumptions.requireOrSkip(disk != null, "cannot mount a tmpfs here (needs root): " + SmallDisk.whyNot());
        try {
            run(disk);
        } catch (AssertionError | Exception e) {
            throw new AssertionError("DiskFullIT failed with seed " + seed + ": " + e.getMessage(), e);
        } finally {
            disk.close();
        }
        ReliabilityReport.write(report, "seed=" + seed + " disk=" + size + "MiB operations=" + operations
                + " failures_injected=" + failuresOnFullDisk + " clear_errors=" + clearErrors
                + " logged_not_yet_applied=" + loggedNotApplied + " acknowledged_writes=" + state.size()
                + " acknowledged_writes_lost=0 oracle_comparisons=" + comparisons);
    }

    private void run(SmallDisk disk) throws Exception {
        // space to free later, one file per round, written before the database exists
        Path ballast1 = disk.ballast("ballast1", 8L << 20, seed);
        Path ballast2 = disk.ballast("ballast2", 8L << 20, seed + 1);
        Path dir = disk.root().resolve("db");
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
        Options options = Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).build();
        Bookmark early;
        try (Database db = Database.open(dir, options)) {
            write(db, List.of(Statement.of(Workload.SCHEMA)), clock);
            write(db, List.of(Statement.of(BIG)), clock);
            for (int i = 0; i < 5; i++) {
                write(db, Workload.write(seed, next++), clock);
            }
            early = db.bookmark();

            // round 1: leave the database a few MiB, fill them with writes, then take everything else there is
            Path prefill1 = disk.ballast("prefill1", Math.max(0, disk.freeBytes() - DATABASE_ROOM), seed + 2);
            fillWithWrites(db, clock);
            disk.fill("filler");
            fullDiskOperations(db, dir, early, disk, clock);

            Files.delete(disk.root().resolve("filler"));
            Files.delete(ballast1);
            Files.delete(prefill1);
            everythingWorks(db, dir, early, disk, clock, "after freeing space, same open database");
        }

        // round 2: fill again, close and reopen on the full disk, then free space and reopen
        try (Database db = Database.open(dir, options)) {
            assertState(db, dir, "reopened after round 1");
            disk.ballast("prefill2", Math.max(0, disk.freeBytes() - DATABASE_ROOM), seed + 3);
            fillWithWrites(db, clock);
            disk.fill("filler2");
            for (int i = 0; i < 60; i++) {
                write(db, Workload.write(seed, next++), clock);
            }
        }
        operations++;
        try (Database db = Database.open(dir, options)) {
            // the replay of logged frames fitted after all
            assertState(db, dir, "reopened on the full disk");
        } catch (DiskFullException e) {
            failuresOnFullDisk++;
            clear(e);
        }
        Files.delete(disk.root().resolve("filler2"));
        Files.delete(ballast2);
        Files.delete(disk.root().resolve("prefill2"));
        try (Database db = Database.open(dir, options)) {
            assertState(db, dir, "reopened after freeing space");
            everythingWorks(db, dir, early, disk, clock, "round 2, after a reopen");
        }
        try (Database db = Database.open(dir, options)) {
            assertState(db, dir, "final reopen");
            assertVerifyClean(db, "final reopen");
        }
        assertTrue(failuresOnFullDisk > 0, "the disk never filled up");
        assertTrue(loggedNotApplied > 0, "no write was ever logged while live.sqlite3 could not take it: "
                + "the case where SQLite fails after the log append was not exercised");
    }

    /** Writes, alternating large and small, until the first write fails; then small ones for a while. */
    private void fillWithWrites(Database db, MutableClock clock) {
        for (int i = 0; i < 100_000; i++) {
            List<Statement> w = i % 4 == 0 ? big(32 * 1024 + random.nextInt(64 * 1024)) : Workload.write(seed, next++);
            if (!write(db, w, clock)) {
                break;
            }
        }
        for (int i = 0; i < 40; i++) {
            write(db, i % 10 == 9 ? big(16 * 1024) : Workload.write(seed, next++), clock);
        }
    }

    private List<Statement> big(int bytes) {
        byte[] v = new byte[bytes];
        random.nextBytes(v);
        return List.of(Statement.of("INSERT INTO big(v) VALUES (?)", (Object) v));
    }

    /** Runs one write; returns whether it was acknowledged. A write reported as logged counts as part of the state. */
    private boolean write(Database db, List<Statement> w, MutableClock clock) {
        clock.advance(Duration.ofMillis(1 + random.nextInt(2000)));
        operations++;
        try {
            Bookmark b = db.batch(w).get(0).bookmark();
            state.add(w);
            stateAt.put(b, List.copyOf(state));
            return true;
        } catch (DiskFullException e) {
            lastError = e;
            failuresOnFullDisk++;
            clear(e);
            if (e.logged().isPresent()) {
                loggedNotApplied++;
                state.add(w);
                stateAt.put(e.logged().get(), List.copyOf(state));
            }
            return false;
        }
    }

    private void clear(RuntimeException e) {
        String m = e.getMessage();
        assertTrue(m != null && !m.contains("\n"), "not a one-line message: " + m);
        assertTrue(m.contains("full") || m.contains("No space left"), "the message does not say the disk is full: " + m);
        clearErrors++;
    }

    /** Checkpoint, backup, export and restore on the full disk: each succeeds or fails with a clear error. */
    private void fullDiskOperations(Database db, Path dir, Bookmark early, SmallDisk disk, MutableClock clock) throws Exception {
        attempt(db::checkpoint);
        attempt(() -> db.backups().create());
        Path export = disk.root().resolve("export-full.sqlite3");
        if (!attempt(() -> db.exportTo(early, export))) {
            assertFalse(Files.exists(export), "a failed export left " + export);
            assertFalse(Files.exists(export.resolveSibling(export.getFileName() + ".tmp")), "a failed export left its temp file");
        }
        operations++;
        try {
            db.restore(early);
            restored(early);
        } catch (DiskFullException e) {
            failuresOnFullDisk++;
            clear(e);
            if (e.logged().isPresent()) {
                loggedNotApplied++;
                restored(early);
            }
        }
        for (int i = 0; i < 20; i++) {
            write(db, Workload.write(seed, next++), clock);
        }
        // reads keep working on a full disk
        db.query("SELECT count(*) FROM kv");
    }

    private void restored(Bookmark target) {
        state.clear();
        state.addAll(stateAt.get(target));
    }

    /** Runs an operation on the full disk; returns whether it succeeded. Any failure must be a clear DiskFullException. */
    private boolean attempt(Runnable op) {
        operations++;
        try {
            op.run();
            return true;
        } catch (DiskFullException e) {
            failuresOnFullDisk++;
            clear(e);
            return false;
        }
    }

    private void everythingWorks(Database db, Path dir, Bookmark early, SmallDisk disk, MutableClock clock, String when)
            throws Exception {
        for (int i = 0; i < 5; i++) {
            assertTrue(write(db, Workload.write(seed, next++), clock), when + ": a write failed after freeing space: " + lastError);
        }
        assertState(db, dir, when);
        Bookmark head = db.bookmark();
        db.checkpoint();
        db.backups().create();
        Path export = disk.root().resolve("export-" + next + ".sqlite3");
        db.exportTo(head, export);
        comparisons++;
        assertEquals(Oracle.after(state), SqliteFiles.dump(export), when + ": the export differs from the oracle");
        Files.delete(export);
        db.restore(early);
        restored(early);
        assertState(db, dir, when + ", restored to " + early);
        db.restore(head);
        restored(head);
        assertState(db, dir, when + ", restored back to " + head);
        assertTrue(write(db, Workload.write(seed, next++), clock), when + ": a write after the restores failed");
        assertState(db, dir, when + ", after the restores");
        assertVerifyClean(db, when);
    }

    private void assertState(Database db, Path dir, String when) throws Exception {
        comparisons++;
        assertEquals(Oracle.after(state), SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)),
                when + ": the state differs from the oracle of acknowledged writes");
    }

    private static void assertVerifyClean(Database db, String when) {
        VerifyReport report = db.verify();
        if (!report.ok()) {
            fail(when + ": verify found problems: " + report.problems());
        }
    }
}
