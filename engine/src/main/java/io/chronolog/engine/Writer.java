package io.chronolog.engine;

import io.chronolog.wal.Bookmark;
import io.chronolog.wal.Effect;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameKind;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.LogFullException;
import io.chronolog.wal.LoggedStatement;
import io.chronolog.wal.MonotonicClock;
import io.chronolog.wal.StatementBatch;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The single writer thread: the only code that appends to the log and writes the live file.
 *
 * <p>It takes every write waiting in its queue (up to {@link Options#maxGroupCommit()}) as one
 * group, in one SQLite transaction: each write runs in a savepoint and, if it succeeded and changed
 * something, becomes one frame appended to the log. Then the group's last position and hash go into
 * the meta table, the log is synced once ({@link Durability#SYNC}), SQLite commits, and only then
 * are the group's callers acknowledged. So the live file is never ahead of the durable log, and a
 * crash after the append but before the commit is repaired at open by replay.
 *
 * <p>A failure that leaves the log and the live file in doubt (a failed sync or commit, a log
 * error other than a full disk) stops the writer: queued and later writes fail with a
 * {@link DatabaseClosedException} naming the cause, and reopening the database recovers.
 */
final class Writer implements Runnable {

    /** One caller's write: its statements, checked, and where to deliver the outcome. */
    record Request(List<Statement> statements, List<StatementGuard.Shape> shapes, CompletableFuture<List<Result>> done) {
    }

    private static final Request STOP = new Request(List.of(), List.of(), new CompletableFuture<>());

    private final String name;
    private final LiveDatabase live;
    private final FrameLog log;
    private final MonotonicClock clock;
    private final Options options;
    private final EngineMetrics metrics;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile Bookmark latest;
    private volatile Throwable failure;
    private volatile boolean stopping;
    private int epoch;

    Writer(String name, LiveDatabase live, FrameLog log, MonotonicClock clock, Options options, EngineMetrics metrics,
            int epoch, Bookmark latest) {
        this.name = name;
        this.live = live;
        this.log = log;
        this.clock = clock;
        this.options = options;
        this.metrics = metrics;
        this.epoch = epoch;
        this.latest = latest;
        this.thread = new Thread(this, "chronolog-writer-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Bookmark latest() {
        return latest;
    }

    CompletableFuture<List<Result>> submit(List<Statement> statements, List<StatementGuard.Shape> shapes) {
        Request r = new Request(statements, shapes, new CompletableFuture<>());
        checkOpen();
        queue.add(r);
        if (stopping || failure != null) {
            // raced with close() or a failure: make sure nobody waits forever
            drainWith(closedError());
        }
        return r.done();
    }

    private void checkOpen() {
        if (failure != null || stopping) {
            throw closedError();
        }
    }

    private DatabaseClosedException closedError() {
        Throwable f = failure;
        return f == null
                ? new DatabaseClosedException("database " + name + " is closed", null)
                : new DatabaseClosedException("database " + name + " stopped writing after a failure: " + f.getMessage()
                        + "; reopen it to recover", f);
    }

    /** Stops after the writes already queued; waits for the thread to end. */
    void stop() throws InterruptedException {
        stopping = true;
        queue.add(STOP);
        thread.join();
    }

    @Override
    public void run() {
        List<Request> group = new ArrayList<>();
        try {
            while (true) {
                Request first = queue.take();
                if (first == STOP) {
                    break;
                }
                group.clear();
                group.add(first);
                queue.drainTo(group, options.maxGroupCommit() - 1);
                boolean stop = group.remove(STOP);
                if (failure == null) {
                    runGroup(group);
                } else {
                    for (Request r : group) {
                        r.done().completeExceptionally(closedError());
                    }
                }
                if (stop) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            drainWith(closedError());
        }
    }

    private void drainWith(RuntimeException error) {
        List<Request> left = new ArrayList<>();
        queue.drainTo(left);
        for (Request r : left) {
            r.done().completeExceptionally(error);
        }
    }

    private record Done(Request request, List<StatementRunner.Outcome> outcomes, Frame frame) {
    }

    private void runGroup(List<Request> group) {
        List<Done> done = new ArrayList<>(group.size());
        Frame last = null;
        long started = 0;
        try {
            live.begin();
            boolean isolate = group.size() > 1;
            for (Request r : group) {
                Frame f = runOne(r, done, last == null ? log.lastPosition() + 1 : last.position() + 1, isolate);
                if (f != null) {
                    if (last == null) {
                        started = System.nanoTime();
                    }
                    last = f;
                }
            }
            if (last != null) {
                live.writeApplied(last.position(), last.hash());
                if (options.durability() == Durability.SYNC) {
                    log.sync();
                }
            }
            live.commit();
        } catch (IOException | SQLException | RuntimeException | Error e) {
            live.rollbackQuietly(e);
            failure = e;
            metrics.writesFailed.increment(done.size());
            String message = last == null
                    ? "database " + name + ": write failed: " + e.getMessage()
                    : "database " + name + ": frames up to position " + last.position()
                    + " were logged but could not be made durable and applied (" + e.getMessage()
                    + "); whether they survive is known after the database is reopened";
            for (Done d : done) {
                d.request().done().completeExceptionally(new ChronologException(message, e));
            }
            return;
        }
        if (last != null) {
            metrics.appendSync.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            metrics.commitsPerSync.record(done.stream().filter(d -> d.frame() != null).count());
            latest = last.bookmark();
        }
        Bookmark current = latest;
        for (Done d : done) {
            Bookmark b = d.frame() == null ? current : d.frame().bookmark();
            List<Result> results = new ArrayList<>(d.outcomes().size());
            for (StatementRunner.Outcome o : d.outcomes()) {
                results.add(new Result(o.rows(), o.changes(), o.lastRowId(), b));
            }
            d.request().done().complete(results);
        }
    }

    /**
     * Runs one request and appends its frame. Returns the frame, or null when the request failed
     * (its caller is told at once) or wrote nothing (acknowledged with the group). With
     * {@code isolate} the request runs in a savepoint so that undoing it spares the rest of the
     * group; a group of one undoes by rolling the transaction back.
     */
    private Frame runOne(Request r, List<Done> done, long position, boolean isolate) throws IOException, SQLException {
        long timestamp = clock.millis();
        long seed = ThreadLocalRandom.current().nextLong();
        if (isolate) {
            live.savepoint();
        }
        List<StatementRunner.Outcome> outcomes;
        long changesBefore = live.totalChanges();
        try {
            outcomes = live.apply(position, seed, timestamp, r.statements());
        } catch (LiveDatabase.FrameStatementException e) {
            undo(isolate);
            Statement st = r.statements().get(e.index());
            String where = r.statements().size() > 1 ? "statement " + (e.index() + 1) + " of the batch failed, nothing was applied: " : "";
            metrics.writesFailed.increment();
            r.done().completeExceptionally(new SqlException(where + e.getMessage().replaceFirst("^\\[SQLITE_[A-Z_]+\\]\\s*", "")
                    + " (sql: " + StatementRunner.abbreviate(st.sql()) + ")", st, e.getCause()));
            return null;
        }
        if (!writes(r, live.totalChanges() - changesBefore)) {
            undo(isolate);
            done.add(new Done(r, outcomes, null));
            return null;
        }
        List<LoggedStatement> logged = new ArrayList<>(r.statements().size());
        List<Effect> effects = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            Statement st = r.statements().get(i);
            logged.add(new LoggedStatement(st.sql(), st.params()));
            effects.add(new Effect(outcomes.get(i).changes(), outcomes.get(i).lastRowId()));
        }
        byte[] payload = new StatementBatch(seed, logged, effects).encode();
        Frame frame;
        try {
            frame = log.append(epoch, 0, position, timestamp, FrameKind.STATEMENTS, payload);
        } catch (LogFullException e) {
            undo(isolate);
            metrics.writesFailed.increment();
            r.done().completeExceptionally(new DiskFullException("database " + name + ": " + e.getMessage()
                    + "; the write was not applied, free space and retry", e));
            return null;
        } catch (IllegalArgumentException e) {
            undo(isolate);
            metrics.writesFailed.increment();
            r.done().completeExceptionally(new RefusedStatementException("write refused: " + e.getMessage(), r.statements().get(0)));
            return null;
        }
        if (isolate) {
            live.release();
        }
        metrics.framesAppended.increment();
        metrics.bytesAppended.increment(payload.length);
        done.add(new Done(r, outcomes, frame));
        return frame;
    }

    private void undo(boolean isolate) throws SQLException {
        if (isolate) {
            live.rollbackToSavepoint();
        } else {
            live.rollbackAndBegin();
        }
    }

    /** A request is logged unless every statement is a plain read; a WITH statement reads only if it changed no row. */
    private static boolean writes(Request r, long changes) {
        for (StatementGuard.Shape s : r.shapes()) {
            if (s == StatementGuard.Shape.WRITE || (s == StatementGuard.Shape.MAYBE_READ && changes > 0)) {
                return true;
            }
        }
        return false;
    }
}
