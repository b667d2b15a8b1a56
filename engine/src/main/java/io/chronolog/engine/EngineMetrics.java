package io.chronolog.engine;

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
 * </ul>
 * Thread-safe, as Micrometer's meters are.
 */
final class EngineMetrics {
    final Counter framesAppended;
    final Counter bytesAppended;
    final Timer appendSync;
    final DistributionSummary commitsPerSync;
    final Counter framesReplayed;
    final Counter writesFailed;

    EngineMetrics(MeterRegistry registry, String database) {
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
    }
}
