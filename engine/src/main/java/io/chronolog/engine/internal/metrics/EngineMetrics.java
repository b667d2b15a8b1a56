package io.chronolog.engine.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The engine's meters, all tagged {@code database=<name>}:
 * <ul>
 *   <li>{@code chronolog.wal.frames.appended}, {@code chronolog.wal.bytes.appended} (counters)
 *   <li>{@code chronolog.wal.append.sync} (timer): from the first append of a group to its sync returning
 *   <li>{@code chronolog.wal.commits.per.sync} (summary): frames made durable by one sync
 *   <li>{@code chronolog.recovery.frames.replayed} (counter): frames replayed at open
 *   <li>{@code chronolog.writes.failed} (counter): writes refused or rolled back
 *   <li>{@code chronolog.checkpoint.duration} (timer), {@code chronolog.checkpoint.bytes} (compressed size),
 *       {@code chronolog.checkpoint.ratio} (compressed / raw)
 *   <li>{@code chronolog.restore.duration} (timer), {@code chronolog.restore.frames.replayed} (summary)
 * </ul>
 * Thread-safe, as Micrometer's meters are.
 */
public final class EngineMetrics {
    public final Counter framesAppended;
    public final Counter bytesAppended;
    public final Timer appendSync;
    public final DistributionSummary commitsPerSync;
    public final Counter framesReplayed;
    public final Counter writesFailed;
    public final Timer checkpointTime;
    public final DistributionSummary checkpointBytes;
    public final DistributionSummary checkpointRatio;
    public final Timer restoreTime;
    public final DistributionSummary restoreFrames;
    public final Timer walCheckpoints;
    public final Counter walCheckpointsSkipped;

    public EngineMetrics(MeterRegistry registry, String database) {
        framesAppended = Counter.builder("chronolog.wal.frames.appended").tag("database", database)
                .description("frames appended to the log").register(registry);
        bytesAppended = Counter.builder("chronolog.wal.bytes.appended").tag("database", database).baseUnit("bytes")
                .description("encoded frame bytes appended to the log").register(registry);
        appendSync = Timer.builder("chronolog.wal.append.sync").tag("database", database)
                .description("first append of a commit group until its frames are durable")
                .publishPercentiles(0.5, 0.99).register(registry);
        commitsPerSync = DistributionSummary.builder("chronolog.wal.commits.per.sync").tag("database", database)
                .description("frames made durable by one sync (group commit)").register(registry);
        framesReplayed = Counter.builder("chronolog.recovery.frames.replayed").tag("database", database)
                .description("frames replayed into the live file at open").register(registry);
        writesFailed = Counter.builder("chronolog.writes.failed").tag("database", database)
                .description("writes refused or rolled back").register(registry);
        checkpointTime = Timer.builder("chronolog.checkpoint.duration").tag("database", database)
                .description("reading, compressing and recording one checkpoint").register(registry);
        checkpointBytes = DistributionSummary.builder("chronolog.checkpoint.bytes").tag("database", database).baseUnit("bytes")
                .description("compressed size of a checkpoint").register(registry);
        checkpointRatio = DistributionSummary.builder("chronolog.checkpoint.ratio").tag("database", database)
                .description("compressed size / raw size of a checkpoint").register(registry);
        restoreTime = Timer.builder("chronolog.restore.duration").tag("database", database)
                .description("one restore, planning to live file replaced").register(registry);
        restoreFrames = DistributionSummary.builder("chronolog.restore.frames.replayed").tag("database", database)
                .description("frames replayed by one restore").register(registry);
        walCheckpoints = Timer.builder("chronolog.live.wal.checkpoint").tag("database", database)
                .description("copying the live file's SQLite WAL back into the file, on a thread of its own").register(registry);
        walCheckpointsSkipped = Counter.builder("chronolog.live.wal.checkpoint.skipped").tag("database", database)
                .description("WAL copies given up (interrupted by a restore, or busy); a later one copies the pages").register(registry);
    }
}
