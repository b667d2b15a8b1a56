package io.chronolog.engine.internal.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import java.util.function.LongUnaryOperator;
import java.util.stream.Collectors;

/**
 * Every retention decision, as pure functions of plain values: how far back time travel reaches,
 * whether a moment or a frame is still restorable (and the refusal's text), what pruning removes,
 * and when the automatic backup schedule takes and expires backups. It reads no clock, touches no
 * file and holds no engine object: the caller reads the engine's time, the log and the catalogue,
 * passes what it read, and carries the decision out. Immutable and thread-safe.
 *
 * <p>The rules are the ones {@code Database} and {@code Backups} apply (docs/DESIGN.md, "Retention"):
 * <ul>
 * <li>the window starts {@code retention} before the engine's time; a moment or frame stamped before
 *     it is refused;</li>
 * <li>pruning (only by a trusted time) finds the first frame inside the window, its <em>base</em>
 *     (the latest available plain checkpoint of its epoch at or before it), deletes plain
 *     checkpoints numbered below both the base and the checkpoint that frame names and lying before
 *     the base, and lets the log drop what precedes the base; backups are never pruned;</li>
 * <li>an automatic backup is due when none was taken yet or the engine's time is {@code backupEvery}
 *     away from the last one, either way; automatic backups {@code automaticBackupRetention} old by a
 *     trusted time are deleted, none while the wall clock is stepped.</li>
 * </ul>
 *
 * @param retention                how far back time travel reaches ({@code Options.retention})
 * @param backupEvery              automatic backup period ({@code Options.backupEvery})
 * @param automaticBackupRetention age at which automatic backups go ({@code Options.automaticBackupRetention})
 */
public record RetentionPolicy(Duration retention, Duration backupEvery, Duration automaticBackupRetention) {

    /** The policy {@code options} ask for. */
    public static RetentionPolicy of(io.chronolog.engine.Options options) {
        return new RetentionPolicy(options.retention(), options.backupEvery(), options.automaticBackupRetention());
    }

    /** What a catalogue entry was taken for (the snapshot module's {@code CheckpointMeta.Kind}). */
    public enum Kind {
        /** Taken to bound replay (restore checkpoints too); the only kind pruning deletes. */
        CHECKPOINT,
        /** A backup a user asked for: kept until deleted. */
        BACKUP_MANUAL,
        /** A backup the schedule took: deleted after {@code automaticBackupRetention}. */
        BACKUP_AUTOMATIC
    }

    /**
     * One catalogue entry, as far as retention cares.
     *
     * @param number          checkpoint number (one sequence for checkpoints, restores and backups)
     * @param epoch           the log epoch its image belongs to
     * @param position        the log position its image reflects
     * @param createdAtMillis when it was taken, engine time in epoch milliseconds
     * @param kind            plain checkpoint or backup
     * @param available       its file was present ({@code CheckpointMeta.State.AVAILABLE}); a missing one
     *                        is never a base, but may still be deleted
     */
    public record Checkpoint(long number, int epoch, long position, long createdAtMillis, Kind kind, boolean available) {
        public Checkpoint {
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public String toString() {
            return "checkpoint " + number + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ", epoch " + epoch
                    + " at frame " + position + (available ? "" : ", missing") + ")";
        }
    }

    /** One log frame, as far as retention cares: where it is, its epoch, the checkpoint it names, its time. */
    public record FrameRef(long position, int epoch, long checkpoint, long timestamp) {
    }

    /** Why a prune plan deletes what it deletes, or nothing. */
    public enum Outcome {
        /** The plan deletes the listed checkpoints and the log before {@link PrunePlan#keepLogFrom()}. */
        PRUNE("prune"),
        /** No trusted time: nothing is deleted by age while the wall clock is stepped. */
        CLOCK_STEPPED("nothing to prune: the wall clock is stepped, so nothing is deleted by age until it is trusted again"),
        /** The log has no frame. */
        EMPTY_LOG("nothing to prune: the log is empty"),
        /** The first frame inside the window is already the log's first. */
        NOTHING_BEFORE_WINDOW("nothing to prune: the log holds no frame before the window"),
        /** No available checkpoint of the first frame's epoch at or before it: replay needs the whole log. */
        NO_BASE("nothing to prune: no checkpoint of the first frame's epoch at or before it (replay needs the log as it is)");

        private final String text;

        Outcome(String text) {
            this.text = text;
        }

        /** One line for an operator. */
        public String text() {
            return text;
        }
    }

    /**
     * What pruning removes. Deleting {@link #deleteCheckpoints()} (in that order) and then the log's
     * whole cycle files before {@link #keepLogFrom()} keeps every moment inside the window restorable.
     *
     * @param outcome           why
     * @param windowStartMillis the window's start by the trusted time; empty when the clock is stepped
     * @param firstInWindow     the first frame inside the window (or the last frame when all are older);
     *                          present when the log had frames before it
     * @param base              the checkpoint that frame restores from; present exactly when {@code outcome} is PRUNE
     * @param deleteCheckpoints numbers of the plain checkpoints to delete, ascending
     */
    public record PrunePlan(Outcome outcome, OptionalLong windowStartMillis, Optional<FrameRef> firstInWindow,
                            Optional<Checkpoint> base, List<Long> deleteCheckpoints) {
        public PrunePlan {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(windowStartMillis, "windowStartMillis");
            Objects.requireNonNull(firstInWindow, "firstInWindow");
            Objects.requireNonNull(base, "base");
            deleteCheckpoints = List.copyOf(deleteCheckpoints);
            if ((outcome == Outcome.PRUNE) != base.isPresent() || (outcome != Outcome.PRUNE && !deleteCheckpoints.isEmpty())) {
                throw new IllegalArgumentException("a plan has a base and deletes only when it prunes: " + outcome + " " + base
                        + " " + deleteCheckpoints);
            }
        }

        /** The position the log is pruned before ({@code FrameLog.pruneBefore}); empty when the log is left alone. */
        public OptionalLong keepLogFrom() {
            return base.map(b -> OptionalLong.of(b.position())).orElse(OptionalLong.empty());
        }

        /** The plan in one line, e.g. "keep log from frame 1190 (checkpoint 7 at frame 1190, ...); delete checkpoints 3, 4, 5". */
        public String describe() {
            if (outcome != Outcome.PRUNE) {
                return outcome.text() + firstInWindow.map(f -> " (first frame inside the window: " + f.position() + ", epoch "
                        + f.epoch() + ", " + Instant.ofEpochMilli(f.timestamp()) + ")").orElse("");
            }
            Checkpoint b = base.orElseThrow();
            FrameRef f = firstInWindow.orElseThrow();
            return "keep log from frame " + b.position() + " (checkpoint " + b.number() + " at frame " + b.position()
                    + ", the base of frame " + f.position() + " of epoch " + f.epoch() + ", the first inside the window, "
                    + Instant.ofEpochMilli(f.timestamp()) + "); "
                    + (deleteCheckpoints.isEmpty() ? "delete no checkpoint"
                        : "delete checkpoint" + (deleteCheckpoints.size() == 1 ? " " : "s ")
                            + deleteCheckpoints.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /**
     * What one run of the automatic backup schedule does.
     *
     * @param due           take an automatic backup now
     * @param latest        the time measured from: the last scheduled backup, else the newest automatic one
     * @param clockStepped  no trusted time: no backup is deleted for age
     * @param deleteBackups numbers of the automatic backups to delete, ascending
     */
    public record BackupPlan(boolean due, OptionalLong latest, boolean clockStepped, List<Long> deleteBackups) {
        public BackupPlan {
            Objects.requireNonNull(latest, "latest");
            deleteBackups = List.copyOf(deleteBackups);
        }

        /** The plan in one line. */
        public String describe() {
            String when = latest.isEmpty() ? "no automatic backup yet" : "last automatic backup " + Instant.ofEpochMilli(latest.getAsLong());
            return (due ? "take an automatic backup now" : "no automatic backup due") + " (" + when + "); "
                    + (clockStepped ? "delete none: the wall clock is stepped"
                        : deleteBackups.isEmpty() ? "delete no automatic backup"
                        : "delete automatic backup" + (deleteBackups.size() == 1 ? " " : "s ")
                            + deleteBackups.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /** Validates as {@code Options} does: all three durations positive. */
    public RetentionPolicy {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(backupEvery, "backupEvery");
        Objects.requireNonNull(automaticBackupRetention, "automaticBackupRetention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
        }
        if (backupEvery.isNegative() || backupEvery.isZero() || automaticBackupRetention.isNegative()
                || automaticBackupRetention.isZero()) {
            throw new IllegalArgumentException("backupEvery and automaticBackupRetention must be positive: " + backupEvery
                    + ", " + automaticBackupRetention);
        }
    }

    // ---- the window

    /** The oldest restorable moment when the engine's time is {@code nowMillis}. */
    public long windowStart(long nowMillis) {
        return nowMillis - retention.toMillis();
    }

    /** Whether a moment or a frame stamped {@code millis} is inside the window at {@code nowMillis}. */
    public boolean restorable(long millis, long nowMillis) {
        return millis >= windowStart(nowMillis);
    }

    /**
     * The refusal of {@code Database.bookmarkAt(time)} when {@code time} is before the window; empty
     * when it is inside. The text is the {@code RetentionException}'s message.
     */
    public Optional<String> refuseTime(Instant time, long nowMillis) {
        long start = windowStart(nowMillis);
        if (time.toEpochMilli() >= start) {
            return Optional.empty();
        }
        return Optional.of("time " + time + " is before the retention window of " + retention.toDays()
                + " days: the oldest restorable moment is " + Instant.ofEpochMilli(start));
    }

    /**
     * The refusal of a restore, plan, export or fork to the frame at {@code position} stamped
     * {@code frameTimestamp}, named by {@code bookmark}; empty when it is inside the window. Position
     * 0 (the empty database before frame 1) is always restorable, whatever the timestamp passed.
     */
    public Optional<String> refuseFrame(String bookmark, long position, long frameTimestamp, long nowMillis) {
        if (position == 0) {
            return Optional.empty();
        }
        long start = windowStart(nowMillis);
        if (frameTimestamp >= start) {
            return Optional.empty();
        }
        return Optional.of("bookmark " + bookmark + " is from " + Instant.ofEpochMilli(frameTimestamp)
                + ", before the retention window of " + retention.toDays() + " days (oldest restorable moment "
                + Instant.ofEpochMilli(start) + ")");
    }

    /**
     * The refusal of a bookmark naming {@code checkpoint}, which the catalogue no longer has, when the
     * database is at {@code currentCheckpoint}: a number below it was pruned (a retention refusal);
     * empty otherwise (the bookmark names a checkpoint this database never had).
     */
    public Optional<String> refuseCheckpoint(String bookmark, long checkpoint, long currentCheckpoint) {
        if (checkpoint >= currentCheckpoint) {
            return Optional.empty();
        }
        return Optional.of("bookmark " + bookmark + " names checkpoint " + checkpoint
                + ", which this database no longer keeps: it is older than the retention window of " + retention.toDays()
                + " days");
    }

    // ---- pruning

    /**
     * The checkpoints a restore to {@code position} in {@code epoch} can start from, best first: the
     * available plain checkpoints of that epoch at or before the position, latest first, equal
     * positions by ascending number ({@code Checkpoints.candidates} over the catalogue in number order).
     */
    public static List<Checkpoint> candidates(int epoch, long position, Collection<Checkpoint> catalogue) {
        List<Checkpoint> out = new ArrayList<>();
        for (Checkpoint c : catalogue) {
            if (c.kind() == Kind.CHECKPOINT && c.epoch() == epoch && c.position() <= position && c.available()) {
                out.add(c);
            }
        }
        out.sort(Comparator.comparingLong(Checkpoint::position).reversed().thenComparingLong(Checkpoint::number));
        return out;
    }

    /**
     * What pruning removes now.
     *
     * @param trustedNow    the engine's time for deletions ({@code EngineClock.millisForDeletion()}); empty
     *                      while the wall clock is stepped, and then nothing is removed
     * @param firstPosition the log's first frame
     * @param lastPosition  the log's last frame, 0 when it is empty
     * @param positionAt    the log's {@code positionAt}: the last held frame stamped at or before a time, 0 if
     *                      none; called at most once
     * @param frameAt       the held frame at a position; called at most once, only for a frame after the first
     * @param catalogue     every catalogue entry, any kind and state
     */
    public PrunePlan prunePlan(OptionalLong trustedNow, long firstPosition, long lastPosition, LongUnaryOperator positionAt,
                               LongFunction<FrameRef> frameAt, Collection<Checkpoint> catalogue) {
        if (trustedNow.isEmpty()) {
            return new PrunePlan(Outcome.CLOCK_STEPPED, OptionalLong.empty(), Optional.empty(), Optional.empty(), List.of());
        }
        long start = windowStart(trustedNow.getAsLong());
        if (lastPosition == 0) {
            return new PrunePlan(Outcome.EMPTY_LOG, OptionalLong.of(start), Optional.empty(), Optional.empty(), List.of());
        }
        // the first frame inside the window; the last frame when every frame is older
        long oldest = Math.min(positionAt.applyAsLong(start - 1) + 1, lastPosition);
        if (oldest <= firstPosition) {
            return new PrunePlan(Outcome.NOTHING_BEFORE_WINDOW, OptionalLong.of(start), Optional.empty(), Optional.empty(),
                    List.of());
        }
        FrameRef first = frameAt.apply(oldest);
        List<Checkpoint> candidates = candidates(first.epoch(), oldest, catalogue);
        if (candidates.isEmpty()) {
            // epoch 0 with no checkpoint yet: replay needs the log from frame 1
            return new PrunePlan(Outcome.NO_BASE, OptionalLong.of(start), Optional.of(first), Optional.empty(), List.of());
        }
        Checkpoint base = candidates.get(0);
        long referenced = Math.min(first.checkpoint(), base.number()); // frames in the window still name this checkpoint
        List<Long> delete = new ArrayList<>();
        for (Checkpoint c : catalogue) {
            if (c.kind() == Kind.CHECKPOINT && c.number() < referenced && c.position() < base.position()) {
                delete.add(c.number());
            }
        }
        delete.sort(null);
        return new PrunePlan(Outcome.PRUNE, OptionalLong.of(start), Optional.of(first), Optional.of(base), delete);
    }

    // ---- the automatic backup schedule

    /**
     * Whether the schedule takes an automatic backup at the engine's time {@code nowMillis}: none was
     * taken yet, or the last one is at least {@code backupEvery} away either way (a clock corrected
     * back counts as time passed).
     *
     * @param lastScheduledAt when this process last took one; empty before its first, and then the
     *                        newest automatic backup in the catalogue counts
     */
    public boolean backupDue(long nowMillis, OptionalLong lastScheduledAt, Collection<Checkpoint> catalogue) {
        OptionalLong latest = latestAutomatic(lastScheduledAt, catalogue);
        return latest.isEmpty() || Math.abs(nowMillis - latest.getAsLong()) >= backupEvery.toMillis();
    }

    /**
     * The automatic backups to delete for age, ascending: those at least {@code automaticBackupRetention}
     * older than the trusted time (so never one stamped after it); none while the wall clock is stepped.
     */
    public List<Long> expiredAutomaticBackups(OptionalLong trustedNow, Collection<Checkpoint> catalogue) {
        if (trustedNow.isEmpty()) {
            return List.of();
        }
        List<Long> out = new ArrayList<>();
        for (Checkpoint c : catalogue) {
            if (c.kind() == Kind.BACKUP_AUTOMATIC && trustedNow.getAsLong() - c.createdAtMillis() >= automaticBackupRetention.toMillis()) {
                out.add(c.number());
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * One run of the schedule over {@code catalogue}: {@link #backupDue} and {@link #expiredAutomaticBackups}.
     * A caller that takes the due backup asks {@link #expiredAutomaticBackups} again over the catalogue
     * holding it, as the schedule always has.
     */
    public BackupPlan backupPlan(long nowMillis, OptionalLong trustedNow, OptionalLong lastScheduledAt,
                                 Collection<Checkpoint> catalogue) {
        return new BackupPlan(backupDue(nowMillis, lastScheduledAt, catalogue), latestAutomatic(lastScheduledAt, catalogue),
                trustedNow.isEmpty(), expiredAutomaticBackups(trustedNow, catalogue));
    }

    private static OptionalLong latestAutomatic(OptionalLong lastScheduledAt, Collection<Checkpoint> catalogue) {
        if (lastScheduledAt.isPresent()) {
            return lastScheduledAt;
        }
        return catalogue.stream().filter(c -> c.kind() == Kind.BACKUP_AUTOMATIC).mapToLong(Checkpoint::createdAtMillis).max();
    }

    // ---- printing

    /** The policy and the window at {@code nowMillis} in one line. */
    public String describe(long nowMillis) {
        return "retention " + text(retention) + ": restorable from " + Instant.ofEpochMilli(windowStart(nowMillis))
                + "; automatic backups every " + text(backupEvery) + ", kept " + text(automaticBackupRetention);
    }

    /** The policy, the window at {@code nowMillis} and what pruning would do, in one line. */
    public String describe(long nowMillis, PrunePlan plan) {
        return "retention " + text(retention) + ": restorable from " + Instant.ofEpochMilli(windowStart(nowMillis))
                + "; " + plan.describe() + "; automatic backups every " + text(backupEvery) + ", kept "
                + text(automaticBackupRetention);
    }

    @Override
    public String toString() {
        return "retention " + text(retention) + "; automatic backups every " + text(backupEvery) + ", kept "
                + text(automaticBackupRetention);
    }

    /** "30 days", "1 hour", "90 minutes", "1500 ms"; the ISO form below a millisecond. */
    static String text(Duration d) {
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"day", "hour", "minute", "second"};
        if (d.getNano() % 1_000_000 == 0) {
            long ms = d.toMillis();
            for (int i = 0; i < units.length; i++) {
                if (ms % units[i] == 0) {
                    long n = ms / units[i];
                    return n + " " + names[i] + (n == 1 ? "" : "s");
                }
            }
            return ms + " ms";
        }
        return d.toString();
    }
}
