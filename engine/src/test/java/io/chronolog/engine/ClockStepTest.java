package io.chronolog.engine;

import io.chronolog.engine.internal.live.LiveDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.snapshot.CheckpointMeta;

import io.chronolog.wal.Frame;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wall clock stepped (+40 days, +2 hours, -3 days, +1 year) while the database writes, checkpoints,
 * prunes and runs the automatic-backup schedule, then corrected. The truth is the test's monotonic
 * time ({@link MutableClock#nanoTime()}) from a known start. Nothing inside the retention window or
 * the automatic backups' 24 hours by the true time may be deleted; frames written after the
 * correction carry the true time (within the tolerance); {@code bookmarkAt} answers stay the same;
 * the tables equal a plain SQLite oracle. A step that holds past {@link Options#clockSettle()} is a
 * corrected clock: then retention follows it.
 *
 * <p>Seed: {@code -Dchronolog.clock.seed=S}.
 */
class ClockStepTest {
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final Duration TOLERANCE = Duration.ofMinutes(2);
    private static final Duration SETTLE = Duration.ofHours(1);
    private static final Duration RETENTION = Duration.ofDays(30);
    private static final Duration BACKUP_LIFE = Duration.ofHours(24);

    @TempDir
    Path tmp;

    /** One frame as the test saw it appended: its true time of writing, and the writes making up the state after it. */
    private record Moment(long truth, LoggedFrame frame, int writes) {
    }

    private final List<Moment> timeline = new ArrayList<>();
    private final List<List<Statement>> state = new ArrayList<>();
    private final Map<Instant, Bookmark> answered = new LinkedHashMap<>();
    /** Every automatic backup taken: id to creation time. */
    private final Map<String, Long> automatic = new LinkedHashMap<>();
    private final Set<Long> checkpointsSeen = new HashSet<>();
    private MutableClock clock;
    private int writes;
    private int steps;
    private int prunesWhileStepped;
    private int schedulesWhileStepped;
    private int framesAfterCorrection;
    private int backupsChecked;
    private int framesChecked;

    @Test
    void clockStepsEitherWayDeleteNothingInsideTheWindowAndFrameTimesRecover() throws Exception {
        long seed = Long.getLong("chronolog.clock.seed", System.nanoTime());
        System.out.println("ClockStepTest seed=" + seed + " (rerun with -Dchronolog.clock.seed=" + seed + ")");
        try {
            run(seed);
        } catch (AssertionError | Exception e) {
            throw new AssertionError("ClockStepTest failed with seed " + seed + ": " + e.getMessage(), e);
        }
        ReliabilityReport.write("ClockStepTest", "seed=" + seed + " writes=" + writes + " clock_steps=" + steps
                + " prunes_while_stepped=" + prunesWhileStepped + " schedules_while_stepped=" + schedulesWhileStepped
                + " frames_checked_after_correction=" + framesAfterCorrection + " window_frames_checked=" + framesChecked
                + " young_backups_checked=" + backupsChecked + " stable_lookups_rechecked=" + answered.size()
                + " frames_or_backups_wrongly_deleted=0");
    }

    private Options options() {
        return Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).retention(RETENTION)
                .backupEvery(Duration.ofHours(1)).automaticBackupRetention(BACKUP_LIFE)
                .clockTolerance(TOLERANCE).clockSettle(SETTLE).build();
    }

    private void run(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        clock = new MutableClock(T0);
        Path dir = tmp.resolve("steps");
        try (Database db = Database.open(dir, options())) {
            write(db, List.of(Statement.of(Workload.SCHEMA)));
            // 34 true days of history: a write every few hours, a checkpoint, the schedule and a prune now and then
            while (truth() < T0.plus(Duration.ofDays(34)).toEpochMilli()) {
                clock.advance(Duration.ofMinutes(60 + random.nextInt(300)));
                write(db, Workload.write(seed, writes));
                if (random.nextInt(4) == 0) {
                    checkpoint(db);
                }
                if (random.nextInt(3) == 0) {
                    schedule(db);
                }
                if (random.nextInt(6) == 0) {
                    db.prune();
                }
            }
            checkKept(db, "before any step");
            List<Duration> kinds = new ArrayList<>(List.of(Duration.ofDays(40), Duration.ofHours(2), Duration.ofDays(-3),
                    Duration.ofDays(365)));
            for (int round = 0; round < 2; round++) {
                for (int i = kinds.size() - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    Duration t = kinds.get(i);
                    kinds.set(i, kinds.get(j));
                    kinds.set(j, t);
                }
                for (Duration step : kinds) {
                    stepAndCorrect(db, random, seed, step);
                }
            }
            restoreAndCompare(db, dir, random);
            VerifyReport report = db.verify();
            assertTrue(report.ok(), "verify: " + report.problems());
        }
        try (Database db = Database.open(dir, options())) {
            recheck(db, "after a reopen");
            assertEquals(Oracle.after(state), SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)), "state after a reopen");
        }
    }

    /** Steps the wall clock by {@code step}, works for less than the settle period, corrects it, works on. */
    private void stepAndCorrect(Database db, SplittableRandom random, long seed, Duration step) throws Exception {
        steps++;
        String what = "clock stepped by " + step;
        clock.step(step);
        long left = SETTLE.toMinutes() - 5;
        while (left > 10) {
            long minutes = 1 + random.nextInt(10);
            left -= minutes;
            clock.advance(Duration.ofMinutes(minutes));
            switch (random.nextInt(5)) {
                case 0 -> checkpoint(db);
                case 1 -> {
                    assertEquals(0, db.prune(), what + ": pruned");
                    prunesWhileStepped++;
                }
                case 2 -> {
                    schedule(db);
                    schedulesWhileStepped++;
                }
                case 3 -> lookUp(db, random);
                default -> {
                }
            }
            long at = write(db, Workload.write(seed, writes));
            assertNear(at, what + ", before the correction");
        }
        checkKept(db, what + ", before the correction");
        clock.set(Instant.ofEpochMilli(truth()));
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(1 + random.nextInt(5)));
            long at = write(db, Workload.write(seed, writes));
            assertNear(at, what + ", after the correction");
            framesAfterCorrection++;
        }
        db.prune();   // trusted again: pruning by the true time
        schedule(db);
        checkKept(db, what + ", after the correction");
        recheck(db, what);
        assertEquals(Oracle.after(state), SqliteFiles.dump(db.directory().resolve(LiveDatabase.FILE_NAME)), what + ": tables");
    }

    @Test
    void aStepThatHoldsForTheSettlePeriodIsTrustedAndRetentionFollowsIt() throws Exception {
        long seed = Long.getLong("chronolog.clock.seed", System.nanoTime());
        System.out.println("ClockStepTest seed=" + seed + " (rerun with -Dchronolog.clock.seed=" + seed + ")");
        clock = new MutableClock(T0);
        Duration settle = Duration.ofMinutes(30);
        Options options = options().toBuilder().clockSettle(settle).build();
        try (Database db = Database.open(tmp.resolve("held"), options)) {
            write(db, List.of(Statement.of(Workload.SCHEMA)));
            for (int h = 0; h < 48; h++) {
                clock.advance(Duration.ofHours(1));
                write(db, Workload.write(seed, writes));
                if (h % 12 == 11) {
                    checkpoint(db);
                }
                schedule(db);
            }
            // the wall clock was 40 days slow and gets fixed: the step holds
            Instant before = Instant.ofEpochMilli(truth());
            clock.step(Duration.ofDays(40));
            assertEquals(0, db.prune(), "pruned right after the step");   // the step is seen (the background does every second)
            clock.advance(settle.minusMinutes(1));
            assertEquals(0, db.prune(), "pruned before the step had held for the settle period");
            schedule(db);
            Instant yesterday = before.minus(Duration.ofDays(1));
            assertEquals(db.bookmarkAt(yesterday), db.bookmarkAt(yesterday), "a time inside the true window while the step is unsettled");
            clock.advance(Duration.ofMinutes(2));
            long freed = db.prune();
            assertTrue(freed > 0, "a step that held for " + settle + " did not move retention: freed=" + freed);
            assertThrows(RetentionException.class, () -> db.bookmarkAt(before.minus(Duration.ofDays(1))));
            schedule(db);
            List<BackupInfo> auto = db.backups().list().stream().filter(BackupInfo::automatic).toList();
            assertEquals(1, auto.size(), "automatic backups older than 24 hours by the trusted time: " + auto);
            long at = write(db, Workload.write(seed, writes));
            assertTrue(Math.abs(at - clock.millis()) <= TOLERANCE.toMillis(), "a frame after the trusted step is stamped "
                    + Instant.ofEpochMilli(at) + ", the wall clock reads " + clock.instant());
            assertEquals(Oracle.after(state), SqliteFiles.dump(db.directory().resolve(LiveDatabase.FILE_NAME)), "tables");
        }
    }

    /** The true time: the start plus the monotonic time that passed. */
    private long truth() {
        return T0.toEpochMilli() + clock.nanoTime() / 1_000_000L;
    }

    private void assertNear(long stamped, String when) {
        long truth = truth();
        assertTrue(Math.abs(stamped - truth) <= TOLERANCE.toMillis(), when + ": a frame is stamped " + Instant.ofEpochMilli(stamped)
                + ", the true time is " + Instant.ofEpochMilli(truth));
    }

    /** Writes and returns the frame's timestamp. */
    private long write(Database db, List<Statement> w) {
        writes++;
        Bookmark b = db.batch(w).get(0).bookmark();
        state.add(w);
        return appended(db, b);
    }

    private long appended(Database db, Bookmark b) {
        LoggedFrame f = db.frame(db.positionOf(b));
        if (!timeline.isEmpty()) {
            long last = timeline.get(timeline.size() - 1).frame().timestamp();
            assertTrue(f.timestamp() >= last, "frame " + f.position() + " stamped before the previous frame");
        }
        timeline.add(new Moment(truth(), f, state.size()));
        return f.timestamp();
    }

    private void checkpoint(Database db) {
        db.checkpoint().ifPresent(m -> {
            checkpointsSeen.add(m.number());
            appended(db, db.bookmark());
        });
    }

    private void schedule(Database db) {
        db.backups().runSchedule().ifPresent(b -> automatic.put(b.id(), truth()));
    }

    /** A time inside the true window, answered now and re-checked later. */
    private void lookUp(Database db, SplittableRandom random) {
        long from = Math.max(timeline.get(0).frame().timestamp(), truth() - RETENTION.toMillis() + Duration.ofDays(1).toMillis());
        long to = timeline.get(timeline.size() - 1).frame().timestamp();
        if (to <= from) {
            return;
        }
        Instant t = Instant.ofEpochMilli(from + random.nextLong(to - from));
        answered.put(t, db.bookmarkAt(t));
    }

    private void recheck(Database db, String when) {
        for (Map.Entry<Instant, Bookmark> e : answered.entrySet()) {
            // the frame a time resolves to may be up to a write interval (6 hours) before it
            if (e.getKey().toEpochMilli() >= truth() - RETENTION.toMillis() + Duration.ofHours(12).toMillis()) {
                assertEquals(e.getValue(), db.bookmarkAt(e.getKey()), when + ": bookmarkAt(" + e.getKey() + ") changed");
            }
        }
    }

    /**
     * Every frame written inside the true retention window can be read and restored to (its
     * checkpoint is kept), every checkpoint taken inside it is kept, and every automatic backup
     * younger than 24 true hours is listed.
     */
    private void checkKept(Database db, String when) {
        long windowStart = truth() - RETENTION.toMillis();
        Set<Long> kept = new HashSet<>();
        for (CheckpointInfo m : db.checkpoints()) {
            kept.add(m.number());
        }
        for (Moment m : timeline) {
            if (m.truth() >= windowStart) {
                framesChecked++;
                LoggedFrame f = m.frame();
                assertEquals(f.bookmark(), db.frame(f.position()).bookmark(), when + ": frame " + f.position() + " written at "
                        + Instant.ofEpochMilli(m.truth()) + " (inside the window) was pruned");
                assertTrue(f.checkpoint() == 0 || kept.contains(f.checkpoint()), when + ": checkpoint " + f.checkpoint() + " that frame " + f.position()
                        + " (inside the window) names was pruned");
            }
        }
        Set<String> listed = new HashSet<>();
        for (BackupInfo b : db.backups().list()) {
            listed.add(b.id());
        }
        for (Map.Entry<String, Long> e : automatic.entrySet()) {
            if (truth() - e.getValue() < BACKUP_LIFE.toMillis()) {
                backupsChecked++;
                assertTrue(listed.contains(e.getKey()), when + ": automatic backup " + e.getKey() + " taken at "
                        + Instant.ofEpochMilli(e.getValue()) + " (younger than 24 hours) was deleted");
            }
        }
    }

    /** Restores to an answered time inside the window and compares with the oracle's state then. */
    private void restoreAndCompare(Database db, Path dir, SplittableRandom random) throws Exception {
        List<Instant> times = new ArrayList<>(answered.keySet());
        if (times.isEmpty()) {
            return;
        }
        Instant t = times.get(random.nextInt(times.size()));
        Moment expected = null;
        for (Moment m : timeline) {
            if (m.frame().timestamp() <= t.toEpochMilli()) {
                expected = m;
            }
        }
        RestoreResult r = db.restore(t);
        List<List<Statement>> then = new ArrayList<>(state.subList(0, expected.writes()));
        assertEquals(Oracle.after(then), SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)), "restored to " + t);
        db.restore(r.previousBookmark());
        appended(db, db.bookmark());
        assertEquals(Oracle.after(state), SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)), "after undoing the restore");
    }
}
