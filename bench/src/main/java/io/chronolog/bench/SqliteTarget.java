package io.chronolog.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Plain sqlite-jdbc, the baseline: one connection in WAL mode at a given {@code synchronous}
 * level, autocommit, one prepared INSERT. Thread-safe: calls share the connection under a lock,
 * as an application would.
 */
final class SqliteTarget implements InsertTarget {
    private final Connection connection;
    private final PreparedStatement insert;

    SqliteTarget(Path directory, String synchronous) throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("plain.sqlite3"));
        try (Statement st = connection.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode=WAL")) {
                rs.next();
                if (!"wal".equalsIgnoreCase(rs.getString(1))) {
                    throw new SQLException("journal_mode=WAL refused: got " + rs.getString(1));
                }
            }
            st.execute("PRAGMA synchronous=" + synchronous);
            st.execute(ChronologTarget.SCHEMA);
        }
        connection.setAutoCommit(true);
        insert = connection.prepareStatement(ChronologTarget.INSERT);
    }

    @Override
    public synchronized void insert(String k, long v) throws SQLException {
        insert.setString(1, k);
        insert.setLong(2, v);
        insert.executeUpdate();
    }

    @Override
    public synchronized long count() throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String version() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT sqlite_version()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        insert.close();
        connection.close();
    }
}
