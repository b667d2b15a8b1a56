package io.chronolog.engine.internal.live;

import io.chronolog.engine.internal.metrics.EngineMetrics;
import io.chronolog.engine.internal.sql.StatementAnalysis;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import io.chronolog.wal.FrameLog;

/**
 * Copies the pages in the live file's SQLite WAL ({@code live.sqlite3-wal}) back into the file,
 * on a thread of its own, so that the writer never waits for it; the only code that checkpoints
 * the live file's WAL while the database is open.
 *
 * <p>SQLite would otherwise do this inside the commit that crosses its threshold (1,000 pages), on
 * the thread committing that group of writes under the writer lock, with two fsyncs. The writer calls {@link #committed()} after every commit;
 * every {@link #COMMITS_PER_CHECKPOINT} commits ({@code SYNC}) the thread runs a {@code PASSIVE}
 * checkpoint on a reader connection, which copies the bulk of the pages while writers go on, and
 * then a second one on the idle write connection under the writer lock, which copies the few pages
 * committed meanwhile: only a checkpoint that reaches the WAL's end lets the next write start the
 * WAL over from its beginning, and a checkpoint running beside a steady writer never reaches it
 * (the WAL then grew without bound, and every commit with it). In {@code ASYNC} the thread runs one
 * every {@link #ASYNC_COMMITS_PER_CHECKPOINT} commits on the write connection under the writer lock
 * (below). Each copies what no reader still needs. The write connection's own automatic
 * checkpoint is off; if this thread falls {@link #FALLBACK_COMMITS} commits behind, the writer runs
 * one itself, under its lock.
 *
 * <p>Invariant (the ordering rule): a checkpoint fsyncs {@code live.sqlite3-wal} and
 * {@code live.sqlite3}, which makes the live file durable, so it only runs once the log is synced
 * through every frame the live file holds. In {@link Durability#SYNC} every commit already follows
 * its log sync; in {@link Durability#ASYNC} the checkpoint runs under the writer lock (no commit in
 * progress) right after {@link FrameLog#sync()}. So after a power cut the live file is never durable
 * ahead of the log. Thread-safe; {@link #committed()} is called under the writer lock only.
 */
public final class WalCheckpointer implements AutoCloseable {
    /** Commits between two checkpoints: at one to three pages a commit, close to SQLite's own 1,000 pages. */
    public static final int COMMITS_PER_CHECKPOINT = 400;
    /**
     * Commits between two checkpoints in {@code ASYNC}, where the writers wait for each (a log sync
     * and the copy, under the writer lock): ten times rarer, so that wait is spread over more writes
     * (measured: a checkpoint every 400 commits cost single-row ASYNC inserts about a fifth of their
     * throughput, bench/RESULTS.md). The WAL then holds up to about 4,000 commits' pages.
     */
    public static final int ASYNC_COMMITS_PER_CHECKPOINT = 10 * COMMITS_PER_CHECKPOINT;
    /** Commits after which the writer checkpoints itself when this thread has not (about 8,000 pages). */
    static final int FALLBACK_COMMITS = 20 * COMMITS_PER_CHECKPOINT;

    /** Runs a checkpoint when the live file may become durable: after the log is synced through every frame it holds. */
    @FunctionalInterface
    public interface Ordering {
        void run(Runnable checkpoint) throws IOException, java.sql.SQLException;
    }

    private final ReaderPool readers;
    private final Ordering ordering;
    /** SYNC: every commit follows its log sync, so the bulk is copied beside the writers first. */
    private final boolean concurrentFirst;
    private final FrameLog log;
    private final java.util.function.Supplier<Connection> writeConnection;
    private volatile long completedAt;
    private final EngineMetrics metrics;
    private final Thread thread;
    private final Object signal = new Object();
    private volatile long commits; // written under the writer lock only
    private boolean wanted;
    private boolean stopped;

    /**
     * @param ordering        runs a checkpoint on the write connection under the writer lock, once the log is synced
     * @param concurrentFirst SYNC mode: each checkpoint first copies the bulk on a reader connection, unordered (every
     *                        commit already follows its log sync), then finishes under {@code ordering}
     * @param log             synced by the writer's own fallback checkpoint before it runs
     * @param writeConnection the write connection, for the fallback and the checkpoints under the lock (called under the writer lock)
     */
    public WalCheckpointer(String name, ReaderPool readers, EngineMetrics metrics, Ordering ordering, boolean concurrentFirst,
            FrameLog log, java.util.function.Supplier<Connection> writeConnection) {
        this.readers = readers;
        this.ordering = ordering;
        this.concurrentFirst = concurrentFirst;
        this.log = log;
        this.writeConnection = writeConnection;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "chronolog-wal-checkpoint-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Counts a commit of the live file; every {@link #COMMITS_PER_CHECKPOINT}th wakes the thread. */
    public void committed() {
        if (++commits - completedAt >= FALLBACK_COMMITS) {
            fallback();
            return;
        }
        if (commits % (concurrentFirst ? COMMITS_PER_CHECKPOINT : ASYNC_COMMITS_PER_CHECKPOINT) == 0) {
            synchronized (signal) {
                wanted = true;
                signal.notifyAll();
            }
        }
    }

    private void run() {
        while (true) {
            synchronized (signal) {
                while (!wanted && !stopped) {
                    try {
                        signal.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopped) {
                    return;
                }
                wanted = false;
            }
            checkpoint();
        }
    }

    /** Under the writer lock: this thread is far behind, so the writer syncs the log and checkpoints on its own connection. */
    private void fallback() {
        long at = commits;
        try {
            log.sync();
            if (run(writeConnection.get(), false)) {
                completedAt = at;
            }
        } catch (IOException | RuntimeException e) {
            metrics.walCheckpointsSkipped.increment(); // the log could not be synced: the live file stays as it is
        }
    }

    private void checkpoint() {
        if (concurrentFirst) {
            Connection c;
            try {
                c = readers.borrow();
            } catch (SQLException | InterruptedException e) {
                return; // closing: the database syncs the log before the last connection checkpoints the WAL
            }
            try {
                run(c, true);
            } finally {
                readers.giveBack(c);
            }
        }
        // under the writer lock after a log sync, on the idle write connection (never waiting for a reader
        // connection while holding the lock, which a restore waiting for readers to give theirs back would deadlock)
        try {
            long[] at = {0};
            boolean[] done = {false};
            ordering.run(() -> {
                at[0] = commits;
                done[0] = run(writeConnection.get(), false);
            });
            if (done[0]) {
                completedAt = Math.max(completedAt, at[0]);
            }
        } catch (IOException | java.sql.SQLException | RuntimeException e) {
            metrics.walCheckpointsSkipped.increment(); // the log could not be synced: the live file stays as it is
        }
    }

    /** One {@code PASSIVE} checkpoint on {@code c} (a reader's, or the idle write connection); false when it failed. */
    private boolean run(Connection c, boolean reader) {
        long started = System.nanoTime();
        try (Statement s = c.createStatement()) {
            if (reader) {
                s.execute("SELECT chronolog_guard(0)"); // the engine's own PRAGMA on a reader, which refuses users' PRAGMAs
            }
            try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rs.next();
                metrics.walCheckpoints.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
                return true;
            } finally {
                if (reader) {
                    s.execute("SELECT chronolog_guard(" + StatementAnalysis.Mode.READ.code + ")");
                }
            }
        } catch (SQLException e) {
            // a restore interrupted it, or SQLite found the WAL busy: the next one copies the pages
            metrics.walCheckpointsSkipped.increment();
            return false;
        }
    }

    /** Stops the thread, waiting for a checkpoint in progress. */
    @Override
    public void close() {
        synchronized (signal) {
            stopped = true;
            signal.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
