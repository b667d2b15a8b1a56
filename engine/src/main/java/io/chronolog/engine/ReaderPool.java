package io.chronolog.engine;

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
 * demand up to the configured number and reused. Thread-safe.
 */
final class ReaderPool implements AutoCloseable {
    private final Path file;
    private final int capacity;
    private final BlockingQueue<Connection> idle;
    private final List<Connection> all = new ArrayList<>();
    private boolean closed;

    ReaderPool(Path file, int capacity) {
        this.file = file;
        this.capacity = capacity;
        this.idle = new ArrayBlockingQueue<>(capacity);
    }

    Connection borrow() throws SQLException, InterruptedException {
        Connection c = idle.poll();
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (closed) {
                throw new SQLException("the database is closed");
            }
            if (all.size() < capacity) {
                Connection fresh = LiveDatabase.connect(file, true);
                all.add(fresh);
                return fresh;
            }
        }
        return idle.take();
    }

    void giveBack(Connection c) {
        idle.offer(c);
    }

    @Override
    public synchronized void close() throws SQLException {
        closed = true;
        SQLException failure = null;
        for (Connection c : all) {
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
        all.clear();
        idle.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
