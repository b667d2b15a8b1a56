package io.chronolog.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Copies the pages in the live file's SQLite WAL ({@code live.sqlite3-wal}) back into the file,
 * on a thread of its own, so that the writer never waits for it.
 *
 * <p>SQLite would otherwise do this inside the commit that crosses its threshold (1,000 pages), on
 * the writer's thread, with two fsyncs. The writer calls {@link #committed()} after every commit;
 * every {@link #COMMITS_PER_CHECKPOINT} commits the thread runs a {@code PASSIVE} checkpoint on a
 * reader connection: it never blocks writers or readers and copies what no reader still needs.
 * The write connection keeps an automatic checkpoint at {@link #WRITER_FALLBACK_PAGES} pages, so
 * the WAL stays bounded even if this thread falls behind. Durability does not depend on it: the
 * log holds every acknowledged frame, and SQLite's WAL is a valid part of the file either way.
 * Thread-safe; {@link #committed()} is called under the writer lock only.
 */
final class WalCheckpointer implements AutoCloseable {
    /** Commits between two checkpoints: at one to three pages a commit, close to SQLite's own 1,000 pages. */
    static final int COMMITS_PER_CHECKPOINT = 400;
    /** The write connection's own automatic checkpoint, a bound for when this thread falls behind. */
    static final int WRITER_FALLBACK_PAGES = 8_000;

    private final ReaderPool readers;
    private final EngineMetrics metrics;
    private final Thread thread;
    private final Object signal = new Object();
    private long commits;
    private boolean wanted;
    private boolean stopped;

    WalCheckpointer(String name, ReaderPool readers, EngineMetrics metrics) {
        this.readers = readers;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "chronolog-wal-checkpoint-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Counts a commit of the live file; every {@link #COMMITS_PER_CHECKPOINT}th wakes the thread. */
    void committed() {
        if (++commits % COMMITS_PER_CHECKPOINT == 0) {
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

    private void checkpoint() {
        Connection c;
        try {
            c = readers.borrow();
        } catch (SQLException | InterruptedException e) {
            return; // closing: the last connection to close checkpoints the WAL itself
        }
        long started = System.nanoTime();
        try (Statement s = c.createStatement()) {
            s.execute("SELECT chronolog_guard(0)"); // the engine's own PRAGMA on a reader, which refuses users' PRAGMAs
            try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rs.next();
                metrics.walCheckpoints.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            } finally {
                s.execute("SELECT chronolog_guard(" + StatementAnalysis.Mode.READ.code + ")");
            }
        } catch (SQLException e) {
            // a restore interrupted it, or SQLite found the WAL busy: the next one, or the writer's own, copies the pages
            metrics.walCheckpointsSkipped.increment();
        } finally {
            readers.giveBack(c);
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
