package io.chronolog.engine.internal.schedule;

import io.chronolog.engine.Options;
import io.chronolog.engine.internal.clock.EngineClock;
import io.chronolog.engine.internal.write.Writer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every periodic job of a writing open, on one daemon thread, once a second: a checkpoint when
 * enough frames, bytes or time have passed since the last one ({@link Options#checkpointEveryFrames()},
 * {@link Options#checkpointEveryBytes()}, {@link Options#checkpointEvery()}), the backup schedule,
 * and pruning once an hour of the engine's time. A failed job is logged and tried again at its next
 * turn. Nothing runs when {@link Options#background()} is off; tests then call the jobs themselves.
 */
public final class BackgroundJobs {
    /** The jobs themselves; each may throw, which is logged. */
    public interface Jobs {
        void checkpoint();

        void backupSchedule();

        void prune();
    }

    private static final System.Logger LOG = System.getLogger(BackgroundJobs.class.getName());

    private final String name;
    private final Options options;
    private final EngineClock time;
    private final Writer writer;
    private final ScheduledExecutorService executor;
    private volatile Jobs jobs;
    private volatile long lastCheckpointMillis;
    private volatile long lastPruneMillis;
    private volatile boolean stopped;

    public BackgroundJobs(String name, Options options, EngineClock time, Writer writer) {
        this.name = name;
        this.options = options;
        this.time = time;
        this.writer = writer;
        this.lastCheckpointMillis = time.millis();
        this.executor = options.background() ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chronolog-background-" + name);
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** Starts running {@code jobs} (when background work is on). */
    public void start(Jobs jobs) {
        this.jobs = jobs;
        if (executor != null) {
            executor.scheduleWithFixedDelay(this::runDue, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Told of every checkpoint taken, on request or here: the time-based trigger counts from it. */
    public void checkpointTaken() {
        lastCheckpointMillis = time.millis();
    }

    /** Stops the jobs and waits (up to a minute) for the one running. */
    public void stop() {
        stopped = true;
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void runDue() {
        if (writer.fencedError() != null) {
            return; // another writer took over the archive: this open writes nothing more, checkpoints included
        }
        try {
            boolean due = writer.framesSinceCheckpoint() >= options.checkpointEveryFrames()
                    || writer.bytesSinceCheckpoint() >= options.checkpointEveryBytes()
                    || (writer.framesSinceCheckpoint() > 0
                        && time.millis() - lastCheckpointMillis >= options.checkpointEvery().toMillis());
            if (due && !stopped) {
                jobs.checkpoint();
            }
            if (!stopped) {
                jobs.backupSchedule();
            }
            long now = time.millis();
            if (!stopped && Math.abs(now - lastPruneMillis) >= TimeUnit.HOURS.toMillis(1)) {
                lastPruneMillis = now;
                jobs.prune();
            }
        } catch (RuntimeException e) {
            if (!stopped) {
                LOG.log(System.Logger.Level.WARNING, "database " + name + ": background work failed: " + e.getMessage(), e);
            }
        }
    }
}
