package io.chronolog.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings for one open {@link Database}. Immutable; build with {@link #builder()} or start from
 * {@link #defaults()}. All settings take effect at open and may differ between opens; only
 * {@link #archive()} is recorded in the database (so that every later open ships to it).
 *
 * @param durability      what an acknowledged write survives (default {@link Durability#SYNC})
 * @param clock           the wall clock: commit timestamps, the retention window, backup ages (default UTC system clock);
 *                        checked against {@code nanoTime}, and frame timestamps never go back
 * @param meterRegistry   where metrics go (default a private {@link SimpleMeterRegistry})
 * @param maxSqlBytes     longest accepted SQL text, in UTF-8 bytes (default 100,000, as D1)
 * @param maxValueBytes   largest string or blob parameter, in bytes (default 2,000,000, as D1); checked before the statement runs
 * @param maxRowBytes     largest string, blob or row that SQLite builds while running a write or a read, in bytes (default 4,000,000);
 *                        SQLite's {@code SQLITE_LIMIT_LENGTH} on the write and reader connections (so lowering it makes older, larger rows unreadable until it is raised); at least {@code maxValueBytes + 1024}
 * @param maxParameters   most bound parameters in one statement (default 100, as D1)
 * @param maxBatchStatements most statements in one batch (default 10,000)
 * @param readerConnections SQLite connections kept for {@link Database#query} (default 4)
 * @param maxGroupCommit  most writes that share one transaction and one sync (default 256)
 * @param retention       how far back time travel reaches (default 30 days); older history is pruned
 * @param checkpointEveryFrames take a checkpoint after this many frames since the last (default 10,000)
 * @param checkpointEveryBytes  ... or this many bytes of frames (default 64 MiB)
 * @param checkpointEvery  ... or this much time with at least one frame (default 1 hour: every checkpoint is a full image, kept while the retention window needs it)
 * @param backupEvery     take an automatic backup this often (default 1 hour)
 * @param automaticBackupRetention delete automatic backups older than this (default 24 hours); manual ones stay until deleted
 * @param background      run checkpoints and pruning on a background thread (default true); tests turn it
 *                        off and call {@link Database#checkpoint()} and {@link Database#prune()} themselves
 * @param statementTimeout longest a statement may run, writes and reads alike (default 30 s, as D1; 1 ms to 24 h):
 *                        one over it is interrupted and fails with a {@link StatementTimeoutException}, changing
 *                        nothing and logging nothing. A streamed read counts only the time SQLite spends computing
 *                        rows, not the time its consumer takes. Replay (open, restore, verify) is never limited.
 * @param readerWait      longest a read waits for a free reader connection when all {@code readerConnections} are
 *                        busy (default: {@code statementTimeout}; 0 to 24 h); then it fails with a {@link ReadersBusyException}
 * @param maxResultRows   most rows {@link Database#query(String, Object...)} and {@code execute} read into memory
 *                        (default 1,000,000); a larger result fails with a {@link ResultTooLargeException} pointing to
 *                        the streaming {@link Database#query(Statement, RowConsumer)}, which has no such limit
 * @param maxResultBytes  ... or most bytes of values (default 256 MiB): numbers count 8, text its length in
 *                        characters, blobs their length
 * @param nanoTime        a monotonic nanosecond source (default {@link System#nanoTime()}): the engine checks the
 *                        wall clock against the time it measures (tests inject one they move by hand)
 * @param clockTolerance  how far the wall clock may disagree with the last trusted reading plus the monotonic time
 *                        elapsed since before it counts as stepped (default 2 minutes): while stepped, frames are
 *                        stamped with that estimate and nothing is pruned or expired by age
 * @param clockSettle     how long (monotonic time) the same step must hold before the new wall time is trusted
 *                        (default 1 hour): a clock that was wrong and got corrected takes effect after this
 * @param archive         the archive this open ships to (default null: the archive enabled on the database, if any;
 *                        see {@link Archives#enable}); needed by {@link Durability#ARCHIVED}
 */
public record Options(
        Durability durability,
        Clock clock,
        MeterRegistry meterRegistry,
        int maxSqlBytes,
        int maxValueBytes,
        int maxRowBytes,
        int maxParameters,
        int maxBatchStatements,
        int readerConnections,
        int maxGroupCommit,
        Duration retention,
        long checkpointEveryFrames,
        long checkpointEveryBytes,
        Duration checkpointEvery,
        Duration backupEvery,
        Duration automaticBackupRetention,
        boolean background,
        Duration statementTimeout,
        Duration readerWait,
        int maxResultRows,
        long maxResultBytes,
        java.util.function.LongSupplier nanoTime,
        Duration clockTolerance,
        Duration clockSettle,
        ArchiveOptions archive) {

    /** Longest accepted {@link #statementTimeout} and {@link #readerWait}. */
    static final Duration MAX_WAIT = Duration.ofHours(24);

    /** SQLite's own compiled-in ceiling for strings, blobs and rows. */
    public static final int SQLITE_MAX_LENGTH = 1_000_000_000;

    public Options {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(meterRegistry, "meterRegistry");
        positive("maxSqlBytes", maxSqlBytes, SQLITE_MAX_LENGTH);
        positive("maxValueBytes", maxValueBytes, SQLITE_MAX_LENGTH - 1024);
        positive("maxRowBytes", maxRowBytes, SQLITE_MAX_LENGTH);
        if (maxRowBytes < maxValueBytes + 1024) {
            throw new IllegalArgumentException("Options.maxRowBytes (" + maxRowBytes + ") must be at least Options.maxValueBytes + 1024 ("
                    + (maxValueBytes + 1024L) + "): a row holding the largest value must fit");
        }
        positive("maxParameters", maxParameters, 32_766);
        positive("maxBatchStatements", maxBatchStatements, 1_000_000);
        positive("readerConnections", readerConnections, 64);
        positive("maxGroupCommit", maxGroupCommit, 65_536);
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(checkpointEvery, "checkpointEvery");
        if (backupEvery == null || backupEvery.isNegative() || backupEvery.isZero()
                || automaticBackupRetention == null || automaticBackupRetention.isNegative() || automaticBackupRetention.isZero()) {
            throw new IllegalArgumentException("Options.backupEvery and Options.automaticBackupRetention must be positive: "
                    + backupEvery + ", " + automaticBackupRetention);
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("Options.retention must be positive, was " + retention);
        }
        if (checkpointEveryFrames < 1 || checkpointEveryBytes < 1 || checkpointEvery.isNegative() || checkpointEvery.isZero()) {
            throw new IllegalArgumentException("Options.checkpointEvery* must be positive: frames=" + checkpointEveryFrames
                    + " bytes=" + checkpointEveryBytes + " every=" + checkpointEvery);
        }
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        if (statementTimeout.compareTo(Duration.ofMillis(1)) < 0 || statementTimeout.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException("Options.statementTimeout must be between 1 ms and 24 h, was " + statementTimeout);
        }
        Objects.requireNonNull(readerWait, "readerWait");
        if (readerWait.isNegative() || readerWait.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException("Options.readerWait must be between 0 and 24 h, was " + readerWait);
        }
        positive("maxResultRows", maxResultRows, Integer.MAX_VALUE - 8);
        if (maxResultBytes < 1) {
            throw new IllegalArgumentException("Options.maxResultBytes must be at least 1, was " + maxResultBytes);
        }
        Objects.requireNonNull(nanoTime, "nanoTime");
        if (clockTolerance == null || clockTolerance.compareTo(Duration.ofSeconds(1)) < 0
                || clockSettle == null || clockSettle.compareTo(clockTolerance) < 0) {
            throw new IllegalArgumentException("Options.clockTolerance must be at least 1 s and Options.clockSettle at least"
                    + " the tolerance: " + clockTolerance + ", " + clockSettle);
        }
    }

    private static void positive(String name, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException("Options." + name + " must be between 1 and " + max + ", was " + value);
        }
    }

    public static Options defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.durability = durability;
        b.clock = clock;
        b.meterRegistry = meterRegistry;
        b.maxSqlBytes = maxSqlBytes;
        b.maxValueBytes = maxValueBytes;
        b.maxRowBytes = maxRowBytes;
        b.maxParameters = maxParameters;
        b.maxBatchStatements = maxBatchStatements;
        b.readerConnections = readerConnections;
        b.maxGroupCommit = maxGroupCommit;
        b.retention = retention;
        b.checkpointEveryFrames = checkpointEveryFrames;
        b.checkpointEveryBytes = checkpointEveryBytes;
        b.checkpointEvery = checkpointEvery;
        b.backupEvery = backupEvery;
        b.automaticBackupRetention = automaticBackupRetention;
        b.background = background;
        b.statementTimeout = statementTimeout;
        b.readerWait = readerWait;
        b.maxResultRows = maxResultRows;
        b.maxResultBytes = maxResultBytes;
        b.nanoTime = nanoTime;
        b.clockTolerance = clockTolerance;
        b.clockSettle = clockSettle;
        b.archive = archive;
        return b;
    }

    /** Mutable builder for {@link Options}; not thread-safe. */
    public static final class Builder {
        private Durability durability = Durability.SYNC;
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meterRegistry;
        private int maxSqlBytes = 100_000;
        private int maxValueBytes = 2_000_000;
        private int maxRowBytes = 4_000_000;
        private int maxParameters = 100;
        private int maxBatchStatements = 10_000;
        private int readerConnections = 4;
        private int maxGroupCommit = 256;
        private Duration retention = Duration.ofDays(30);
        private long checkpointEveryFrames = 10_000;
        private long checkpointEveryBytes = 64L << 20;
        private Duration checkpointEvery = Duration.ofHours(1);
        private Duration backupEvery = Duration.ofHours(1);
        private Duration automaticBackupRetention = Duration.ofHours(24);
        private boolean background = true;
        private Duration statementTimeout = Duration.ofSeconds(30);
        /** Null: the statement timeout. */
        private Duration readerWait;
        private int maxResultRows = 1_000_000;
        private long maxResultBytes = 256L << 20;
        private java.util.function.LongSupplier nanoTime = System::nanoTime;
        private Duration clockTolerance = Duration.ofMinutes(2);
        private Duration clockSettle = Duration.ofHours(1);
        private ArchiveOptions archive;

        private Builder() {
        }

        public Builder durability(Durability v) { durability = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder meterRegistry(MeterRegistry v) { meterRegistry = v; return this; }
        public Builder maxSqlBytes(int v) { maxSqlBytes = v; return this; }
        public Builder maxValueBytes(int v) { maxValueBytes = v; return this; }
        public Builder maxRowBytes(int v) { maxRowBytes = v; return this; }
        public Builder maxParameters(int v) { maxParameters = v; return this; }
        public Builder maxBatchStatements(int v) { maxBatchStatements = v; return this; }
        public Builder readerConnections(int v) { readerConnections = v; return this; }
        public Builder maxGroupCommit(int v) { maxGroupCommit = v; return this; }
        public Builder retention(Duration v) { retention = v; return this; }
        public Builder checkpointEveryFrames(long v) { checkpointEveryFrames = v; return this; }
        public Builder checkpointEveryBytes(long v) { checkpointEveryBytes = v; return this; }
        public Builder checkpointEvery(Duration v) { checkpointEvery = v; return this; }
        public Builder backupEvery(Duration v) { backupEvery = v; return this; }
        public Builder automaticBackupRetention(Duration v) { automaticBackupRetention = v; return this; }
        public Builder background(boolean v) { background = v; return this; }
        public Builder statementTimeout(Duration v) { statementTimeout = v; return this; }
        /** How long a read waits for a reader connection; unset, it follows {@link #statementTimeout}. */
        public Builder readerWait(Duration v) { readerWait = v; return this; }
        public Builder maxResultRows(int v) { maxResultRows = v; return this; }
        public Builder maxResultBytes(long v) { maxResultBytes = v; return this; }
        public Builder nanoTime(java.util.function.LongSupplier v) { nanoTime = v; return this; }
        public Builder clockTolerance(Duration v) { clockTolerance = v; return this; }
        public Builder clockSettle(Duration v) { clockSettle = v; return this; }
        public Builder archive(ArchiveOptions v) { archive = v; return this; }

        public Options build() {
            return new Options(durability, clock, meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry,
                    maxSqlBytes, maxValueBytes, maxRowBytes, maxParameters, maxBatchStatements, readerConnections, maxGroupCommit,
                    retention, checkpointEveryFrames, checkpointEveryBytes, checkpointEvery, backupEvery, automaticBackupRetention,
                    background, statementTimeout, readerWait == null ? statementTimeout : readerWait, maxResultRows, maxResultBytes,
                    nanoTime, clockTolerance, clockSettle, archive);
        }
    }
}
