package io.chronolog.engine.internal.write;

import io.chronolog.engine.Bookmark;
import io.chronolog.engine.ChronologException;
import io.chronolog.engine.CorruptionException;
import io.chronolog.engine.DatabaseClosedException;
import io.chronolog.engine.DiskFullException;
import io.chronolog.engine.Durability;
import io.chronolog.engine.Options;
import io.chronolog.engine.RefusedStatementException;
import io.chronolog.engine.Result;
import io.chronolog.engine.SqlException;
import io.chronolog.engine.Statement;
import io.chronolog.engine.StatementTimeoutException;
import io.chronolog.engine.internal.live.LiveDatabase;
import io.chronolog.engine.internal.log.Effect;
import io.chronolog.engine.internal.log.Frames;
import io.chronolog.engine.internal.log.StatementBatch;
import io.chronolog.engine.internal.metrics.EngineMetrics;
import io.chronolog.engine.internal.sql.StatementRunner;

import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameKind;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.LogFullException;
import io.chronolog.wal.MonotonicClock;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write path: the only code that appends to the log and writes the live file, run by one
 * thread at a time under the writer lock.
 *
 * <p>Callers queue their write and the first to take the lock leads: it takes every write waiting
 * in the queue (up to {@link Options#maxGroupCommit()}) as one group, in one SQLite transaction.
 * Each write that succeeds and changes something becomes one frame appended to the log. Then the
 * group's last position and hash go into the meta table, the log is synced once
 * ({@link Durability#SYNC}), SQLite commits, and only then are the group's callers acknowledged.
 * Callers that found the lock taken wait; the leader then runs one more group, of the writes that
 * queued while its own ran (their callers, parked, would first have to be scheduled again), and
 * when it is done it wakes the oldest waiting caller, whose write it did not take, to lead the next
 * group. A lone writer thus runs its own
 * write with no hand-off between threads, and concurrent writers share one sync.
 *
 * <p>So the live file is never ahead of the durable log, and a crash after the append but before
 * the commit is repaired at open by replay. When SQLite fails after the group's frames were
 * appended (its disk is full, say), the frames are synced and stay: the live file is then
 * <em>behind</em> the log, the group's callers are told their writes are logged and will apply
 * ({@link DiskFullException#logged()}), and the next write or exclusive task first replays the
 * missing frames into the live file, failing cleanly while that is still impossible. A failure
 * that leaves the log itself in doubt (a failed sync, a log error other than a full disk, a live
 * file that disagrees with the log) stops all writing: queued and later writes fail with a
 * {@link DatabaseClosedException} naming the cause, and reopening the database recovers.
 * Thread-safe.
 */
public final class Writer {

    /** One caller's write: its statements, checked, and its outcome once decided. */
    static final class Request {
        final List<Statement> statements;
        final Thread waiter;
        private volatile List<Result> results;
        private volatile RuntimeException error;

        Request(List<Statement> statements, Thread waiter) {
            this.statements = statements;
            this.waiter = waiter;
        }

        boolean isDone() {
            return results != null || error != null;
        }

        void complete(List<Result> r) {
            results = r;
            LockSupport.unpark(waiter);
        }

        public void fail(RuntimeException e) {
            error = e;
            LockSupport.unpark(waiter);
        }
    }

    /** Groups one leader runs before handing over: its own and one formed while it ran. */
    private static final int GROUPS_PER_LEADER = 2;

    private final String name;
    private final LiveDatabase live;
    private final FrameLog log;
    private final MonotonicClock clock;
    private final Options options;
    private final EngineMetrics metrics;
    private final Queue<Request> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Bookmark latest;
    private volatile Throwable failure;
    /** The failure left the live file behind a sound log: catching up by replay clears it. */
    private volatile boolean liveBehind;
    private final Replayer.RestoreLoader restores;
    /** Hands out the number of the checkpoint a restore opens its epoch with. */
    private final java.util.function.LongSupplier allocateCheckpoint;
    private volatile boolean stopped;
    /** Where new frames count from; guarded by {@link #lock}, read unlocked only for triggers. */
    private volatile Position base;
    private volatile long framesSinceCheckpoint;
    private volatile long bytesSinceCheckpoint;
    /**
     * Set when open found a logged frame the live file cannot take: writes are refused with this
     * error, which says which restore makes the database writable again; a restore clears it.
     */
    private volatile ChronologException stuck;
    /** Told of every commit of the live file, under the lock. */
    private volatile Runnable afterCommit = () -> { };
    /** Told, under the lock, whenever frames were appended and made as durable as the mode promises (writes, markers, restores). */
    private volatile Runnable afterAppend = () -> { };
    /** Bytes of statement payloads appended by this writer since the open. */
    private volatile long bytesLogged;
    /** In {@link io.chronolog.engine.Durability#ARCHIVED}: waits until the archive holds a position (null: no archive). */
    private volatile java.util.function.LongConsumer archivedBarrier;
    /** Set when another writer took over the archive: every write and restore is refused with it, for good. */
    private volatile ChronologException fenced;

    /** The epoch and checkpoint new frames belong to, and the log position that checkpoint holds. */
    public record Position(int epoch, long checkpoint, long checkpointPosition) {
    }

    public Writer(String name, LiveDatabase live, FrameLog log, MonotonicClock clock, Options options, EngineMetrics metrics,
            Position base, Bookmark latest, Replayer.RestoreLoader restores, java.util.function.LongSupplier allocateCheckpoint) {
        this.name = name;
        this.allocateCheckpoint = allocateCheckpoint;
        this.restores = restores;
        this.live = live;
        this.log = log;
        this.clock = clock;
        this.options = options;
        this.metrics = metrics;
        this.base = base;
        this.latest = latest;
    }

    /** Sets what is told of every commit of the live file (run under the writer lock, so it must be quick). */
    public void afterCommit(Runnable listener) {
        afterCommit = listener;
    }

    /** Tells {@code listener} (under the writer lock) after frames were appended and synced as the mode promises. */
    public void afterAppend(Runnable listener) {
        afterAppend = listener;
    }

    /**
     * In {@link io.chronolog.engine.Durability#ARCHIVED}, a write is acknowledged only once
     * {@code barrier} returned for its frame's position (it throws when the archive did not take it in time).
     */
    public void archivedBy(java.util.function.LongConsumer barrier) {
        archivedBarrier = barrier;
    }

    /** Bytes of statement payloads appended since the open. */
    public long bytesLogged() {
        return bytesLogged;
    }

    /**
     * Refuses every later write, marker and restore with {@code error}, for as long as this open
     * lasts: another writer has taken over the archive, and what this one appended from now on
     * could never be archived.
     */
    public void fence(ChronologException error) {
        fenced = error;
    }

    /** The error writes are refused with after {@link #fence}, or null. */
    public ChronologException fencedError() {
        return fenced;
    }

    private void refuseIfFenced() {
        ChronologException f = fenced;
        if (f != null) {
            throw new io.chronolog.engine.ArchiveException(f.getMessage(), f);
        }
    }

    public Position base() {
        return base;
    }

    public long framesSinceCheckpoint() {
        return framesSinceCheckpoint;
    }

    public long bytesSinceCheckpoint() {
        return bytesSinceCheckpoint;
    }

    /** Work that must not interleave with writes (markers, restores): runs under the writer lock. */
    public interface Exclusive<T> {
        T run() throws IOException, SQLException;
    }

    /**
     * Runs {@code task} while no write runs. A failure that leaves the log in doubt stops writing,
     * as a failed group does; the task's own refusals ({@link ChronologException}) do not.
     */
    public <T> T exclusive(Exclusive<T> task) throws IOException, SQLException {
        lock.lock();
        try {
            if (stopped || fatal()) {
                throw closedError();
            }
            if (stuck != null) {
                throw new ChronologException(stuck.getMessage(), stuck.getCause());
            }
            refuseIfFenced();
            if (!catchUp()) {
                throw behindError("the task was not run");
            }
            return task.run();
        } finally {
            lock.unlock();
            Request next = queue.peek();
            if (next != null) {
                LockSupport.unpark(next.waiter);
            }
        }
    }

    /** Refuses every write and exclusive task but a restore with {@code error} (see {@link #stuck}). */
    public void stuck(ChronologException error) {
        stuck = error;
    }

    /** Runs a restore under the writer lock: the one task allowed while {@link #stuck}, and it clears that state. */
    private <T> T restoring(Exclusive<T> task) throws IOException, SQLException {
        refuseIfFenced();
        if (stuck == null) {
            return exclusive(task);
        }
        lock.lock();
        try {
            if (stopped || fatal()) {
                throw closedError();
            }
            T result = task.run();
            stuck = null;
            return result;
        } finally {
            lock.unlock();
            Request next = queue.peek();
            if (next != null) {
                LockSupport.unpark(next.waiter);
            }
        }
    }

    /** Marks the writer failed: later writes get the failure. For exclusive tasks that broke the log/live agreement. */
    private void fail(Throwable cause) {
        failure = cause;
        liveBehind = false;
    }

    /** Marks the live file behind a sound log (an exclusive task logged a frame SQLite could not apply): caught up before the next write. */
    private void behind(Throwable cause) {
        failure = cause;
        liveBehind = true;
    }

    /** A failure that only reopening repairs. */
    private boolean fatal() {
        return failure != null && !liveBehind;
    }

    /**
     * Under the lock: replays into the live file the frames the log holds beyond it, if an earlier
     * failure left it behind. Returns whether the live file now matches the log; if not, the
     * failure is kept (and becomes fatal unless it is one a later attempt may get past).
     */
    private boolean catchUp() {
        if (failure == null) {
            return true;
        }
        try {
            Recovery.recover(name, log, log.directory(), live, restores);
            long last = log.lastPosition();
            if (last > 0) {
                latest = Frames.bookmark(log.read(last));
            }
            failure = null;
            liveBehind = false;
            return true;
        } catch (IOException | SQLException | RuntimeException e) {
            live.rollbackQuietly(e);
            failure = e;
            liveBehind = e instanceof SQLException || DiskFullException.isDiskFull(e) && !(e instanceof CorruptionException);
            return false;
        }
    }

    /** The error for work refused because the live file could not catch up with the log. */
    private ChronologException behindError(String outcome) {
        Throwable f = failure;
        if (!liveBehind) {
            return closedError();
        }
        String message = "database " + name + ": live.sqlite3 cannot take the frames the log holds beyond it (up to frame "
                + log.lastPosition() + "): " + f.getMessage() + "; " + outcome
                + "; free space and retry: the logged frames are applied first, or when the database is reopened";
        return DiskFullException.of(message, f);
    }

    /**
     * Appends a marker frame (under {@link #exclusive}) in its own transaction with the meta row,
     * synced as writes are, and moves new frames to {@code next}. Returns the frame.
     */
    public Frame appendMarker(FrameKind kind, byte[] payload, Position next) throws IOException, SQLException {
        long position = log.lastPosition() + 1;
        live.begin();
        Frame frame = null;
        try {
            frame = log.append(next.epoch(), next.checkpoint(), position - next.checkpointPosition(), clock.millis(), kind, payload);
            live.writeApplied(frame.position(), frame.hash());
            if (options.durability().forcesLog()) {
                log.sync();
            }
            live.commit();
            afterCommit.run();
            afterAppend.run();
            base = next;
            framesSinceCheckpoint = 0;
            bytesSinceCheckpoint = 0;
            latest = Frames.bookmark(frame);
            return frame;
        } catch (LogFullException e) {
            live.rollbackQuietly(e);
            throw e; // nothing was appended: the writer carries on
        } catch (SQLException e) {
            live.rollbackQuietly(e);
            if (frame == null) {
                throw e;
            }
            try {
                log.sync();
            } catch (IOException | RuntimeException s) {
                e.addSuppressed(s);
                failure = e;
                liveBehind = false;
                throw e;
            }
            base = next; // the marker is in the log: frames after it count from it
            framesSinceCheckpoint = 0;
            bytesSinceCheckpoint = 0;
            behind(e);
            throw e;
        } catch (IOException | RuntimeException e) {
            live.rollbackQuietly(e);
            fail(e);
            throw e;
        }
    }

    /**
     * The parts of a restore that are not the writer's: {@link #restore} runs them under the writer
     * lock, appends the restore frame itself, and keeps the writer's own state (where frames count
     * from, the latest bookmark, whether the live file is behind the log) in step with what happened.
     */
    public interface RestoreSteps {
        /**
         * Stores the state to restore as the checkpoint that opens epoch {@code next.epoch()} and
         * returns the restore frame's payload; nothing is logged yet, and a failure changes nothing.
         * {@code latest} is the bookmark the restore undoes; the frame will be stamped {@code timestamp}.
         */
        byte[] prepare(Position next, Bookmark latest, long timestamp) throws IOException, SQLException;

        /** Undoes {@link #prepare} after the log refused the frame (it was not appended). */
        void abandon(Position next, Exception cause);

        /** Installs the state as the live file once its frame is durable. */
        void install(Frame frame) throws IOException, SQLException;

        /** The caller's error when {@link #install} failed after the frame was logged (the live file is then behind). */
        ChronologException notInstalled(Frame frame, Exception cause);
    }

    /**
     * Runs a restore under the writer lock (allowed while {@link #stuck}, which it clears): the
     * steps store the state, this appends and syncs the restore frame (the commit point), then the
     * steps install it. A log that refused the frame leaves everything as it was; a log in doubt
     * stops writing; an install that failed leaves the live file behind the log, caught up before
     * the next write or at the next open. Returns the restore frame.
     */
    public Frame restore(RestoreSteps steps) throws IOException, SQLException {
        return restoring(() -> {
            Position next = new Position(base.epoch() + 1, allocateCheckpoint.getAsLong(), log.lastPosition() + 1);
            long timestamp = clock.millis();
            byte[] payload = steps.prepare(next, latest, timestamp);
            Frame frame;
            try {
                frame = log.append(next.epoch(), next.checkpoint(), 0, timestamp, FrameKind.RESTORE, payload);
                log.sync();
            } catch (LogFullException e) {
                steps.abandon(next, e); // nothing was appended: the restore did not happen
                throw e;
            } catch (IOException | RuntimeException e) {
                fail(e);
                throw e;
            }
            try {
                steps.install(frame);
            } catch (IOException | SQLException e) {
                // committed in the log; the live file holds the state before it or the restored one: catching up replays what it lacks
                restored(frame, next);
                behind(e);
                throw steps.notInstalled(frame, e);
            } catch (RuntimeException e) {
                fail(e);
                throw new CorruptionException("database " + name + ": the restore is logged (frame " + frame.position()
                        + ") but copying it into live.sqlite3 failed: " + e.getMessage() + "; reopen the database to finish it",
                        live.file(), frame.position(), e);
            }
            restored(frame, next);
            afterAppend.run();
            return frame;
        });
    }

    /** Frames now continue from restore frame {@code frame}. */
    private void restored(Frame frame, Position next) {
        base = next;
        framesSinceCheckpoint = 0;
        bytesSinceCheckpoint = 0;
        latest = Frames.bookmark(frame);
    }

    /**
     * Answers {@code lookup} for time {@code millis} while no frame is being stamped, and makes every
     * later frame's timestamp greater than {@code millis}: a time once resolved to a frame keeps
     * resolving to it, even if the wall clock then steps back to before that time.
     */
    public long resolveTime(long millis, java.util.function.LongSupplier lookup) {
        lock.lock();
        try {
            clock.raiseFloor(millis + 1);
            return lookup.getAsLong();
        } finally {
            lock.unlock();
            Request next = queue.peek();
            if (next != null) {
                LockSupport.unpark(next.waiter);
            }
        }
    }

    /**
     * Runs {@code task} with no commit in progress, right after syncing the log through every frame
     * appended: for work that makes the live file durable ({@link WalCheckpointer}'s ordering rule).
     * Does nothing once writing has stopped; a failed sync stops writing.
     */
    public void afterLogSync(Runnable task) throws IOException {
        lock.lock();
        try {
            if (stopped || failure != null) {
                return;
            }
            try {
                log.sync();
            } catch (IOException | RuntimeException e) {
                fail(e);
                throw e;
            }
            task.run();
        } finally {
            lock.unlock();
            Request next = queue.peek();
            if (next != null) {
                LockSupport.unpark(next.waiter);
            }
        }
    }

    public long now() {
        return clock.millis();
    }

    public Bookmark latest() {
        return latest;
    }

    /**
     * Runs a write and returns its results once it is acknowledged. Waits for the outcome even if
     * the calling thread is interrupted (the write is already queued), then restores the interrupt.
     */
    public List<Result> write(List<Statement> statements) {
        if (stopped || fatal()) {
            throw closedError();
        }
        ChronologException blocked = stuck;
        if (blocked != null) {
            throw new ChronologException(blocked.getMessage(), blocked.getCause());
        }
        refuseIfFenced();
        Request r = new Request(statements, Thread.currentThread());
        queue.add(r);
        // a leader must not carry an interrupt into the log's file channel, which an interrupt closes
        boolean interrupted = Thread.interrupted();
        while (!r.isDone()) {
            if (lock.tryLock()) {
                try {
                    // the leader runs its own group, then one more of the writes queued meanwhile: their callers,
                    // parked, would otherwise first have to be scheduled again to lead it
                    for (int groups = 0; groups < GROUPS_PER_LEADER && (groups == 0 ? !r.isDone() : queue.peek() != null); groups++) {
                        if (stopped || fatal()) {
                            failQueued();
                            break;
                        } else if (!catchUp()) {
                            for (Request q; (q = queue.poll()) != null; ) {
                                q.fail(behindError("the write was not applied"));
                            }
                            break;
                        }
                        runGroup(drain());
                    }
                } finally {
                    lock.unlock();
                }
                Request next = queue.peek();
                if (next != null) {
                    LockSupport.unpark(next.waiter);
                }
            } else {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (r.error != null) {
            r.error.addSuppressed(new Exception("waited for the write here"));
            throw r.error;
        }
        java.util.function.LongConsumer barrier = archivedBarrier;
        if (barrier != null && options.durability() == io.chronolog.engine.Durability.ARCHIVED) {
            // the log's end covers this write's frame (and those of groups since): one upload serves every waiter
            barrier.accept(log.lastPosition());
        }
        return r.results;
    }

    private List<Request> drain() {
        List<Request> group = new ArrayList<>();
        for (Request r; group.size() < options.maxGroupCommit() && (r = queue.poll()) != null; ) {
            group.add(r);
        }
        return group;
    }

    private void failQueued() {
        for (Request r; (r = queue.poll()) != null; ) {
            r.fail(closedError());
        }
    }

    private DatabaseClosedException closedError() {
        Throwable f = failure;
        return f == null
                ? new DatabaseClosedException("database " + name + " is closed", null)
                : new DatabaseClosedException("database " + name + " stopped writing after a failure: " + f.getMessage()
                        + "; reopen it to recover", f);
    }

    /** Refuses new writes, waits for the group in progress, and fails writes still queued. */
    public void stop() {
        stopped = true;
        lock.lock();
        try {
            failQueued();
        } finally {
            lock.unlock();
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
                if (options.durability().forcesLog()) {
                    log.sync();
                }
            }
            live.commit();
            afterCommit.run();
            if (last != null) {
                afterAppend.run();
            }
        } catch (IOException | SQLException | RuntimeException | Error e) {
            live.rollbackQuietly(e);
            boolean behind = e instanceof SQLException;
            if (behind && last != null) {
                try {
                    log.sync(); // the frames stay in the log: make them durable before saying so
                } catch (IOException | RuntimeException s) {
                    e.addSuppressed(s);
                    behind = false;
                }
            }
            failure = e;
            liveBehind = behind;
            metrics.writesFailed.increment(done.size());
            for (Done d : done) {
                d.request().fail(groupError(e, behind, last, d.frame()));
            }
            // a request that threw before it was done hears of it too: none is left waiting
            for (Request r : group) {
                if (!r.isDone()) {
                    r.fail(groupError(e, behind, last, null));
                }
            }
            return;
        }
        if (last != null) {
            metrics.appendSync.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            int framed = 0;
            for (Done d : done) {
                framed += d.frame() == null ? 0 : 1;
            }
            metrics.commitsPerSync.record(framed);
            latest = Frames.bookmark(last);
        }
        Bookmark current = latest;
        for (Done d : done) {
            Bookmark b = d.frame() == null ? current : Frames.bookmark(d.frame());
            List<Result> results = new ArrayList<>(d.outcomes().size());
            for (StatementRunner.Outcome o : d.outcomes()) {
                results.add(new Result(o.rows(), o.changes(), o.lastRowId(), b));
            }
            d.request().complete(results);
        }
    }

    /** What a caller in a failed group is told: whether its write is logged (and will apply) or lost with the group. */
    private ChronologException groupError(Throwable e, boolean behind, Frame last, Frame own) {
        if (last == null) {
            return DiskFullException.of("database " + name + ": write failed: " + e.getMessage()
                    + "; nothing was logged or applied", e);
        }
        if (!behind) {
            return new ChronologException("database " + name + ": frames up to position " + last.position()
                    + " were logged but could not be made durable and applied (" + e.getMessage()
                    + "); whether they survive is known after the database is reopened", e);
        }
        if (own == null) {
            return DiskFullException.of("database " + name + ": write failed: " + e.getMessage()
                    + "; it changed nothing and nothing of it was logged", e);
        }
        String message = "database " + name + ": the write is logged as frame " + own.position() + " (bookmark "
                + Frames.bookmark(own) + ") but live.sqlite3 could not commit it: " + e.getMessage()
                + "; it is applied before the next write once space allows, or when the database is reopened";
        return DiskFullException.isDiskFull(e) ? new DiskFullException(message, e, Frames.bookmark(own)) : new ChronologException(message, e);
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
        long digest;
        try {
            LiveDatabase.FrameOutcome applied = live.applyLimited(seed, timestamp, r.statements);
            outcomes = applied.outcomes();
            digest = applied.digest();
        } catch (RefusedStatementException e) {
            undo(isolate);
            metrics.writesFailed.increment();
            r.fail(e);
            return null;
        } catch (LiveDatabase.FrameStatementException e) {
            if (live.timedOut()) {
                timedOut(r, e, done, isolate);
                return null;
            }
            undo(isolate);
            Statement st = r.statements.get(e.index());
            if (DiskFullException.isDiskFull(e.getCause())) {
                metrics.writesFailed.increment();
                r.fail(new DiskFullException("database " + name + ": the disk of " + live.file() + " is full ("
                        + e.getMessage() + "); the write was not applied, free space and retry", e.getCause()));
                return null;
            }
            String where = r.statements.size() > 1 ? "statement " + (e.index() + 1) + " of the batch failed, nothing was applied: " : "";
            metrics.writesFailed.increment();
            r.fail(new SqlException(where + e.getMessage().replaceFirst("^\\[SQLITE_[A-Z_]+\\]\\s*", "")
                    + " (sql: " + StatementRunner.abbreviate(st.sql()) + ")", st, e.getCause()));
            return null;
        }
        if (allReadOnly(outcomes)) {
            undo(isolate);
            done.add(new Done(r, outcomes, null));
            return null;
        }
        List<Statement> logged = new ArrayList<>(r.statements.size());
        List<Effect> effects = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            Statement st = r.statements.get(i);
            logged.add(st);
            effects.add(new Effect(outcomes.get(i).changes(), outcomes.get(i).lastRowId()));
        }
        byte[] payload;
        Frame frame;
        try {
            payload = new StatementBatch(seed, logged, effects, java.util.OptionalLong.of(digest)).encode();
            Position b = base;
            frame = log.append(b.epoch(), b.checkpoint(), position - b.checkpointPosition(), timestamp, FrameKind.STATEMENTS, payload);
        } catch (LogFullException e) {
            undo(isolate);
            metrics.writesFailed.increment();
            r.fail(new DiskFullException("database " + name + ": " + e.getMessage()
                    + "; the write was not applied, free space and retry", e));
            return null;
        } catch (IllegalArgumentException e) {
            undo(isolate);
            metrics.writesFailed.increment();
            r.fail(new RefusedStatementException("write refused: " + e.getMessage(), r.statements.get(0)));
            return null;
        }
        if (isolate) {
            live.release();
        }
        metrics.framesAppended.increment();
        metrics.bytesAppended.increment(payload.length);
        framesSinceCheckpoint++;
        bytesSinceCheckpoint += payload.length;
        bytesLogged += payload.length;
        done.add(new Done(r, outcomes, frame));
        return frame;
    }

    /**
     * A statement of {@code r} ran past {@link Options#statementTimeout()} and SQLite stopped it: undo
     * {@code r} and fail it. Stopping a statement that writes makes SQLite roll back the whole
     * transaction, taking with it the writes of this group that ran before {@code r}; their frames
     * are in the log, so they are made durable and replayed into the live file (unlimited, as at
     * open), and the group goes on in a new transaction. Nothing of {@code r} is logged.
     */
    private void timedOut(Request r, LiveDatabase.FrameStatementException e, List<Done> done, boolean isolate)
            throws IOException, SQLException {
        if (live.transactionActive()) {
            undo(isolate);
        } else {
            if (done.stream().anyMatch(d -> d.frame() != null)) {
                log.sync();
                Recovery.recover(name, log, log.directory(), live, restores);
            }
            live.begin();
        }
        metrics.writesFailed.increment();
        Statement st = r.statements.get(e.index());
        String which = r.statements.size() > 1 ? "statement " + (e.index() + 1) + " of the batch" : "write";
        r.fail(new StatementTimeoutException(StatementTimeoutException.message(name, which, live.timeLimit(),
                "nothing was applied or logged", st), st, live.timeLimit(), e.getCause()));
    }

    private static boolean allReadOnly(List<StatementRunner.Outcome> outcomes) {
        for (StatementRunner.Outcome o : outcomes) {
            if (!o.readOnly()) {
                return false;
            }
        }
        return true;
    }

    private void undo(boolean isolate) throws SQLException {
        if (isolate) {
            live.rollbackToSavepoint();
        } else {
            live.rollbackAndBegin();
        }
    }
}
