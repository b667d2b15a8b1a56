package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.internal.history.RetentionPolicy;
import io.chronolog.engine.internal.history.RetentionPolicy.Checkpoint;
import io.chronolog.engine.internal.history.RetentionPolicy.FrameRef;
import io.chronolog.engine.internal.history.RetentionPolicy.Kind;
import io.chronolog.engine.internal.history.RetentionPolicy.Outcome;
import io.chronolog.engine.internal.history.RetentionPolicy.PrunePlan;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention policy against the engine as it stands: a database writes for nine days with a
 * three-day window, checkpoints, restores (new epochs), takes backups, has its wall clock stepped
 * back and forward; before each {@code prune()} and each run of the backup schedule the policy
 * plans from what the database shows, and the database deletes exactly that. Refusals of old
 * bookmarks and times carry the policy's texts.
 */
class RetentionPolicyEngineTest {
    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:30:00Z"));

    /** Frames read so far, by position: a position always holds the same frame, and reading one from the log is slow. */
    static final Map<Long, LoggedFrame> FRAMES = new HashMap<>();

    static LoggedFrame frame(Database db, long position) {
        LoggedFrame f = FRAMES.get(position);
        if (f == null) {
            f = db.frame(position);
            FRAMES.put(position, f);
        }
        return f;
    }

    @Test
    void theDatabasePrunesAndExpiresExactlyWhatThePolicyPlans() {
        Options options = Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).durability(Durability.ASYNC)
                .retention(Duration.ofDays(3)).backupEvery(Duration.ofHours(2)).automaticBackupRetention(Duration.ofHours(20))
                .build();
        RetentionPolicy policy = new RetentionPolicy(options.retention(), options.backupEvery(), options.automaticBackupRetention());
        List<Bookmark> bookmarks = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        OptionalLong lastScheduled = OptionalLong.empty();
        int pruning = 0;
        int pruned = 0;
        int backupsTaken = 0;
        int backupsExpired = 0;
        int stepped = 0;
        FRAMES.clear();
        try (Database db = Database.open(tmp.resolve("policy"), options)) {
            db.execute("CREATE TABLE t(hour, v)");
            for (int hour = 0; hour < 9 * 24; hour++) {
                clock.advance(Duration.ofHours(1));
                if (hour == 155) {
                    clock.step(Duration.ofHours(-6));   // a step back: untrusted until it has held for clockSettle, then a backup is due
                }
                if (hour == 179) {
                    clock.step(Duration.ofHours(5));    // a step forward
                }
                bookmarks.add(db.execute("INSERT INTO t VALUES (?, ?)", hour, "x".repeat(200)).bookmark());
                times.add(clock.instant());
                if (hour % 6 == 5) {
                    db.checkpoint();
                }
                if (hour == 20 || hour == 120) {
                    db.backups().create();
                }
                if (hour == 60 || hour == 130 || hour == 200) {
                    db.restore(bookmarks.get(hour - 10));   // a new epoch
                }

                // the backup schedule
                long now = db.now();
                OptionalLong trusted = now == clock.millis() ? OptionalLong.of(now) : OptionalLong.empty();
                List<Checkpoint> before = catalogue(db);
                boolean due = policy.backupDue(now, lastScheduled, before);
                Optional<BackupInfo> taken = db.backups().runSchedule();
                assertEquals(due, taken.isPresent(), "hour " + hour + ": " + policy.backupPlan(now, trusted, lastScheduled, before));
                List<Checkpoint> withTaken = new ArrayList<>(before);   // the catalogue the schedule's deletions see
                if (taken.isPresent()) {
                    lastScheduled = OptionalLong.of(now);
                    backupsTaken++;
                    Set<Long> known = numbers(before);
                    catalogue(db).stream().filter(c -> !known.contains(c.number())).forEach(withTaken::add);
                }
                List<Long> expired = policy.expiredAutomaticBackups(trusted, withTaken);
                Set<Long> gone = numbers(withTaken);
                gone.removeAll(numbers(catalogue(db)));
                assertEquals(new HashSet<>(expired), gone, "hour " + hour + ": automatic backups deleted");
                backupsExpired += expired.size();

                // pruning, twice a day
                if (hour % 12 == 11) {
                    PrunePlan plan = plan(db, policy, trusted);
                    List<Checkpoint> catalogueBefore = catalogue(db);
                    long firstBefore = firstPosition(db);
                    List<Long> days = new ArrayList<>();   // the day (UTC) of each frame, from the first
                    long lastBefore = db.positionOf(db.bookmark());
                    for (long p = firstBefore; p <= lastBefore; p++) {
                        days.add(day(frame(db, p)));
                    }
                    long freed = db.prune();
                    Set<Long> deleted = numbers(catalogueBefore);
                    deleted.removeAll(numbers(catalogue(db)));
                    String where = "hour " + hour + ": " + policy.describe(now, plan);
                    assertEquals(new HashSet<>(plan.deleteCheckpoints()), deleted, where);
                    long firstAfter = firstPosition(db);
                    if (plan.keepLogFrom().isPresent() && plan.keepLogFrom().getAsLong() > firstBefore) {
                        // whole daily cycle files go: the log now starts with the cycle of the frame it is kept from
                        long keep = plan.keepLogFrom().getAsLong();
                        long expected = firstBefore;
                        while (days.get((int) (expected - firstBefore)) < days.get((int) (keep - firstBefore))) {
                            expected++;
                        }
                        assertEquals(expected, firstAfter, where);
                    } else {
                        assertEquals(firstBefore, firstAfter, where);
                    }
                    if (trusted.isEmpty()) {
                        assertEquals(Outcome.CLOCK_STEPPED, plan.outcome(), where);
                        assertEquals(0, freed, where);
                        stepped++;
                    }
                    pruning++;
                    pruned += deleted.size() + (firstAfter > firstBefore ? 1 : 0);
                    checkRefusals(db, policy, bookmarks, times, trusted);
                }
            }
        }
        assertEquals(2, stepped, "prunes while the wall clock was stepped");
        assertTrue(pruned >= 10, "pruning removed something often enough: " + pruned + " removals in " + pruning + " prunes");
        assertTrue(backupsTaken >= 50 && backupsExpired >= 30, "the schedule ran: " + backupsTaken + " taken, " + backupsExpired
                + " expired");
    }

    /** The plan from what the database shows: its catalogue and its log. */
    static PrunePlan plan(Database db, RetentionPolicy policy, OptionalLong trusted) {
        long first = firstPosition(db);
        long last = db.positionOf(db.bookmark());
        List<LoggedFrame> frames = new ArrayList<>();
        for (long p = first; p <= last; p++) {
            frames.add(frame(db, p));
        }
        int[] reads = {0};
        PrunePlan plan = policy.prunePlan(trusted, first, last, t -> {
            long found = 0;
            for (LoggedFrame f : frames) {
                if (f.timestamp() <= t) {
                    found = f.position();
                }
            }
            return found;
        }, p -> {
            reads[0]++;
            LoggedFrame f = frame(db, p);
            return new FrameRef(f.position(), f.epoch(), f.checkpoint(), f.timestamp());
        }, catalogue(db));
        assertTrue(reads[0] <= 1);
        return plan;
    }

    /**
     * Every bookmark and time the run took: a refusal for age carries the policy's text, and the
     * oldest bookmarks the policy keeps are not refused.
     */
    static void checkRefusals(Database db, RetentionPolicy policy, List<Bookmark> bookmarks, List<Instant> times, OptionalLong trusted) {
        Set<Long> plain = new HashSet<>();
        for (CheckpointInfo m : db.checkpoints()) {
            if (!m.kind().isBackup()) {
                plain.add(m.number());
            }
        }
        long first = firstPosition(db);
        long now = db.now();
        int inside = 0;
        for (Bookmark b : bookmarks) {
            Optional<String> expected;
            if (b.checkpoint() != 0 && !plain.contains(b.checkpoint())) {
                expected = policy.refuseCheckpoint(b.toString(), b.checkpoint(), db.bookmark().checkpoint());
                assertTrue(expected.isPresent(), "only older checkpoints are pruned: " + b);
            } else {
                long base = b.checkpoint() == 0 ? 0 : db.checkpoints().stream().filter(m -> m.number() == b.checkpoint())
                        .findFirst().orElseThrow().position();
                long position = base + b.offset();
                if (position < first) {
                    continue; // the log no longer has the frame: a BookmarkException naming the log, not a retention one
                }
                expected = policy.refuseFrame(b.toString(), position, frame(db, position).timestamp(), now);
            }
            if (expected.isPresent()) {
                RetentionException e = assertThrows(RetentionException.class, () -> db.planRestore(b), b.toString());
                assertEquals(expected.get(), e.getMessage());
            } else if (inside++ < 3) {   // the oldest ones inside the window still plan (the others would only cost time)
                db.planRestore(b);
            }
        }
        for (Instant t : times) {
            Optional<String> expected = policy.refuseTime(t, now);
            if (expected.isPresent()) {
                RetentionException e = assertThrows(RetentionException.class, () -> db.bookmarkAt(t), t.toString());
                assertEquals(expected.get(), e.getMessage());
            }
        }
    }

    static long day(LoggedFrame f) {
        return Instant.ofEpochMilli(f.timestamp()).atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
    }

    /** The log's first position: the first frame the database still reads (a pruned one is refused before any read). */
    static long firstPosition(Database db) {
        long p = 1;
        while (true) {
            try {
                frame(db, p).position();
                db.frame(p); // cached or not, the log must still hold it
                return p;
            } catch (IllegalArgumentException pruned) {
                p++;
            }
        }
    }

    static List<Checkpoint> catalogue(Database db) {
        return db.checkpoints().stream().map(m -> new Checkpoint(m.number(), m.epoch(), m.position(), m.createdAt().toEpochMilli(),
                switch (m.kind()) {
                    case CHECKPOINT, RESTORE -> Kind.CHECKPOINT;
                    case MANUAL_BACKUP -> Kind.BACKUP_MANUAL;
                    case AUTOMATIC_BACKUP -> Kind.BACKUP_AUTOMATIC;
                }, m.available())).toList();
    }

    static Set<Long> numbers(List<Checkpoint> catalogue) {
        Set<Long> out = new HashSet<>();
        for (Checkpoint c : catalogue) {
            out.add(c.number());
        }
        return out;
    }
}
