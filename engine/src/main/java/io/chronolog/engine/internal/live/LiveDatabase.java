package io.chronolog.engine.internal.live;

import io.chronolog.engine.internal.directory.DatabaseDirectory;

import io.chronolog.engine.Options;
import io.chronolog.engine.Statement;
import io.chronolog.engine.internal.sql.DeterministicFunctions;
import io.chronolog.engine.internal.sql.SqliteExtension;
import io.chronolog.engine.internal.sql.StatementAnalysis;
import io.chronolog.engine.internal.sql.StatementDeadline;
import io.chronolog.engine.internal.sql.StatementGuard;
import io.chronolog.engine.internal.sql.StatementRunner;

import io.chronolog.wal.Hash128;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;

/**
 * The materialised state, {@code live.sqlite3}, seen through its one write connection.
 *
 * <p>On disk: a SQLite 3 file in WAL mode, {@code synchronous=NORMAL} (the log, not SQLite, makes
 * writes durable), {@code foreign_keys=ON}, the WAL copied back only by {@link WalCheckpointer} (the
 * write connection's own automatic checkpoint is off), holding the user's tables and the engine's table
 * {@code _chronolog_meta} ({@link MetaRow}): row 0 holds the position and chain hash of the last frame
 * applied, written in the same transaction as that frame's statements.
 *
 * <p>The write connection opens through Chronolog's VFS and holds its SQLite extension
 * ({@link SqliteExtension}): a frame begins with {@code chronolog_frame_begin}, which sets SQLite's
 * clock to the frame's time and {@code last_insert_rowid()} to 0, so the first run and every replay
 * of a frame start from the same connection state; it ends with {@code chronolog_frame_end}, whose
 * digest of the changed rows replay compares.
 * Not thread-safe: it is used by one thread at a time, the one holding the {@code Writer}'s lock
 * (the caller leading the current group of writes, or an exclusive task), or by recovery before
 * the {@code Writer} exists.
 */
public final class LiveDatabase implements AutoCloseable {
    public static final String FILE_NAME = DatabaseDirectory.LIVE_FILE;

    /** Position and hash of the last frame applied; (0, ZERO) for a new file. */
    public record Applied(long position, Hash128 hash) {
    }

    private final Path file;
    private Connection connection;
    private DeterministicFunctions functions;
    private StatementRunner runner;
    private Reusable frameBegin;
    private Reusable frameEnd;
    private Reusable frameAbort;
    private Reusable refusal;
    private Reusable writeMeta;
    private java.sql.Statement control;
    private Reusable begin;
    private Reusable commit;
    private Reusable savepoint;
    private Reusable release;
    private Reusable rollbackTo;
    private Options limits;
    /** The statement time limit of the write connection, armed only by {@link #applyLimited}; null before {@link #limit}. */
    private StatementDeadline deadline;
    /** Inside {@link #applyLimited}: each statement is armed with the deadline. */
    private boolean limited;
    private boolean inTransaction;
    /**
     * Counts changes of the schema (a DDL statement, a replay, a new connection): analyses of
     * statements made before a change may be stale. Read by other threads.
     */
    private final java.util.concurrent.atomic.AtomicLong schemaChanges = new java.util.concurrent.atomic.AtomicLong();

    private LiveDatabase(Path file, Connection connection, DeterministicFunctions functions) throws SQLException {
        this.file = file;
        attach(connection, functions);
    }

    private void attach(Connection connection, DeterministicFunctions functions) throws SQLException {
        this.connection = connection;
        this.functions = functions;
        this.control = connection.createStatement();
        MetaRow.create(control);
        this.runner = new StatementRunner(connection, schemaChanges::incrementAndGet);
        schemaChanges.incrementAndGet(); // a new connection, maybe on a new file
        this.frameBegin = new Reusable(connection, "SELECT chronolog_frame_begin(?)");
        this.frameEnd = new Reusable(connection, "SELECT chronolog_frame_end(?)");
        this.frameAbort = new Reusable(connection, "SELECT chronolog_frame_abort()");
        this.refusal = new Reusable(connection, "SELECT chronolog_refusal()");
        this.writeMeta = new Reusable(connection, MetaRow.UPDATE_APPLIED);
        this.begin = new Reusable(connection, "BEGIN IMMEDIATE");
        this.commit = new Reusable(connection, "COMMIT");
        this.savepoint = new Reusable(connection, "SAVEPOINT frame");
        this.release = new Reusable(connection, "RELEASE frame");
        this.rollbackTo = new Reusable(connection, "ROLLBACK TO frame");
        this.inTransaction = false;
        if (limits != null) {
            limit(limits);
        }
    }

    /**
     * Closes the connection, runs {@code swap} (which may replace the file), and opens the file
     * again with the same settings and limits. The connection is reopened even when {@code swap}
     * fails; its failure is then thrown.
     */
    void reopenAround(FileSwap swap) throws SQLException, java.io.IOException {
        close();
        Throwable failure = null;
        try {
            swap.run();
        } catch (java.io.IOException | SQLException | RuntimeException e) {
            failure = e;
        }
        Connection c = connect(file, false);
        try {
            attach(c, DeterministicFunctions.install(c, Options.SQLITE_MAX_LENGTH));
        } catch (SQLException | RuntimeException e) {
            c.close();
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
        if (failure instanceof java.io.IOException io) {
            throw io;
        } else if (failure instanceof SQLException sql) {
            throw sql;
        } else if (failure instanceof RuntimeException r) {
            throw r;
        }
    }

    /** File work done while the live file has no connection open. */
    @FunctionalInterface
    interface FileSwap {
        void run() throws java.io.IOException, SQLException;
    }

    /** Opens (creating if missing) the live file of a database directory. */
    public static LiveDatabase open(Path directory) throws SQLException {
        return openFile(directory.resolve(FILE_NAME));
    }

    /** Opens (creating if missing) a SQLite file as a live file: the live one, or one being materialised. */
    public static LiveDatabase openFile(Path file) throws SQLException {
        Connection c = connect(file, false);
        try {
            DeterministicFunctions functions = DeterministicFunctions.install(c, Options.SQLITE_MAX_LENGTH);
            return new LiveDatabase(file, c, functions);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** A connection to a live file with the engine's fixed settings; {@code readOnly} ones refuse writes. */
    public static Connection connect(Path file, boolean readOnly) throws SQLException {
        SqliteExtension.register();
        SQLiteConfig config = SqliteExtension.config();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(10_000);
        config.setGetGeneratedKeys(false);
        Connection c = config.createConnection(readOnly ? "jdbc:sqlite:" + file
                : "jdbc:sqlite:file:" + uriPath(file) + "?vfs=" + SqliteExtension.VFS);
        try {
            SqliteExtension.load(c);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        ((SQLiteConnection) c).setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 0);
        try (java.sql.Statement s = c.createStatement()) {
            if (readOnly) {
                s.execute("PRAGMA query_only = 1");
            } else {
                // the live file's WAL is checkpointed only by WalCheckpointer, after the log is synced (its ordering rule)
                s.execute("PRAGMA wal_autocheckpoint = " + (FILE_NAME.equals(String.valueOf(file.getFileName())) ? 0 : 1000));
            }
        }
        return c;
    }

    /** A path as the path of a SQLite URI filename: '%', '?' and '#' escaped. */
    private static String uriPath(Path file) {
        return file.toAbsolutePath().toString().replace("%", "%25").replace("?", "%3f").replace("#", "%23");
    }

    /**
     * A read-only connection for users' reads: the extension's guard refuses, while a statement
     * compiles, every PRAGMA but the read-only introspection ones.
     */
    static Connection connectReader(Path file) throws SQLException {
        Connection c = connect(file, true);
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("SELECT chronolog_guard(" + StatementAnalysis.Mode.READ.code + ")");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * Sets the meta row of a materialised image that no connection has open, and leaves the file
     * in WAL mode with no {@code -wal}: one page rewritten in place, no journal and no sync (the
     * caller forces the file before anything depends on it; a crash before that leaves a temp file
     * that open deletes).
     */
    public static void writeAppliedInto(Path image, long position, Hash128 hash) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + image); java.sql.Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = OFF");
            s.execute("PRAGMA synchronous = OFF");
            MetaRow.create(s);
            MetaRow.write(c, MetaRow.APPLIED, position, hash.toBytes());
            MetaRow.forgetClose(s);
            s.execute("PRAGMA journal_mode = WAL");
        }
    }

    /** Applies the user's limits to the write connection; replay runs before this, unlimited. */
    public void limit(Options options) throws SQLException {
        this.limits = options;
        SQLiteConnection c = (SQLiteConnection) connection;
        c.setLimit(SQLiteLimits.SQLITE_LIMIT_LENGTH, options.maxRowBytes());
        functions.limitBlobs(options.maxRowBytes());
        c.setLimit(SQLiteLimits.SQLITE_LIMIT_SQL_LENGTH, options.maxSqlBytes());
        c.setLimit(SQLiteLimits.SQLITE_LIMIT_VARIABLE_NUMBER, options.maxParameters());
        deadline = StatementDeadline.install(connection, options.statementTimeout());
    }

    public Path file() {
        return file;
    }

    /** Records the content's digest at a clean close (row {@link MetaRow#CLOSED}), in its own transaction. */
    public void recordCleanClose() throws SQLException {
        Applied a = applied();
        if (a.position() == 0) {
            return;
        }
        if (MetaRow.read(connection, MetaRow.CLOSED).map(MetaRow.Entry::position).orElse(-1L) == a.position()) {
            return; // nothing changed since the record was made (a close after an open that wrote nothing)
        }
        byte[] digest = ContentDigest.of(connection);
        begin();
        try {
            MetaRow.write(connection, MetaRow.CLOSED, a.position(), digest);
            commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    /** The count of schema changes so far (see {@link #schemaChanges}); any thread may read it. */
    public long schemaChanges() {
        return schemaChanges.get();
    }

    public Connection connection() {
        return connection;
    }

    /**
     * Replaces this file's whole content with the SQLite database in {@code source}, through
     * SQLite's backup API: atomic, so a crash leaves the old or the new content, never a mix.
     */
    public void replaceWith(Path source) throws SQLException {
        int rc = ((SQLiteConnection) connection).getDatabase().restore("main", source.toString(), null);
        if (rc != 0) {
            throw new SQLException("copying " + source + " into " + file + " failed: SQLite error " + rc);
        }
    }

    public Applied applied() throws SQLException {
        return MetaRow.read(connection, MetaRow.APPLIED).filter(e -> e.position() != 0)
                .map(e -> new Applied(e.position(), Hash128.fromBytes(e.value()))).orElse(new Applied(0, Hash128.ZERO));
    }

    public void begin() throws SQLException {
        begin.get().execute();
        inTransaction = true;
    }

    public void commit() throws SQLException {
        commit.get().execute();
        inTransaction = false;
    }

    /** Rolls back the open transaction and opens a new one. */
    public void rollbackAndBegin() throws SQLException {
        renewStatements();
        control.execute("ROLLBACK");
        inTransaction = false;
        begin();
    }

    /** Rolls back the open transaction, if any; a failure to do so is attached to {@code failure}. */
    public void rollbackQuietly(Throwable failure) {
        renewStatements();
        if (!inTransaction) {
            return;
        }
        inTransaction = false;
        try {
            control.execute("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private void renewStatements() {
        for (Reusable r : new Reusable[] {frameBegin, frameEnd, frameAbort, refusal, writeMeta, begin, commit, savepoint, release, rollbackTo}) {
            r.renew();
        }
    }

    public void savepoint() throws SQLException {
        savepoint.get().execute();
    }

    public void release() throws SQLException {
        release.get().execute();
    }

    public void rollbackToSavepoint() throws SQLException {
        rollbackTo.get().execute();
        release.get().execute();
    }

    /** What a frame's statements did, and the digest of the rows they changed (see chronolog_sqlite.c). */
    public record FrameOutcome(List<StatementRunner.Outcome> outcomes, long digest) {
    }

    /**
     * Runs one frame's statements with its seed and timestamp, inside the caller's transaction:
     * SQLite's clock reads the frame's time, {@code last_insert_rowid()} starts at 0, and every
     * changed row is recorded for the frame's digest. A {@link StatementRunner.Purpose#CHECKED}
     * frame is refused when COMMIT would fail (deferred foreign keys) or when SQLite chose a rowid
     * at random. Stops at the first failing statement with a {@link FrameStatementException}
     * naming it.
     *
     * @throws RefusedStatementException a statement the policy refuses: nothing of it ran
     */
    public FrameOutcome apply(long seed, long timestamp, List<Statement> statements, StatementRunner.Purpose purpose)
            throws FrameStatementException, SQLException {
        PreparedStatement b = frameBegin.get();
        b.setLong(1, timestamp);
        b.executeQuery().close();
        functions.begin(seed);
        boolean ended = false;
        try {
            List<StatementRunner.Outcome> outcomes = new java.util.ArrayList<>(statements.size());
            for (int i = 0; i < statements.size(); i++) {
                try {
                    if (limited) {
                        deadline.arm();
                    }
                    outcomes.add(runner.run(statements.get(i), purpose));
                } catch (SQLException e) {
                    throw new FrameStatementException(i, refusedBecause(e));
                }
            }
            PreparedStatement end = frameEnd.get();
            end.setInt(1, purpose == StatementRunner.Purpose.CHECKED ? 1 : 0);
            long digest;
            try (ResultSet rs = end.executeQuery()) {
                ended = true;
                rs.next();
                digest = java.nio.ByteBuffer.wrap(rs.getBytes(1)).getLong();
            } catch (SQLException e) {
                ended = true;
                throw new FrameStatementException(statements.size() - 1, e);
            }
            return new FrameOutcome(outcomes, digest);
        } finally {
            functions.end();
            if (!ended) {
                try (ResultSet rs = frameAbort.get().executeQuery()) {
                    rs.next();
                }
            }
        }
    }

    /** A statement's failure, said plainly when the extension refused what replay cannot repeat. */
    private SQLException refusedBecause(SQLException e) {
        try (ResultSet rs = refusal.get().executeQuery()) {
            if (rs.next() && "localtime".equals(rs.getString(1))) {
                return new SQLException("'localtime' and 'utc' are refused in writes: they depend on the machine's time zone, "
                        + "which replay may not share; store UTC and convert when reading", e.getSQLState(), e.getErrorCode(), e);
            }
        } catch (SQLException ignored) {
            // the original failure is the one to report
        }
        return e;
    }

    /** Forgets every prepared user statement: after a replay, before checked writes run again. */
    public void forgetPrepared() {
        schemaChanges.incrementAndGet();
        runner.dropCache();
    }

    /**
     * {@link #apply} for a write's first run: each statement within {@link Options#statementTimeout()}
     * and its rows within the result limits. Replay calls {@link #apply} directly, never limited: a
     * logged frame always replays.
     */
    public FrameOutcome applyLimited(long seed, long timestamp, List<Statement> statements)
            throws FrameStatementException, SQLException {
        if (deadline == null) {
            return apply(seed, timestamp, statements, StatementRunner.Purpose.CHECKED);
        }
        limited = true;
        runner.limitResults(limits);
        try {
            return apply(seed, timestamp, statements, StatementRunner.Purpose.CHECKED);
        } finally {
            limited = false;
            deadline.disarm();
            runner.limitResults(null);
        }
    }

    /** Whether the last {@link #applyLimited} was stopped by the statement time limit. */
    public boolean timedOut() {
        return deadline != null && deadline.fired();
    }

    /** The statement time limit; null before {@link #limit}. */
    public java.time.Duration timeLimit() {
        return deadline == null ? null : deadline.limit();
    }

    /**
     * Whether the transaction is still open. SQLite rolls back the whole transaction when it stops a
     * statement that writes (a time limit, {@code SQLITE_INTERRUPT}); a read stopped so leaves it
     * open. Probed with {@code BEGIN}, which fails inside a transaction; when it succeeds the
     * transaction it opened is rolled back and none is open.
     */
    public boolean transactionActive() throws SQLException {
        try {
            control.execute("BEGIN");
        } catch (SQLException inside) {
            return true;
        }
        renewStatements();
        control.execute("ROLLBACK");
        inTransaction = false;
        return false;
    }

    public void writeApplied(long position, Hash128 hash) throws SQLException {
        PreparedStatement ps = writeMeta.get();
        ps.setLong(1, position);
        ps.setBytes(2, hash.toBytes());
        ps.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
        SQLException failure = null;
        try (ResultSet rs = control.executeQuery("SELECT chronolog_release()")) {
            rs.next(); // the statements the frame digest keeps prepared: finalized before the connection closes
        } catch (SQLException e) {
            failure = e;
        }
        for (AutoCloseable c : new AutoCloseable[] {frameBegin, frameEnd, frameAbort, refusal, writeMeta, begin, commit, savepoint, release, rollbackTo, runner, control,
                functions, connection}) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof SQLException s ? s : new SQLException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * One of the engine's own prepared statements. The driver may finalise a prepared statement
     * when a transaction fails (a full disk at {@code COMMIT}, say) without marking it closed, so
     * after every rollback each is prepared again: the connection stays usable after such a failure.
     */
    private static final class Reusable implements AutoCloseable {
        private final Connection connection;
        private final String sql;
        private PreparedStatement statement;
        private boolean stale;

        Reusable(Connection connection, String sql) throws SQLException {
            this.connection = connection;
            this.sql = sql;
            this.statement = connection.prepareStatement(sql);
        }

        PreparedStatement get() throws SQLException {
            if (stale || statement.isClosed()) {
                try {
                    statement.close();
                } catch (SQLException ignored) {
                    // it is replaced either way
                }
                statement = connection.prepareStatement(sql);
                stale = false;
            }
            return statement;
        }

        /** After a failed transaction the driver may have finalised the statement without marking it closed. */
        void renew() {
            stale = true;
        }

        @Override
        public void close() throws SQLException {
            statement.close();
        }
    }

    /** The statement at {@link #index} of a frame failed. */
    public static final class FrameStatementException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int index;

        public FrameStatementException(int index, SQLException cause) {
            super(cause.getMessage(), cause);
            this.index = index;
        }

        public int index() {
            return index;
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
