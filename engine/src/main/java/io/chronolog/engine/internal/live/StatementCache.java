package io.chronolog.engine.internal.live;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The statements one reader connection has prepared, by SQL text, so that a read repeated runs
 * SQLite's compiled program again instead of compiling it anew (compiling a point query costs about
 * as much as running it). Holds at most {@link #CAPACITY} statements and closes the least recently
 * used beyond that.
 *
 * <p>Invariant: a statement is in the cache only while no caller holds it, and always reset (its
 * result set closed), so a cached statement never keeps a read transaction open. SQLite recompiles a
 * cached statement by itself when the schema changed under it. Used by the one thread that borrowed
 * the connection; not thread-safe.
 */
public final class StatementCache {
    /** Statements kept per connection. */
    static final int CAPACITY = 64;

    /** A prepared statement and its number of parameter placeholders. */
    public record Prepared(PreparedStatement statement, int parameters) {
    }

    private final Connection connection;
    private final Map<String, Prepared> statements = new LinkedHashMap<>(16, 0.75f, true);

    StatementCache(Connection connection) {
        this.connection = connection;
    }

    /**
     * Takes the statement for {@code sql} out of the cache, or prepares it: the caller runs it and
     * gives it back with {@link #giveBack} once its result set is closed, or closes it after a failure.
     */
    public Prepared take(String sql) throws SQLException {
        Prepared p = statements.remove(sql);
        if (p != null && !p.statement().isClosed()) {
            return p;
        }
        PreparedStatement ps = connection.prepareStatement(sql);
        try {
            return new Prepared(ps, ps.getParameterMetaData().getParameterCount());
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /** Puts back a statement that ran to the end (its result set closed), closing the least recently used beyond the capacity. */
    public void giveBack(String sql, Prepared prepared) {
        Prepared replaced = statements.put(sql, prepared);
        if (replaced != null && replaced != prepared) {
            closeQuietly(replaced.statement());
        }
        if (statements.size() > CAPACITY) {
            Iterator<Prepared> oldest = statements.values().iterator();
            closeQuietly(oldest.next().statement());
            oldest.remove();
        }
    }

    /** Closes every cached statement (before the connection closes). */
    void clear() {
        for (Prepared p : statements.values()) {
            closeQuietly(p.statement());
        }
        statements.clear();
    }

    public static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException ignored) {
            // it goes either way
        }
    }
}
