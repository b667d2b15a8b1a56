package io.chronolog.engine.internal.sql;

import io.chronolog.engine.Options;
import io.chronolog.engine.RefusedStatementException;
import io.chronolog.engine.Row;
import io.chronolog.engine.Rows;
import io.chronolog.engine.Statement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConnection;

/**
 * Runs one statement on a SQLite connection and reports what it did: the rows it returned, the rows
 * it changed and the last inserted row id. The same code runs a write the first time and on replay,
 * so both see the same effects. Not thread-safe: one per connection.
 */
public final class StatementRunner implements AutoCloseable {

    /** What one statement did; {@code readOnly} is SQLite's verdict that it could not have written. */
    public record Outcome(Rows rows, long changes, long lastRowId, boolean readOnly) {
    }

    /** Whether statements are a user's, checked by {@link StatementPolicy} before they first run, or logged ones being replayed. */
    public enum Purpose { CHECKED, REPLAY }

    /** Prepared statements kept per SQL text; SQLite re-prepares them itself after a schema change. */
    private static final int CACHED_STATEMENTS = 64;

    private final Connection connection;
    private final PreparedStatement lastRowId;
    private final Map<String, Prepared> cache = new LinkedHashMap<>(CACHED_STATEMENTS * 2, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Prepared> eldest) {
            if (size() <= CACHED_STATEMENTS) {
                return false;
            }
            closeQuietly(eldest.getValue().statement());
            return true;
        }
    };

    /**
     * A cached statement, its number of parameter placeholders, and SQLite's analysis of it (null
     * for one prepared for replay), read once when prepared.
     */
    private record Prepared(PreparedStatement statement, int parameters, StatementAnalysis analysis) {
    }

    private final StatementAnalysis.Analyzer analyzer;
    /** When set (a first run), results are gathered within its result limits; replay reads them unlimited. */
    private Options resultLimits;

    /** Told, before the transaction commits, of every checked statement that changed the schema. */
    private final Runnable schemaChanged;

    public StatementRunner(Connection connection, Runnable schemaChanged) throws SQLException {
        this.connection = connection;
        this.schemaChanged = schemaChanged;
        this.lastRowId = connection.prepareStatement("SELECT last_insert_rowid()");
        this.analyzer = new StatementAnalysis.Analyzer(connection);
    }

    /**
     * Runs one statement. A {@link Purpose#CHECKED} statement is first analysed by SQLite and
     * checked by {@link StatementPolicy}; a refusal ({@link RefusedStatementException}) happens
     * before it runs. After a statement that changed the schema every cached statement is dropped,
     * so none runs with a compilation (and an analysis) of the old schema.
     */
    public Outcome run(Statement st, Purpose purpose) throws SQLException {
        long totalBefore = totalChanges();
        Rows rows;
        Prepared prepared = cache.get(st.sql());
        if (prepared != null && purpose == Purpose.CHECKED && prepared.analysis() == null) {
            cache.remove(st.sql());
            closeQuietly(prepared.statement());
            prepared = null;
        }
        if (prepared == null) {
            StatementAnalysis analysis = null;
            if (purpose == Purpose.CHECKED) {
                analysis = analyzer.analyze(st.sql(), StatementAnalysis.Mode.WRITE);
                if (!analysis.compiled() && !analysis.empty() && analysis.errorCode() != StatementAnalysis.AUTH) {
                    throw new SQLException(analysis.error()); // SQLite's own error, reported as any failed statement is
                }
                StatementPolicy.checkWrite(st, analysis);
            }
            PreparedStatement fresh = connection.prepareStatement(st.sql());
            prepared = new Prepared(fresh, fresh.getParameterMetaData().getParameterCount(), analysis);
            cache.put(st.sql(), prepared);
        }
        PreparedStatement ps = prepared.statement();
        int expected = prepared.parameters();
        if (expected != st.params().size()) {
            throw new SQLException("the statement has " + expected + " parameter placeholder" + (expected == 1 ? "" : "s")
                    + " but " + st.params().size() + " value" + (st.params().size() == 1 ? " was" : "s were") + " given");
        }
        bind(ps, Parameters.view(st.params())); // every placeholder is bound again: nothing of the last run remains
        try {
            rows = ps.execute() ? (resultLimits == null ? readAll(ps.getResultSet()) : readCapped(ps.getResultSet())) : Rows.empty();
        } catch (SQLException e) {
            cache.remove(st.sql());
            closeQuietly(ps);
            throw e;
        }
        long changes = totalChanges() - totalBefore > 0 ? ((SQLiteConnection) connection).getDatabase().changes() : 0;
        long rowId;
        try (ResultSet rs = lastRowId.executeQuery()) {
            rs.next();
            rowId = rs.getLong(1);
        }
        StatementAnalysis analysis = prepared.analysis();
        boolean readOnly = analysis != null && analysis.readOnly();
        if (analysis != null) {
            checkNewTriggers(st, analysis);
        }
        if (analysis != null && analysis.changesSchema()) {
            schemaChanged.run();
            dropCache();
        }
        return new Outcome(rows, changes, rowId, readOnly);
    }

    /**
     * A trigger's body is compiled only into the statements that fire it, so a new trigger is
     * checked by analysing (never running) an INSERT, UPDATE of every column and DELETE of its
     * table, inside the transaction that created it: a body the policy refuses fails the write
     * that creates it, not every later write to its table.
     */
    private void checkNewTriggers(Statement st, StatementAnalysis analysis) throws SQLException {
        for (StatementAnalysis.Action a : analysis.actions()) {
            if (a.code() != StatementAnalysis.CREATE_TRIGGER || a.arg2() == null) {
                continue;
            }
            String table = "\"" + a.arg2().replace("\"", "\"\"") + "\"";
            List<String> columns = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement("SELECT name FROM pragma_table_xinfo(?)")) {
                ps.setString(1, a.arg2());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        columns.add("\"" + rs.getString(1).replace("\"", "\"\"") + "\"");
                    }
                }
            }
            List<String> probes = new ArrayList<>(List.of("INSERT INTO " + table + " DEFAULT VALUES", "DELETE FROM " + table));
            if (!columns.isEmpty()) {
                probes.add("UPDATE " + table + " SET " + String.join(", ", columns.stream().map(c -> c + " = " + c).toList()));
            }
            for (String probe : probes) {
                StatementAnalysis p = analyzer.analyze(probe, StatementAnalysis.Mode.WRITE);
                if (p.compiled()) {
                    try {
                        StatementPolicy.checkWrite(Statement.of(probe), p);
                    } catch (RefusedStatementException e) {
                        throw new RefusedStatementException("statement refused: the body of trigger " + a.arg1() + " is refused: "
                                + e.getMessage().replaceFirst("^statement refused: ", "").replaceFirst(" \\(sql: .*\\)$", "")
                                + " (sql: " + abbreviate(st.sql()) + ")", st);
                    }
                }
            }
        }
    }

    /** Sets the result limits of the statements run next ({@link Options#maxResultRows()}, ...); null: unlimited. */
    public void limitResults(Options limits) {
        resultLimits = limits;
    }

    private Rows readCapped(ResultSet rs) throws SQLException {
        RowStream.Capped capped = new RowStream.Capped(resultLimits);
        try {
            RowStream.stream(rs, capped, null);
        } catch (RowStream.TooLarge e) {
            throw new SQLException(e.getMessage() + ": nothing was applied; a read this large streams with Database.query(Statement, RowConsumer)");
        }
        return capped.rows();
    }

    long totalChanges() throws SQLException {
        return ((SQLiteConnection) connection).getDatabase().total_changes();
    }

    public static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (p instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (p instanceof Double d) {
                ps.setDouble(i + 1, d);
            } else if (p instanceof String s) {
                ps.setString(i + 1, s);
            } else {
                ps.setBytes(i + 1, (byte[]) p);
            }
        }
    }

    static Rows readAll(ResultSet rs) throws SQLException {
        try (rs) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            List<String> columns = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                columns.add(md.getColumnLabel(i));
            }
            List<Row> rows = new ArrayList<>();
            while (rs.next()) {
                Object[] values = new Object[n];
                for (int i = 0; i < n; i++) {
                    Object v = rs.getObject(i + 1);
                    values[i] = v instanceof Integer x ? Long.valueOf(x) : v instanceof Float f ? Double.valueOf(f) : v;
                }
                rows.add(new Row(columns, values));
            }
            return new Rows(columns, rows);
        }
    }

    public static String abbreviate(String sql) {
        String flat = sql.strip().replaceAll("\\s+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException ignored) {
            // closing a cached statement: nothing to recover
        }
    }

    /** Closes every cached statement. */
    public void dropCache() {
        for (Prepared p : cache.values()) {
            closeQuietly(p.statement());
        }
        cache.clear();
    }

    @Override
    public void close() throws SQLException {
        dropCache();
        analyzer.close();
        lastRowId.close();
    }
}
