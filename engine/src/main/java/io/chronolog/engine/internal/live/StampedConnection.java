package io.chronolog.engine.internal.live;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.sqlite.SQLiteConnection;
import org.sqlite.jdbc4.JDBC4Connection;
import org.sqlite.jdbc4.JDBC4PreparedStatement;
import org.sqlite.jdbc4.JDBC4Statement;

/**
 * A connection that reads {@code live.sqlite3} in place with SQLite's {@code immutable=1} (no lock,
 * no {@code -wal}, no {@code -shm}: nothing is created beside the file) and holds every read to a
 * {@link LiveFileStamp}: the stamp is checked before each statement runs and after each step of
 * its rows, before the row is handed out.
 *
 * <p>Why each step: SQLite reads the pages of a row during the step that produces it, and an
 * immutable connection never looks for changes (it keeps its page cache for its whole life). A
 * check that passes after the step proves the file was not written before it (see the stamp's
 * invariant), so every row a caller receives, streamed or gathered, comes from the stamped state;
 * the first step after a writer opened the database fails with the stamp's error instead, and so
 * does every later statement on this connection. The cost is two {@code stat} calls per row.
 * Statements and result sets are those of the driver, the latter behind a proxy that adds the
 * check to {@code next()}. Thread-safety as the driver's connection (one thread at a time).
 */
final class StampedConnection extends JDBC4Connection {
    private final LiveFileStamp stamp;

    private StampedConnection(String url, String fileName, Properties properties, LiveFileStamp stamp) throws SQLException {
        super(url, fileName, properties);
        this.stamp = stamp;
    }

    /** Opens {@code jdbc:sqlite:file:<liveFile>?mode=ro&immutable=1} held to {@code stamp}. */
    static StampedConnection open(java.nio.file.Path liveFile, Properties properties, LiveFileStamp stamp) throws SQLException {
        String fileName = "file:" + liveFile + "?mode=ro&immutable=1";
        stamp.check();
        return new StampedConnection("jdbc:sqlite:" + fileName, fileName, properties, stamp);
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        checkOpen();
        checkCursor(type, concurrency, holdability);
        return new Checked(this);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability) throws SQLException {
        checkOpen();
        checkCursor(type, concurrency, holdability);
        return new CheckedPrepared(this, sql);
    }

    /** A plain statement whose every run is checked first, and whose rows are checked as they come. */
    private final class Checked extends JDBC4Statement {
        Checked(SQLiteConnection c) {
            super(c);
        }

        @Override
        public boolean execute(String sql) throws SQLException {
            checkStamp();
            return super.execute(sql);
        }

        @Override
        public ResultSet executeQuery(String sql) throws SQLException {
            checkStamp();
            return checkedRows(super.executeQuery(sql));
        }

        @Override
        public ResultSet getResultSet() throws SQLException {
            return checkedRows(super.getResultSet());
        }
    }

    /** A prepared statement whose every run is checked first, and whose rows are checked as they come. */
    private final class CheckedPrepared extends JDBC4PreparedStatement {
        CheckedPrepared(SQLiteConnection c, String sql) throws SQLException {
            super(c, sql);
        }

        @Override
        public boolean execute() throws SQLException {
            checkStamp();
            return super.execute();
        }

        @Override
        public ResultSet executeQuery() throws SQLException {
            checkStamp();
            return checkedRows(super.executeQuery());
        }

        @Override
        public ResultSet getResultSet() throws SQLException {
            return checkedRows(super.getResultSet());
        }
    }

    /** Checks the stamp; skipped only while the driver's constructor applies the settings, right after {@link #open} checked it. */
    private void checkStamp() throws SQLException {
        if (stamp != null) {
            stamp.check();
        }
    }

    private ResultSet checkedRows(ResultSet rows) {
        if (rows == null || Proxy.isProxyClass(rows.getClass())) {
            return rows;
        }
        return (ResultSet) Proxy.newProxyInstance(ResultSet.class.getClassLoader(), new Class<?>[] {ResultSet.class}, new RowCheck(rows));
    }

    /** Checks the stamp after every {@code next()}, before its row is handed out. */
    private final class RowCheck implements InvocationHandler {
        private final ResultSet rows;

        RowCheck(ResultSet rows) {
            this.rows = rows;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object out;
            try {
                out = method.invoke(rows, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (method.getName().equals("next") && method.getParameterCount() == 0) {
                checkStamp();
            }
            return out;
        }
    }
}
