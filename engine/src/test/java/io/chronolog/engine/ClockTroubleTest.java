package io.chronolog.engine;

import io.chronolog.engine.internal.live.LiveDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.wal.Frame;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wall clock that jumps backwards and forwards (seconds to days, repeatedly, and to before the
 * first frame) while a database writes, restores and checkpoints. The oracle is the timeline of
 * frames the test saw appended (timestamp, bookmark, and the writes making up the state after it):
 * frame timestamps never decrease, {@code bookmarkAt(t)} names the last frame of that timeline
 * at or before {@code t} and keeps naming it after later writes and jumps (and after a reopen),
 * and restoring to a time gives a plain SQLite database's state after the same writes. Retention
 * and automatic backups follow the time that passes, and a stepped clock deletes nothing
 * ({@link ClockStepTest} steps it both ways around pruning and the backup schedule).
 *
 * <p>Seed: {@code -Dchronolog.clock.seed=S}; {@code -Dchronolog.soak=true} runs ten times longer.
 */
class ClockTroubleTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path tmp;

    /** One frame as the test saw it appended. */
    private record Moment(long timestamp, Bookmark bookmark, List<List<Statement>> state) {
    }

    private final List<Moment> timeline = new ArrayList<>();
    private final List<List<Statement>> state = new ArrayList<>();
    private final Map<Instant, Bookmark> answered = new LinkedHashMap<>();
    private int jumps;
    private int writes;
    private int lookups;
    private int restores;
    private int refusals;

    @Test
    void timestampsStayOrderedAndTimeLookupsStayStableWhileTheClockJumps() throws Exception {
        long seed = Long.getLong("chronolog.clock.seed", System.nanoTime());
        System.out.println("ClockTroubleTest seed=" + seed + " (rerun with -Dchronolog.clock.seed=" + seed + ")");
        try {
            run(seed, ReliabilityReport.soak() ? 2000 : 300);
        } catch (AssertionError | Exception e) {
            throw new AssertionError("ClockTroubleTest failed with seed " + seed + ": " + e.getMessage(), e);
        }
        ReliabilityReport.write("ClockTroubleTest", "seed=" + seed + " writes=" + writes + " clock_jumps=" + jumps
                + " time_lookups=" + lookups + " stable_lookups_rechecked=" + answered.size()
                + " refused_times=" + refusals + " restores_compared_with_oracle=" + restores
                + " acknowledged_writes_lost=0");
    }

    @Test
    void aTimeAlreadyLookedUpKeepsItsBookmarkWhenTheClockStepsBackBeforeIt() throws Exception {
        MutableClock clock = new MutableClock(T0);
        try (Database db = Database.open(tmp.resolve("back"), Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).build())) {
            Bookmark first = db.execute(Workload.SCHEMA).bookmark();
            clock.advance(Duration.ofHours(1));
            Instant t = T0.plus(Duration.ofMinutes(30));
            assertEquals(first, db.bookmarkAt(t));
            clock.set(T0.plus(Duration.ofMinutes(10))); // back, but still after the first frame
            Bookmark second = db.execute("INSERT INTO kv(k) VALUES ('x')").bookmark();
            assertEquals(first, db.bookmarkAt(t), "a frame written after bookmarkAt(t) answered landed at or before t");
            assertTrue(db.frame(db.positionOf(second)).timestamp() > t.toEpochMilli());
            // the same holds for a time equal to the newest frame's, looked up with the clock behind it
            Instant atSecond = Instant.ofEpochMilli(db.frame(db.positionOf(second)).timestamp());
            assertEquals(second, db.bookmarkAt(atSecond));
            db.execute("INSERT INTO kv(k) VALUES ('y')");
            assertEquals(second, db.bookmarkAt(atSecond));
        }
    }

    @Test
    void retentionFollowsTheClockWithoutLosingRecentDataOnABackwardsJump() throws Exception {
        MutableClock clock = new MutableClock(T0);
        Path dir = tmp.resolve("retention");
        Options options = Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).retention(Duration.ofDays(2)).build();
        try (Database db = Database.open(dir, options)) {
            write(db, List.of(Statement.of(Workload.SCHEMA)));
            for (int h = 1; h <= 120; h++) { // five days, a write an hour, a checkpoint every 12 hours
                clock.advance(Duration.ofHours(1));
                write(db, Workload.write(7, h));
                if (h % 12 == 0) {
                    checkpoint(db);
                }
            }
            Instant end = clock.instant();

            // the clock stepped three days back: pruning removes nothing while it disagrees with the time elapsed
            clock.set(end.minus(Duration.ofDays(3)));
            assertEquals(0, db.prune(), "a clock stepped back pruned");
            clock.set(end);
            for (int h = 0; h <= 48; h++) {
                Instant t = end.minus(Duration.ofHours(h));
                assertEquals(at(t).bookmark(), db.bookmarkAt(t), "bookmarkAt(" + t + ") after pruning with the clock 3 days back");
            }
            Instant yesterday = end.minus(Duration.ofDays(1));
            db.restore(yesterday);
            restores++;
            state.clear();
            state.addAll(at(yesterday).state());
            appended(db, db.bookmark());
            assertEquals(Oracle.after(state), SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)), "restored to " + yesterday);

            // ten days pass: everything written is out of the window and pruned down to the last checkpoint
            clock.advance(Duration.ofDays(10));
            long logBefore = db.logBytes();
            long freed = db.prune();
            assertTrue(freed > 0 && db.logBytes() < logBefore, "a forward jump of days pruned nothing: freed=" + freed);
            refusals++;
            assertThrows(RetentionException.class, () -> db.bookmarkAt(end.minus(Duration.ofDays(1))));
            write(db, Workload.write(7, 1000));

            // the clock steps back ten days: the pruned past is refused with a clear error, the rest still resolves
            clock.set(end);
            Instant pruned = end.minus(Duration.ofDays(1));
            refusals++;
            BookmarkException e = assertThrows(BookmarkException.class, () -> db.bookmarkAt(pruned));
            assertTrue(e.getMessage().contains("retention") || e.getMessage().contains("pruned"), e.getMessage());
            Bookmark head = db.bookmark();
            Instant headTime = Instant.ofEpochMilli(db.frame(db.positionOf(head)).timestamp());
            assertEquals(head, db.bookmarkAt(headTime));
            VerifyReport report = db.verify();
            assertTrue(report.ok(), "verify: " + report.problems());
        }
        try (Database db = Database.open(dir, options)) {
            assertEquals(Oracle.after(state), SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)), "after a reopen");
        }
    }

    @Test
    void automaticBackupsKeepTheirScheduleWhenTheClockJumps() {
        MutableClock clock = new MutableClock(T0);
        Options options = Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).backupEvery(Duration.ofHours(1))
                .automaticBackupRetention(Duration.ofHours(24)).build();
        try (Database db = Database.open(tmp.resolve("backups"), options)) {
            db.execute(Workload.SCHEMA);
            String first = db.backups().runSchedule().orElseThrow().id();
            clock.advance(Duration.ofMinutes(30));
            assertTrue(db.backups().runSchedule().isEmpty(), "a second backup within the hour");

            clock.set(T0.minus(Duration.ofDays(2)));   // stepped back two days, then an hour passes
            clock.advance(Duration.ofHours(1));
            String second = db.backups().runSchedule().map(BackupInfo::id)
                    .orElseThrow(() -> new AssertionError("a clock two days back stopped the automatic backups"));
            assertTrue(db.backups().runSchedule().isEmpty(), "a second backup right after the one taken");
            List<String> ids = db.backups().list().stream().map(BackupInfo::id).toList();
            assertTrue(ids.contains(first) && ids.contains(second), "a backwards jump deleted a backup: " + ids);

            clock.set(T0.plus(Duration.ofMinutes(90)));   // corrected, then three days pass
            clock.advance(Duration.ofDays(3));
            String third = db.backups().runSchedule().orElseThrow().id();
            assertEquals(List.of(third), db.backups().list().stream().filter(BackupInfo::automatic).map(BackupInfo::id).toList(),
                    "after three days forward only the new automatic backup is inside its 24 hours");
        }
    }

    private void run(long seed, int steps) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        MutableClock clock = new MutableClock(T0);
        Path dir = tmp.resolve("clock");
        Options options = Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).build();
        try (Database db = Database.open(dir, options)) {
            write(db, List.of(Statement.of(Workload.SCHEMA)));
            long n = 0;
            for (int step = 0; step < steps; step++) {
                int action = random.nextInt(100);
                if (action < 50) {
                    write(db, Workload.write(seed, n++));
                } else if (action < 70) {
                    jump(clock, random);
                } else if (action < 85) {
                    lookUp(db, random);
                } else if (action < 90) {
                    recheck(db, "after step " + step);
                } else if (action < 95) {
                    checkpoint(db);
                } else {
                    restore(db, dir, random);
                }
            }
            recheck(db, "at the end");
            VerifyReport report = db.verify();
            assertTrue(report.ok(), "verify: " + report.problems());
        }
        try (Database db = Database.open(dir, options)) {
            recheck(db, "after a reopen");
            assertEquals(Oracle.after(state), SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)), "state after a reopen");
        }
    }

    /** Seconds, minutes, hours or days, either way; now and then to before the first frame. */
    private void jump(MutableClock clock, SplittableRandom random) {
        jumps++;
        if (random.nextInt(8) == 0) {
            clock.set(T0.minus(Duration.ofHours(1 + random.nextInt(72))));
            return;
        }
        int kind = random.nextInt(4);
        Duration d = switch (kind) {
            case 0 -> Duration.ofSeconds(1 + random.nextInt(59));
            case 1 -> Duration.ofMinutes(1 + random.nextInt(59));
            case 2 -> Duration.ofHours(1 + random.nextInt(23));
            default -> Duration.ofDays(1 + random.nextInt(3));
        };
        if (kind < 2 && random.nextBoolean()) { // time passes (seconds or minutes); the rest are steps of the wall clock
            clock.advance(d);
            return;
        }
        Instant to = random.nextBoolean() ? clock.instant().plus(d) : clock.instant().minus(d);
        // stay well inside the 30-day retention window: this test is about order and stability
        if (to.isAfter(T0.plus(Duration.ofDays(12)))) {
            to = T0.plus(Duration.ofDays(12));
        }
        clock.set(to);
    }

    private void write(Database db, List<Statement> w) {
        writes++;
        Bookmark b = db.batch(w).get(0).bookmark();
        state.add(w);
        appended(db, b);
    }

    /** Records the frame {@code b} names as the newest moment, checking its timestamp did not go back. */
    private void appended(Database db, Bookmark b) {
        LoggedFrame f = db.frame(db.positionOf(b));
        long last = timeline.isEmpty() ? Long.MIN_VALUE : timeline.get(timeline.size() - 1).timestamp();
        assertTrue(f.timestamp() >= last, "frame " + f.position() + " has timestamp " + Instant.ofEpochMilli(f.timestamp())
                + ", before the previous frame's " + Instant.ofEpochMilli(last));
        timeline.add(new Moment(f.timestamp(), b, List.copyOf(state)));
    }

    /** The last moment at or before {@code t}; null if none. */
    private Moment at(Instant t) {
        Moment found = null;
        for (Moment m : timeline) {
            if (m.timestamp() <= t.toEpochMilli()) {
                found = m;
            }
        }
        return found;
    }

    private void lookUp(Database db, SplittableRandom random) {
        lookups++;
        long first = timeline.get(0).timestamp();
        long latest = Math.max(db.now(), timeline.get(timeline.size() - 1).timestamp());
        long from = first - Duration.ofHours(2).toMillis();
        Instant t = Instant.ofEpochMilli(from + random.nextLong(latest - from + 1));
        Moment expected = at(t);
        if (expected == null) {
            refusals++;
            BookmarkException e = assertThrows(BookmarkException.class, () -> db.bookmarkAt(t), "a time before the first frame");
            assertTrue(e.getMessage().contains("before the history"), e.getMessage());
            return;
        }
        Bookmark b = db.bookmarkAt(t);
        assertEquals(expected.bookmark(), b, "bookmarkAt(" + t + ")");
        answered.put(t, b);
    }

    private void recheck(Database db, String when) {
        for (Map.Entry<Instant, Bookmark> e : answered.entrySet()) {
            assertEquals(e.getValue(), db.bookmarkAt(e.getKey()), when + ": bookmarkAt(" + e.getKey() + ") changed");
        }
    }

    private void checkpoint(Database db) {
        if (db.checkpoint().isPresent()) {
            appended(db, db.bookmark());
        }
    }

    private void restore(Database db, Path dir, SplittableRandom random) throws Exception {
        if (answered.isEmpty()) {
            return;
        }
        List<Instant> times = new ArrayList<>(answered.keySet());
        Instant t = times.get(random.nextInt(times.size()));
        Moment expected = at(t);
        RestoreResult r = db.restore(t);
        restores++;
        state.clear();
        state.addAll(expected.state());
        appended(db, r.bookmark());
        assertEquals(Oracle.after(state), SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)), "state after restoring to " + t);
    }
}
