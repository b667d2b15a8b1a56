package io.chronolog.engine.internal.sql;

import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.Function;

/**
 * Makes SQLite's random functions replayable on one write connection: {@code random()} and
 * {@code randomblob(N)} draw from {@link SplitMix64} seeded by the frame.
 *
 * <p>SQLite's clock needs no override: the write connection opens through Chronolog's VFS
 * ({@link SqliteExtension}), whose 'now' is the frame's time, so every date and time function,
 * {@code CURRENT_TIMESTAMP} and its column defaults, 'subsec' and 'now' in any type of argument
 * see the frame's time, with SQLite's own rules for where the clock may be used. What replay
 * cannot repeat ('localtime', functions outside the allowlist) is refused by the extension and by
 * {@link StatementPolicy}.
 *
 * <p>Not thread-safe: it belongs to the connection's writer. A frame is bracketed by
 * {@link #begin} and {@link #end}; outside one, the overridden functions fail.
 */
public final class DeterministicFunctions implements AutoCloseable {
    private volatile int maxBlobBytes;
    private SplitMix64 random;

    private DeterministicFunctions(int maxBlobBytes) {
        this.maxBlobBytes = maxBlobBytes;
    }

    /** Registers the overrides on {@code connection}. */
    public static DeterministicFunctions install(Connection connection, int maxBlobBytes) throws SQLException {
        DeterministicFunctions f = new DeterministicFunctions(maxBlobBytes);
        f.register(connection);
        return f;
    }

    /** Largest blob {@code randomblob()} makes; larger requests fail as SQLite's own limit would. */
    public void limitBlobs(int bytes) {
        maxBlobBytes = bytes;
    }

    public void begin(long seed) {
        random = new SplitMix64(seed);
    }

    public void end() {
        random = null;
    }

    private void register(Connection c) throws SQLException {
        Function.create(c, "random", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                result(generator().nextLong());
            }
        }, 0, 0);
        Function.create(c, "randomblob", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                long n = value_type(0) == 5 ? 1 : value_long(0);
                if (n < 1) {
                    n = 1;
                }
                if (n > maxBlobBytes) {
                    error("string or blob too big");
                    return;
                }
                byte[] out = new byte[(int) n];
                generator().nextBytes(out);
                result(out);
            }
        }, 1, 0);
    }

    private SplitMix64 generator() throws SQLException {
        if (random == null) {
            throw new SQLException("random() outside a frame: the engine applies writes only inside frames");
        }
        return random;
    }

    @Override
    public void close() {
        random = null;
    }
}
