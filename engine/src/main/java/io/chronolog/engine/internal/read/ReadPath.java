package io.chronolog.engine.internal.read;

import io.chronolog.engine.ChronologException;
import io.chronolog.engine.DatabaseClosedException;
import io.chronolog.engine.Options;
import io.chronolog.engine.ReadersBusyException;
import io.chronolog.engine.ResultTooLargeException;
import io.chronolog.engine.RowConsumer;
import io.chronolog.engine.Rows;
import io.chronolog.engine.SqlException;
import io.chronolog.engine.Statement;
import io.chronolog.engine.StatementTimeoutException;
import io.chronolog.engine.internal.live.ReaderPool;
import io.chronolog.engine.internal.live.StatementCache;
import io.chronolog.engine.internal.sql.Parameters;
import io.chronolog.engine.internal.sql.RowStream;
import io.chronolog.engine.internal.sql.StatementAnalysis;
import io.chronolog.engine.internal.sql.StatementDeadline;
import io.chronolog.engine.internal.sql.StatementPolicy;
import io.chronolog.engine.internal.sql.StatementRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The read path: decides which requests run on the reader pool rather than through the writer
 * (SQLite's read-only flag, per SQL text), and runs reads there, each within the statement time
 * limit and the result limits, checked by the read policy. Never takes the writer lock.
 * Thread-safe: its caches are concurrent, and each read holds one reader connection.
 */
public final class ReadPath {
    private final String name;
    private final Options options;
    private final ReaderPool readers;
    /** How often the schema has changed, or -1 when another process may change it (nothing is then remembered). */
    private final LongSupplier schemaChanges;
    /** Analyses of reads per SQL text, valid while the schema has changed {@link #readAnalysesGeneration} times. */
    private final Map<String, StatementAnalysis> readAnalyses = new ConcurrentHashMap<>();
    private volatile long readAnalysesGeneration = -1;
    /** SQLite's read-only flag per SQL text, for {@link #runsOnReader}. */
    private final Map<String, Boolean> readOnlyTexts = new ConcurrentHashMap<>();

    public ReadPath(String name, Options options, ReaderPool readers, LongSupplier schemaChanges) {
        this.name = name;
        this.options = options;
        this.readers = readers;
        this.schemaChanges = schemaChanges;
    }

    /**
     * Runs plain reads on one reader, in one read transaction when there are several, and returns
     * their rows within the result limits; {@code what} names the read in errors ("query", "read").
     */
    public List<Rows> readAll(List<Statement> statements, String what) {
        List<RowStream.Capped> gathered = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            gathered.add(new RowStream.Capped(options));
        }
        read(statements, List.copyOf(gathered), what);
        List<Rows> out = new ArrayList<>(statements.size());
        for (RowStream.Capped g : gathered) {
            out.add(g.rows());
        }
        return out;
    }

    /** Runs one read and hands its rows to {@code consumer} one at a time; returns how many there were. */
    public long query(Statement statement, RowConsumer consumer) {
        long[] rows = new long[1];
        RowConsumer counting = new RowConsumer() {
            @Override
            public void columns(List<String> names) {
                consumer.columns(names);
            }

            @Override
            public void row(io.chronolog.engine.Row row) {
                rows[0]++;
                consumer.row(row);
            }
        };
        read(List.of(statement), List.of(counting), "query");
        return rows[0];
    }

    /**
     * Whether statements run on the reader pool rather than through the writer (and its lock): the
     * one place that decides, from SQLite's read-only flag for each (analysed on a reader, and kept
     * per SQL text: whether a text can write does not change with the schema). A text SQLite cannot
     * compile there goes to the writer, which reports its error.
     */
    public boolean runsOnReader(List<Statement> statements) {
        for (Statement st : statements) {
            Boolean readOnly = readOnlyTexts.get(st.sql());
            if (readOnly == null) {
                readOnly = analyseOnReader(st);
                if (readOnly == null) {
                    return false;
                }
                if (readOnlyTexts.size() >= 4096) {
                    readOnlyTexts.clear();
                }
                readOnlyTexts.put(st.sql(), readOnly);
            }
            if (!readOnly) {
                return false;
            }
        }
        return true;
    }

    /** SQLite's read-only flag for {@code st}, or null when it does not compile as one statement on a reader. */
    private Boolean analyseOnReader(Statement st) {
        Connection c = borrowReader();
        try (StatementAnalysis.Analyzer analyzer = new StatementAnalysis.Analyzer(c)) {
            StatementAnalysis a = analyzer.analyze(st.sql(), StatementAnalysis.Mode.READ);
            return a.compiled() && !a.more() ? StatementPolicy.isPlainRead(a) : null;
        } catch (SQLException e) {
            return null;
        } finally {
            readers.giveBack(c);
        }
    }

    /**
     * Runs {@code statements} on one reader connection, in one read transaction when there are several,
     * each within the statement time limit, streaming statement i's rows to {@code consumers.get(i)}.
     * {@code what} names the read in errors ("query", "read").
     */
    public void read(List<Statement> statements, List<? extends RowConsumer> consumers, String what) {
        long restoresBefore = readers.restores(); // read before the connection counts as busy: a restore that interrupts it has counted
        Connection c = borrowReader();
        StatementDeadline deadline = readers.deadline(c);
        boolean transaction = statements.size() > 1;
        try {
            if (transaction) {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute("BEGIN");
                } catch (SQLException e) {
                    throw readError(e, statements.get(0), what, deadline, restoresBefore);
                }
            }
            for (int i = 0; i < statements.size(); i++) {
                Statement st = statements.get(i);
                RowConsumer consumer = consumers.get(i);
                try {
                    StatementAnalysis a = readAnalysis(c, st.sql());
                    if (!a.compiled() && !a.empty() && a.errorCode() != StatementAnalysis.AUTH) {
                        // SQLite's own failure (a restore's interrupt among them) is reported as a failed read is
                        throw new org.sqlite.SQLiteException(a.error(), org.sqlite.SQLiteErrorCode.getErrorCode(a.errorCode()));
                    }
                    StatementPolicy.checkRead(st, a);
                } catch (SQLException e) {
                    throw readError(e, st, what, deadline, restoresBefore);
                }
                StatementCache cache = readers.statements(c);
                StatementCache.Prepared prepared = null;
                boolean reusable = false;
                try {
                    prepared = cache.take(st.sql());
                    PreparedStatement ps = prepared.statement();
                    int expected = prepared.parameters();
                    if (expected != st.params().size()) {
                        reusable = true;
                        throw new SqlException("the " + what + " has " + expected + " parameter placeholders but " + st.params().size()
                                + " values were given (sql: " + StatementRunner.abbreviate(st.sql()) + ")", st, null);
                    }
                    StatementRunner.bind(ps, Parameters.view(st.params()));
                    deadline.arm();
                    try {
                        if (ps.execute()) {
                            RowStream.stream(ps.getResultSet(), consumer, deadline);
                        } else {
                            consumer.columns(List.of());
                        }
                    } finally {
                        deadline.disarm();
                    }
                    reusable = true;
                } catch (SQLException e) {
                    throw readError(e, st, what, deadline, restoresBefore);
                } catch (RowStream.TooLarge e) {
                    throw new ResultTooLargeException("database " + name + ": " + what + " refused: " + e.getMessage()
                            + "; stream it with Database.query(Statement, RowConsumer) (sql: " + StatementRunner.abbreviate(st.sql()) + ")", st);
                } finally {
                    // only a statement that ran to its end (result set closed, so reset) goes back; any other is closed
                    if (prepared != null) {
                        if (reusable) {
                            cache.giveBack(st.sql(), prepared);
                        } else {
                            StatementCache.closeQuietly(prepared.statement());
                        }
                    }
                }
            }
        } finally {
            if (transaction) {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute("ROLLBACK");
                } catch (SQLException ignored) {
                    // no transaction left open (a failed BEGIN): nothing to end
                }
            }
            readers.giveBack(c);
        }
    }

    /**
     * SQLite's analysis of a read, made on reader {@code c} or remembered from an earlier read of the
     * same text under the same schema (a writing open counts the schema's changes; a read-only open
     * remembers nothing, since another process may change it). Readers cannot write or change
     * connection state whatever the analysis says (read-only connections, PRAGMAs refused while
     * they compile), so a read that overlaps a schema change is at worst analysed against the schema
     * it started under.
     */
    private StatementAnalysis readAnalysis(Connection c, String sql) throws SQLException {
        long generation = schemaChanges.getAsLong();
        if (generation >= 0) {
            if (readAnalysesGeneration != generation) {
                readAnalyses.clear();
                readAnalysesGeneration = generation;
            }
            StatementAnalysis known = readAnalyses.get(sql);
            if (known != null) {
                return known;
            }
        }
        StatementAnalysis a;
        try (StatementAnalysis.Analyzer analyzer = new StatementAnalysis.Analyzer(c)) {
            a = analyzer.analyze(sql, StatementAnalysis.Mode.READ);
        }
        if (generation >= 0 && a.compiled() && generation == schemaChanges.getAsLong()) {
            if (readAnalyses.size() >= 4096) {
                readAnalyses.clear();
            }
            readAnalyses.put(sql, a);
        }
        return a;
    }

    /** A reader connection, waiting at most {@link Options#readerWait()} for one. */
    private Connection borrowReader() {
        try {
            Connection c = readers.borrowWithin(options.readerWait().toNanos());
            if (c == null) {
                throw new ReadersBusyException("database " + name + ": all " + readers.capacity() + " readers are busy: waited "
                        + StatementDeadline.describe(options.readerWait()) + " for one to come free (Options.readerConnections, "
                        + "Options.readerWait); retry, or raise either");
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChronologException("interrupted while waiting for a reader connection", e);
        } catch (SQLException e) {
            throw new DatabaseClosedException("database " + name + " is closed", e);
        }
    }

    /** The caller's error for a read SQLite failed: its time limit, a restore, or SQLite's own message. */
    private SqlException readError(SQLException e, Statement st, String what, StatementDeadline deadline, long restoresBefore) {
        String sql = StatementRunner.abbreviate(st.sql());
        if (deadline.fired()) {
            return new StatementTimeoutException(StatementTimeoutException.message(name, what, deadline.limit(),
                    "it changed nothing; make it cheaper or raise the limit", st), st, deadline.limit(), e);
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage().replaceFirst("^\\[SQLITE_[A-Z_]+\\]\\s*", "");
        // only a restore interrupts a reader connection
        boolean interrupted = e instanceof org.sqlite.SQLiteException se && se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_INTERRUPT;
        if (readers.restores() != restoresBefore || interrupted) {
            return new SqlException(what + " cancelled: database " + name + " was restored while it ran; run it again"
                    + " (sql: " + sql + ")", st, e);
        }
        if (message.contains("readonly") || message.contains("query_only")) {
            message = "query() is read-only; use execute() for writes: " + message;
        }
        return new SqlException(message + " (sql: " + sql + ")", st, e);
    }
}
