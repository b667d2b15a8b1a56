package io.chronolog.engine.internal.live;

import io.chronolog.engine.Options;
import io.chronolog.engine.internal.sql.StatementDeadline;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Read-only SQLite connections for {@link Database#query}. WAL mode lets each read a consistent
 * snapshot while the writer commits, so reads never wait for writes. Connections are opened on
 * demand up to the configured number and reused. A borrowed connection is inside the
 * {@link LiveFileGate}'s shared side until it is given back, so a restore that renames the live
 * file first waits for it and then closes every pooled connection ({@link #closeConnections}).
 * Each connection carries a {@link StatementDeadline} of {@link Options#statementTimeout()}, armed by
 * the query that borrows it, and builds no string, blob or row over {@link Options#maxRowBytes()}; a
 * query waits at most {@link Options#readerWait()} for a connection ({@link #borrowWithin}). Thread-safe.
 */
public final class ReaderPool implements AutoCloseable {
    private final Path file;
    private final LiveFileGate gate;
    private final int capacity;
    private final BlockingQueue<Connection> idle;
    private final List<Connection> all = new ArrayList<>();
    private final java.util.Set<Connection> busy = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong restores = new java.util.concurrent.atomic.AtomicLong();
    private final java.time.Duration timeLimit;
    private final int maxRowBytes;
    private final java.util.Map<Connection, StatementDeadline> deadlines = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Connection, StatementCache> statements = new java.util.concurrent.ConcurrentHashMap<>();
    private boolean closed;

    private final Connector connector;

    /** Opens one reader connection on the live file. */
    @FunctionalInterface
    public interface Connector {
        Connection open() throws SQLException;
    }

    public ReaderPool(Path file, LiveFileGate gate, Options options) {
        this(file, gate, options, () -> LiveDatabase.connectReader(file));
    }

    /** A pool whose connections {@code connector} opens (a read-only open's, {@link ReadOnlyView}). */
    public ReaderPool(Path file, LiveFileGate gate, Options options, Connector connector) {
        this.connector = connector;
        this.file = file;
        this.gate = gate;
        this.capacity = options.readerConnections();
        this.idle = new ArrayBlockingQueue<>(capacity);
        this.timeLimit = options.statementTimeout();
        this.maxRowBytes = options.maxRowBytes();
    }

    public int capacity() {
        return capacity;
    }

    /** The time limit of a borrowed connection, disarmed until its query arms it. */
    public StatementDeadline deadline(Connection c) {
        return deadlines.get(c);
    }

    /** The statements borrowed connection {@code c} keeps prepared. */
    public StatementCache statements(Connection c) {
        return statements.get(c);
    }


    Connection borrow() throws SQLException, InterruptedException {
        return borrowWithin(-1);
    }

    /** {@link #borrow()}, waiting at most {@code waitNanos} (forever if negative) when all are busy; null if none came free. */
    public Connection borrowWithin(long waitNanos) throws SQLException, InterruptedException {
        gate.enterShared();
        try {
            Connection c = idle.poll();
            if (c == null) {
                synchronized (this) {
                    if (closed) {
                        throw new SQLException("the database is closed");
                    }
                    if (all.size() < capacity) {
                        c = connector.open();
                        try {
                            // a read builds no value over the write limit either: one SQLite function call
                            // (randomblob, printf) cannot be stopped by the time limit, so its size is bounded
                            ((org.sqlite.SQLiteConnection) c).setLimit(org.sqlite.SQLiteLimits.SQLITE_LIMIT_LENGTH, maxRowBytes);
                            deadlines.put(c, StatementDeadline.install(c, timeLimit));
                            statements.put(c, new StatementCache(c));
                        } catch (SQLException | RuntimeException e) {
                            c.close();
                            throw e;
                        }
                        all.add(c);
                    }
                }
            }
            if (c == null) {
                c = waitNanos < 0 ? idle.take() : idle.poll(waitNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
                if (c == null) {
                    gate.leaveShared();
                    return null;
                }
            }
            busy.add(c);
            return c;
        } catch (SQLException | InterruptedException | RuntimeException e) {
            gate.leaveShared();
            throw e;
        }
    }

    public void giveBack(Connection c) {
        StatementDeadline d = deadlines.get(c);
        if (d != null) {
            d.disarm();
        }
        busy.remove(c);
        idle.offer(c);
        gate.leaveShared();
    }

    /** Closes every pooled connection; the caller holds the gate's exclusive side, so none is borrowed. */
    synchronized void closeConnections() throws SQLException {
        idle.clear();
        List<Connection> open = new ArrayList<>(all);
        all.clear();
        deadlines.clear();
        SQLException failure = null;
        for (Connection c : open) {
            StatementCache cached = statements.remove(c);
            if (cached != null) {
                cached.clear();
            }
            try {
                c.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** How many restores have cancelled queries so far: a query that sees it change was cancelled. */
    public long restores() {
        return restores.get();
    }

    /** Interrupts every query in flight (they fail), for a restore about to replace the file under them. */
    public void cancelQueries() {
        restores.incrementAndGet();
        for (Connection c : busy) {
            try {
                ((org.sqlite.SQLiteConnection) c).getDatabase().interrupt();
            } catch (SQLException ignored) {
                // the query finished and the connection went back meanwhile: nothing to cancel
            }
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        closed = true;
        closeConnections();
    }
}
