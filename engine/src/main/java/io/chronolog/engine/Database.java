package io.chronolog.engine;

import io.chronolog.engine.internal.clock.EngineClock;
import io.chronolog.engine.internal.directory.DatabaseDirectory;
import io.chronolog.engine.internal.directory.LockFile;
import io.chronolog.engine.internal.history.Checkpointer;
import io.chronolog.engine.internal.history.Checkpoints;
import io.chronolog.engine.internal.history.Restorer;
import io.chronolog.engine.internal.history.Verifier;
import io.chronolog.engine.internal.live.LiveDatabase;
import io.chronolog.engine.internal.live.LiveFileGate;
import io.chronolog.engine.internal.live.LiveFileRepair;
import io.chronolog.engine.internal.live.LiveFileSwap;
import io.chronolog.engine.internal.live.ReadOnlyView;
import io.chronolog.engine.internal.live.ReaderPool;
import io.chronolog.engine.internal.live.WalCheckpointer;
import io.chronolog.engine.internal.log.Frames;
import io.chronolog.engine.internal.log.RestoreMarker;
import io.chronolog.engine.internal.metrics.EngineMetrics;
import io.chronolog.engine.internal.sql.RowStream;
import io.chronolog.engine.internal.sql.StatementAnalysis;
import io.chronolog.engine.internal.sql.StatementDeadline;
import io.chronolog.engine.internal.sql.StatementGuard;
import io.chronolog.engine.internal.sql.StatementPolicy;
import io.chronolog.engine.internal.sql.StatementRunner;
import io.chronolog.engine.internal.write.Recovery;
import io.chronolog.engine.internal.write.Writer;

import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CheckpointStore;
import io.chronolog.wal.CorruptFrameException;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameKind;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.Hash128;
import io.chronolog.wal.LogOptions;
import io.chronolog.wal.MonotonicClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One open Chronolog database: a SQLite database whose every write is a frame in a hash-chained log.
 *
 * <p>On disk, under its directory (named after the database): {@code live.sqlite3} (the state),
 * {@code wal/} (the log, docs/FORMAT.md) and {@code LOCK}. Opening takes the lock, verifies the
 * log's chain, cuts a torn tail back to the last whole frame, checks the live file (a damaged one
 * is kept aside and rebuilt, see {@link LiveFileRepair}) and replays into it every frame it has not
 * applied (rebuilding it from the log if it is missing).
 *
 * <p>Thread-safe. Writes from any thread go to one writer thread and return once their frame is as
 * durable as {@link Options#durability()} promises; reads run on their own connections and never
 * wait for writes. Invariant: every acknowledged write has a frame in the log, and the live file
 * never holds a write the log does not.
 */
public final class Database implements AutoCloseable {
    public static final String WAL_DIRECTORY = "wal";
    public static final String CHECKPOINT_DIRECTORY = "checkpoints";

    private final String name;
    private final Path directory;
    private final Options options;
    /** The engine's time: the wall clock checked against elapsed monotonic time (retention, backups, frames). */
    private final EngineClock engineTime;
    private final LockFile lock;
    private final FrameLog log;
    private final LiveDatabase live;
    private final Writer writer;
    private final ReaderPool readers;
    private final LiveFileGate gate;
    private final LiveFileSwap swap;
    private final StatementGuard guard;
    /** Analyses of reads per SQL text, valid while the schema has changed {@link #readAnalysesGeneration} times. */
    private final java.util.Map<String, StatementAnalysis> readAnalyses = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long readAnalysesGeneration = -1;
    /** SQLite's read-only flag per SQL text, for {@link #runsOnReader}. */
    private final java.util.Map<String, Boolean> readOnlyTexts = new java.util.concurrent.ConcurrentHashMap<>();
    private final long replayedAtOpen;
    private final CheckpointStore store;
    private final Checkpoints checkpoints;
    private final Restorer restorer;
    private final Checkpointer checkpointer;
    private final EngineMetrics metrics;
    private final ScheduledExecutorService background;
    private final WalCheckpointer walCheckpointer;
    private final Backups backups;
    private volatile long lastCheckpointMillis;
    private volatile long lastPruneMillis;
    private volatile boolean closed;

    private final Path liveFile;
    private final ReadOnlyView view;

    private Database(String name, Path directory, Options options, EngineClock time, LockFile lock, FrameLog log,
            LiveDatabase live, Writer writer, long replayedAtOpen, CheckpointStore store, EngineMetrics metrics, LiveFileGate gate) {
        this(name, directory, options, time, lock, log, live, writer, replayedAtOpen, store, metrics, gate, null);
    }

    private Database(String name, Path directory, Options options, EngineClock time, LockFile lock, FrameLog log,
            LiveDatabase live, Writer writer, long replayedAtOpen, CheckpointStore store, EngineMetrics metrics,
            LiveFileGate gate, ReadOnlyView view) {
        this.engineTime = time;
        this.view = view;
        this.liveFile = directory.resolve(LiveDatabase.FILE_NAME);
        this.name = name;
        this.directory = directory;
        this.options = options;
        this.lock = lock;
        this.log = log;
        this.live = live;
        this.writer = writer;
        this.replayedAtOpen = replayedAtOpen;
        this.gate = gate;
        this.readers = view == null ? new ReaderPool(liveFile, gate, options)
                : new ReaderPool(liveFile, gate, options, view::connect);
        this.swap = new LiveFileSwap(liveFile, gate, readers);
        this.guard = new StatementGuard(options);
        this.store = store;
        this.checkpoints = new Checkpoints(store);
        this.restorer = new Restorer(name, view == null ? directory : view.scratch(), log, checkpoints);
        this.metrics = metrics;
        this.checkpointer = writer == null ? null : new Checkpointer(liveFile, gate, log, checkpoints, writer, metrics);
        this.lastCheckpointMillis = time.millis();
        this.backups = new Backups(this, store, checkpointer, restorer, options, time);
        this.walCheckpointer = writer == null ? null : new WalCheckpointer(name, readers, metrics,
                options.durability() == Durability.SYNC ? null : writer::afterLogSync, log, live::connection);
        if (writer != null) {
            writer.afterCommit(walCheckpointer::committed);
        }
        if (options.background() && writer != null) {
            background = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "chronolog-background-" + name);
                t.setDaemon(true);
                return t;
            });
            background.scheduleWithFixedDelay(this::backgroundWork, 1, 1, TimeUnit.SECONDS);
        } else {
            background = null;
        }
    }

    /** Opens the database in {@code directory} with default options, creating it if it does not exist. */
    public static Database open(Path directory) {
        return open(directory, Options.defaults());
    }

    /**
     * Opens the database in {@code directory}, creating it if it does not exist. The directory's
     * name is the database's name and must match {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}.
     *
     * @throws InvalidNameException    the directory's name is not a valid database name
     * @throws DatabaseInUseException  another process, or another open here, holds the database
     * @throws CorruptionException     the log or the live file is damaged in a way open cannot repair
     */
    public static Database open(Path directory, Options options) {
        Path dir = directory.toAbsolutePath().normalize();
        String name = InvalidNameException.check(dir.getFileName() == null ? "" : dir.getFileName().toString());
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            DatabaseDirectory.prepareForWriting(dir);
            LockFile lock = LockFile.acquire(dir, name);
            opened.add(lock);
            DatabaseDirectory.makePrivate(dir, name);
            Restorer.deleteLeftovers(dir);
            CheckpointStore store = CheckpointStore.open(dir.resolve(CHECKPOINT_DIRECTORY));
            opened.add(0, store);
            EngineClock time = new EngineClock(options, name);
            AtomicReference<MonotonicClock> clock = new AtomicReference<>(new MonotonicClock(time, 0));
            Path walDir = dir.resolve(WAL_DIRECTORY);
            FrameLog log;
            try {
                log = FrameLog.open(walDir, LogOptions.defaults(() -> clock.get().millis()));
            } catch (CorruptFrameException e) {
                throw new CorruptionException("database " + name + ": the log is damaged: " + e.getMessage(),
                        walDir, e.position(), e);
            }
            opened.add(0, log);
            clock.set(new MonotonicClock(time, log.lastTimestamp()));
            Writer.Position base = new Writer.Position(0, 0, 0);
            Bookmark latest = Frames.bookmark(0, 0, 0, Hash128.ZERO);
            if (log.lastPosition() > 0) {
                Frame last = log.read(log.lastPosition());
                base = new Writer.Position(last.epoch(), last.checkpoint(), last.position() - last.offset());
                latest = Frames.bookmark(last);
            }
            Recovery.dropUncommittedCheckpoints(store, base.checkpoint());
            Restorer restorer = new Restorer(name, dir, log, new Checkpoints(store));
            Optional<String> damage = LiveFileRepair.problem(dir.resolve(LiveDatabase.FILE_NAME));
            if (damage.isEmpty() && log.lastPosition() > 0 && LiveFileRepair.holdsNothing(dir.resolve(LiveDatabase.FILE_NAME))) {
                // replay from frame 1 is impossible once the log is pruned: start from a checkpoint
                damage = Optional.of("missing or empty while the log holds frames " + log.firstPosition() + ".." + log.lastPosition());
            }
            if (damage.isEmpty() && log.cutAfterFailedSync().isPresent()) {
                // ASYNC: the live file may hold frames after the last good sync, which the log has just cut back
                long applied = LiveFileRepair.appliedPosition(dir.resolve(LiveDatabase.FILE_NAME));
                if (applied > log.lastPosition()) {
                    damage = Optional.of("it holds frames up to " + applied + " but a sync of the log failed after frame "
                            + log.lastPosition() + ", and the frames after it were cut back (never made durable)");
                }
            }
            long rebuilt = 0;
            if (damage.isPresent()) {
                boolean existed = Files.exists(dir.resolve(LiveDatabase.FILE_NAME), java.nio.file.LinkOption.NOFOLLOW_LINKS);
                LiveFileRepair.Rebuilt r = LiveFileRepair.rebuild(dir, log, restorer, time.millis());
                Path aside = r.aside();
                rebuilt = r.framesReplayed();
                System.getLogger(Database.class.getName()).log(System.Logger.Level.WARNING, "database " + name + ": "
                        + LiveDatabase.FILE_NAME + (existed ? " was damaged (" + damage.get() + "): kept as " + aside.getFileName()
                                : " was missing") + "; rebuilt from the checkpoints and the log");
            }
            LiveDatabase live = LiveDatabase.open(dir);
            opened.add(0, live);
            long replayed = rebuilt;
            ChronologException stuck = null;
            try {
                replayed += Recovery.recover(name, log, walDir, live, restorer::load);
            } catch (ReplayDivergenceException e) {
                stuck = unappliable(name, log, live, e);
                System.getLogger(Database.class.getName()).log(System.Logger.Level.WARNING, stuck.getMessage());
            }
            live.limit(options);
            EngineMetrics metrics = new EngineMetrics(options.meterRegistry(), name);
            metrics.framesReplayed.increment(replayed);
            Writer writer = new Writer(name, live, log, clock.get(), options, metrics, base, latest, restorer::load);
            if (stuck != null) {
                writer.stuck(stuck);
            }
            return new Database(name, dir, options, time, lock, log, live, writer, replayed, store, metrics,
                    LiveFileGate.forWriter(dir));
        } catch (IOException e) {
            closeAll(opened, e);
            throw DiskFullException.of("database " + name + ": cannot open " + dir + ": " + e, e);
        } catch (SQLException e) {
            closeAll(opened, e);
            if (DiskFullException.isDiskFull(e)) {
                throw new DiskFullException("database " + name + ": cannot open " + dir + ": the disk is full, so "
                        + LiveDatabase.FILE_NAME + " cannot take the frames the log holds beyond it (" + e.getMessage()
                        + "); nothing is lost: free space and open it again", e);
            }
            throw new CorruptionException("database " + name + ": cannot open " + dir.resolve(LiveDatabase.FILE_NAME)
                    + ": " + e.getMessage(), dir.resolve(LiveDatabase.FILE_NAME), 0, e);
        } catch (RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /**
     * The error for a logged frame the live file cannot take at open: the database opens for reads
     * at the last frame it applied, and the error names the restore that makes it writable again.
     */
    private static ChronologException unappliable(String name, FrameLog log, LiveDatabase live, ReplayDivergenceException e)
            throws IOException, SQLException {
        long bad = e.position();
        long applied = live.applied().position();
        String restore = bad > 1
                ? "restore to the frame before it (chronolog time-travel restore " + name + " --bookmark "
                        + Frames.bookmark(log.read(bad - 1)) + "); the frames from " + bad + " on stay in the history"
                : "restore to an earlier bookmark";
        return new ChronologException("database " + name + ": logged frame " + bad + " cannot be applied to "
                + LiveDatabase.FILE_NAME + ": " + e.getMessage() + "; the database is open for reads at frame " + applied
                + " and refuses writes until you " + restore, e);
    }

    /**
     * Opens an existing database for reading only, beside a process that may hold it for writing:
     * takes no lock, writes no file, repairs nothing. Queries, bookmarks, the log, history, plans,
     * exports, backups' list and download, and verify work; anything that writes throws
     * {@link ReadOnlyException}. The view is the state when opened; reopen to see later writes.
     *
     * @throws InvalidNameException the directory's name is not a valid database name
     * @throws ChronologException   there is no database in {@code directory}
     */
    public static Database openReadOnly(Path directory, Options options) {
        Path dir = directory.toAbsolutePath().normalize();
        String name = InvalidNameException.check(dir.getFileName() == null ? "" : dir.getFileName().toString());
        Path walDir = dir.resolve(WAL_DIRECTORY);
        if (!Files.isDirectory(walDir) || !Files.exists(dir.resolve(LiveDatabase.FILE_NAME))) {
            throw new ChronologException("no database " + name + " at " + dir);
        }
        List<AutoCloseable> opened = new ArrayList<>();
        EngineClock time = new EngineClock(options, name);
        try {
            DatabaseDirectory.refuseLinks(dir);
            // the log first: every checkpoint a frame of it names was stored before that frame
            FrameLog log;
            try {
                MonotonicClock clock = new MonotonicClock(time, 0);
                log = FrameLog.openReadOnly(walDir, LogOptions.defaults(clock::millis));
            } catch (CorruptFrameException e) {
                throw new CorruptionException("database " + name + ": the log is damaged: " + e.getMessage(), walDir, e.position(), e);
            }
            opened.add(log);
            CheckpointStore store = CheckpointStore.openReadOnly(dir.resolve(CHECKPOINT_DIRECTORY));
            opened.add(0, store);
            EngineMetrics metrics = new EngineMetrics(options.meterRegistry(), name);
            ReadOnlyView view = ReadOnlyView.open(dir.resolve(LiveDatabase.FILE_NAME), name);
            opened.add(0, view);
            return new Database(name, dir, options.toBuilder().background(false).build(), time, null, log, null, null, 0, store, metrics,
                    LiveFileGate.forReadOnly(dir), view);
        } catch (IOException e) {
            closeAll(opened, e);
            throw new ChronologException("database " + name + ": cannot open " + dir + " read-only: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /** Whether this instance was opened with {@link #openReadOnly}. */
    public boolean readOnly() {
        return writer == null;
    }

    void requireWritable(String what) {
        if (writer == null) {
            throw new ReadOnlyException("database " + name + " is open read-only: " + what + " needs Database.open");
        }
    }

    /** The checkpoint new frames count from: the writer's, or the last frame's when read-only. */
    private long currentCheckpoint() {
        if (writer != null) {
            return writer.base().checkpoint();
        }
        return log.lastPosition() == 0 ? 0 : readFrame(log.lastPosition()).checkpoint();
    }

    private static void closeAll(List<AutoCloseable> opened, Throwable failure) {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** The database's name: its directory's name. */
    public String name() {
        return name;
    }

    public Path directory() {
        return directory;
    }

    public Options options() {
        return options;
    }

    /** Test seam: how a restore installs its image. */
    LiveFileSwap liveFileSwap() {
        return swap;
    }

    /** Frames replayed into the live file when this instance opened. */
    public long framesReplayedAtOpen() {
        return replayedAtOpen;
    }

    /**
     * Runs one statement as one atomic write and returns once its frame is durable. A plain read
     * (SELECT, VALUES, EXPLAIN) runs on a reader connection, as {@link #query} does, without waiting
     * for the writer; a WITH that changed nothing is answered without a frame. Results are read into
     * memory within {@link Options#maxResultRows()} and {@link Options#maxResultBytes()}; see
     * {@link #execute(Statement, RowConsumer)} to stream them.
     *
     * @throws SqlException               SQLite refused or failed it: nothing applied, nothing logged
     * @throws StatementTimeoutException  it ran past {@link Options#statementTimeout()}: nothing applied, nothing logged
     * @throws RefusedStatementException  it cannot be replayed identically, or is over a limit
     * @throws DiskFullException          the log's disk is full: nothing applied
     */
    public Result execute(String sql, Object... params) {
        return batch(List.of(Statement.of(sql, params))).get(0);
    }

    /**
     * Runs one statement as {@link #execute(String, Object...)} does, handing the rows it returns to
     * {@code consumer} instead of the {@link Result} (whose {@code rows()} is then empty). A plain read
     * streams them from a reader connection one at a time, with no limit on their number; a write's
     * rows ({@code RETURNING}, a WITH) are gathered within the result limits first, then handed over.
     */
    public Result execute(Statement statement, RowConsumer consumer) {
        checkOpen();
        guard.checkBatch(List.of(statement));
        guard.check(statement);
        if (runsOnReader(List.of(statement))) {
            Bookmark at = bookmark();
            read(List.of(statement), List.of(consumer), "read");
            return new Result(Rows.empty(), 0, 0, at);
        }
        requireWritable("writing");
        Result r = writer.write(List.of(statement)).get(0);
        consumer.columns(r.rows().columns());
        for (Row row : r.rows()) {
            consumer.row(row);
        }
        return new Result(Rows.empty(), r.changes(), r.lastRowId(), r.bookmark());
    }

    /**
     * Runs statements atomically, as one frame: all apply or none do. Results are in statement order.
     * A batch of plain reads only runs on one reader connection in one read transaction.
     */
    public List<Result> batch(List<Statement> statements) {
        checkOpen();
        guard.checkBatch(statements);
        for (Statement st : statements) {
            guard.check(st);
        }
        if (runsOnReader(statements)) {
            Bookmark at = bookmark(); // read before: the state the read sees is at least this one
            List<RowStream.Capped> gathered = new ArrayList<>(statements.size());
            for (int i = 0; i < statements.size(); i++) {
                gathered.add(new RowStream.Capped(options));
            }
            read(statements, List.copyOf(gathered), "read");
            List<Result> results = new ArrayList<>(statements.size());
            for (RowStream.Capped g : gathered) {
                results.add(new Result(g.rows(), 0, 0, at));
            }
            return results;
        }
        requireWritable("writing");
        return writer.write(statements);
    }

    /**
     * Whether statements run on the reader pool rather than through the writer (and its lock): the
     * one place that decides, from SQLite's read-only flag for each (analysed on a reader, and kept
     * per SQL text: whether a text can write does not change with the schema). A text SQLite cannot
     * compile there goes to the writer, which reports its error.
     */
    private boolean runsOnReader(List<Statement> statements) {
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
     * Runs a read on a read-only connection and returns all its rows, within
     * {@link Options#maxResultRows()} and {@link Options#maxResultBytes()} (stream larger results with
     * {@link #query(Statement, RowConsumer)}). Never waits for the writer; sees every write
     * acknowledged before the call.
     *
     * @throws StatementTimeoutException it ran past {@link Options#statementTimeout()}
     * @throws ReadersBusyException      every reader stayed busy for {@link Options#readerWait()}
     * @throws ResultTooLargeException   the result is over the limits
     */
    public Rows query(String sql, Object... params) {
        RowStream.Capped gathered = new RowStream.Capped(options);
        query(Statement.of(sql, params), gathered);
        return gathered.rows();
    }

    /**
     * Runs a read on a read-only connection and hands its rows to {@code consumer} one at a time, as
     * SQLite produces them: memory stays bounded whatever the size of the result. Returns the number
     * of rows. Never waits for the writer; sees every write acknowledged before the call. The
     * statement time limit counts SQLite's time only, not the consumer's.
     *
     * @throws StatementTimeoutException it ran past {@link Options#statementTimeout()}
     * @throws ReadersBusyException      every reader stayed busy for {@link Options#readerWait()}
     */
    public long query(Statement statement, RowConsumer consumer) {
        checkOpen();
        String sql = statement.sql();
        guard.check(statement);
        long[] rows = new long[1];
        RowConsumer counting = new RowConsumer() {
            @Override
            public void columns(List<String> names) {
                consumer.columns(names);
            }

            @Override
            public void row(Row row) {
                rows[0]++;
                consumer.row(row);
            }
        };
        read(List.of(statement), List.of(counting), "query");
        return rows[0];
    }

    /**
     * Runs {@code statements} on one reader connection, in one read transaction when there are several,
     * each within the statement time limit, streaming statement i's rows to {@code consumers.get(i)}.
     * {@code what} names the read in errors ("query", "read").
     */
    private void read(List<Statement> statements, List<? extends RowConsumer> consumers, String what) {
        checkOpen();
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
                try (PreparedStatement ps = c.prepareStatement(st.sql())) {
                    int expected = ps.getParameterMetaData().getParameterCount();
                    if (expected != st.params().size()) {
                        throw new SqlException("the " + what + " has " + expected + " parameter placeholders but " + st.params().size()
                                + " values were given (sql: " + StatementRunner.abbreviate(st.sql()) + ")", st, null);
                    }
                    StatementRunner.bind(ps, st.params());
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
                } catch (SQLException e) {
                    throw readError(e, st, what, deadline, restoresBefore);
                } catch (RowStream.TooLarge e) {
                    throw new ResultTooLargeException("database " + name + ": " + what + " refused: " + e.getMessage()
                            + "; stream it with Database.query(Statement, RowConsumer) (sql: " + StatementRunner.abbreviate(st.sql()) + ")", st);
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
        long generation = writer != null ? live.schemaChanges() : -1;
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
        if (generation >= 0 && a.compiled() && generation == live.schemaChanges()) {
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

    /** The bookmark of the latest frame: the current state. A new, empty database has {@code 00000000-00000000-00000000-0…0}. */
    public Bookmark bookmark() {
        if (writer == null) {
            return log.lastPosition() == 0 ? Frames.bookmark(0, 0, 0, Hash128.ZERO) : Frames.bookmark(readFrame(log.lastPosition()));
        }
        return writer.latest();
    }

    /**
     * The bookmark of the last frame committed at or before {@code time}. Stable: frames written
     * afterwards are stamped after {@code time}, even if the wall clock steps back before it.
     *
     * @throws BookmarkException the time is in the future, or before the database's first frame
     */
    public Bookmark bookmarkAt(Instant time) {
        checkOpen();
        long millis = time.toEpochMilli();
        long now = engineTime.millis();
        if (millis > Math.max(now, log.lastTimestamp())) {
            throw new BookmarkException("time " + time + " is in the future: the latest moment is " + Instant.ofEpochMilli(now));
        }
        long start = windowStart();
        if (millis < start) {
            throw new RetentionException("time " + time + " is before the retention window of " + options.retention().toDays()
                    + " days: the oldest restorable moment is " + Instant.ofEpochMilli(start));
        }
        // a frame stamped later at or before the time would change the answer: the writer stamps later frames after it
        long position = writer != null && millis >= log.lastTimestamp()
                ? writer.resolveTime(millis, () -> log.positionAt(millis)) : log.positionAt(millis);
        if (position == 0) {
            String first = log.lastPosition() == 0 ? "the database has no writes yet"
                    : "its first write was at " + Instant.ofEpochMilli(readFrame(log.firstPosition()).timestamp());
            throw new BookmarkException("time " + time + " is before the history of database " + name + ": " + first);
        }
        return Frames.bookmark(readFrame(position));
    }

    /**
     * The log position a bookmark names, after checking it against the log.
     *
     * @throws BookmarkException the log has no frame there, or the frame there has another epoch or hash
     */
    public long positionOf(Bookmark bookmark) {
        checkOpen();
        if (bookmark.checkpoint() == 0 && bookmark.offset() == 0) {
            if (!Frames.hash(bookmark).equals(Hash128.ZERO) || bookmark.epoch() != 0) {
                throw new BookmarkException("bookmark " + bookmark + " does not match this database: position 0 has hash "
                        + Hash128.ZERO.toHex() + " in epoch 0");
            }
            return 0;
        }
        Optional<Long> known = checkpoints.positionOf(bookmark.checkpoint());
        if (known.isEmpty()) {
            if (bookmark.checkpoint() < currentCheckpoint()) {
                throw new RetentionException("bookmark " + bookmark + " names checkpoint " + bookmark.checkpoint()
                        + ", which this database no longer keeps: it is older than the retention window of "
                        + options.retention().toDays() + " days");
            }
            throw new BookmarkException("bookmark " + bookmark + " names checkpoint " + bookmark.checkpoint()
                    + ", which this database does not have");
        }
        long base = known.get();
        long position = base + bookmark.offset();
        if (position < log.firstPosition() || position > log.lastPosition()) {
            throw new BookmarkException("bookmark " + bookmark + " names frame " + position + ", which the log does not have"
                    + " (it holds frames " + log.firstPosition() + " to " + log.lastPosition() + " in " + log.directory() + ")");
        }
        Frame frame = readFrame(position);
        if (!Frames.bookmark(frame).equals(bookmark)) {
            throw new BookmarkException("bookmark " + bookmark + " does not match the log at frame " + position
                    + ": expected=" + Frames.bookmark(frame) + " actual=" + bookmark);
        }
        return position;
    }

    /** Refuses a frame older than the retention window. */
    private void checkRetained(Bookmark bookmark, long position) {
        if (position == 0) {
            return;
        }
        long start = windowStart();
        long at = readFrame(position).timestamp();
        if (at < start) {
            throw new RetentionException("bookmark " + bookmark + " is from " + Instant.ofEpochMilli(at)
                    + ", before the retention window of " + options.retention().toDays() + " days (oldest restorable moment "
                    + Instant.ofEpochMilli(start) + ")");
        }
    }

    private long windowStart() {
        return windowStart(engineTime.millis());
    }

    private long windowStart(long now) {
        return now - options.retention().toMillis();
    }

    /** The engine's time (the wall clock, or the elapsed-time estimate while the wall clock is stepped). */
    long now() {
        return engineTime.millis();
    }

    /**
     * Makes the database hold the state at {@code target} again. Writes wait meanwhile; queries in
     * flight fail with a "restored" error. Opens a new epoch; every older bookmark stays valid, and
     * restoring to {@link RestoreResult#previousBookmark()} undoes this restore.
     *
     * @throws BookmarkException  the bookmark does not match the log, or is older than the retention window
     * @throws CorruptionException no checkpoint needed to rebuild the target is readable
     */
    public RestoreResult restore(Bookmark target) {
        checkOpen();
        requireWritable("restore");
        long started = System.nanoTime();
        long position = positionOf(target);
        checkRetained(target, position);
        Path temp = restorer.tempFile();
        try {
            Restorer.Materialized state = restorer.materialize(target.epoch(), position, temp);
            return commitRestore(state, target, started, position - state.checkpointPosition());
        } catch (IOException | SQLException e) {
            throw DiskFullException.of("database " + name + ": restore to " + target + " failed: " + e.getMessage()
                    + "; the database is unchanged", e);
        } finally {
            Restorer.deleteQuietly(temp);
        }
    }

    /** Makes a materialised state current under the writer lock and records the restore's metrics. */
    RestoreResult commitRestore(Restorer.Materialized state, Bookmark target, long started, long framesReplayed)
            throws IOException, SQLException {
        Frame frame = writer.restoring(() -> restorer.commit(writer, live, state, target, readers::cancelQueries, swap));
        metrics.restoreTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        metrics.restoreFrames.record(framesReplayed);
        return new RestoreResult(Frames.bookmark(frame), RestoreMarker.decode(frame.payload()).previous());
    }

    /** Restores to the last frame committed at or before {@code time}; see {@link #restore(Bookmark)}. */
    public RestoreResult restore(Instant time) {
        return restore(bookmarkAt(time));
    }

    /** What {@link #restore(Bookmark)} would do, changing nothing. */
    public RestorePlan planRestore(Bookmark target) {
        checkOpen();
        long position = positionOf(target);
        checkRetained(target, position);
        try {
            return restorer.plan(target, position);
        } catch (IOException e) {
            throw new ChronologException("database " + name + ": cannot plan a restore to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the state at {@code target} to {@code file} as a plain SQLite 3 database holding only
     * the user's schema and rows. The database itself is not changed.
     *
     * @throws ChronologException if {@code file} exists (nothing is overwritten) or its directory does not
     */
    public void exportTo(Bookmark target, Path file) {
        checkOpen();
        long position = positionOf(target);
        checkRetained(target, position);
        Path out = Restorer.checkOutput(file, "export");
        Path temp = restorer.tempFile();
        try {
            restorer.materialize(target.epoch(), position, temp);
            Restorer.writePlainCopy(temp, out, "export");
        } catch (IOException | SQLException e) {
            throw DiskFullException.of("database " + name + ": export of " + target + " to " + out + " failed: " + e.getMessage(), e);
        } finally {
            Restorer.deleteQuietly(temp);
        }
    }

    /** The backups of this database: create, list, download, restore, delete. */
    public Backups backups() {
        checkOpen();
        return backups;
    }

    /**
     * The writes the log holds whose commit time is in {@code [since, until]} (either may be null:
     * unbounded), oldest first, at most {@code limit} of them (the newest ones when there are more).
     */
    public List<LoggedWrite> writes(Instant since, Instant until, int limit) {
        checkOpen();
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        long from = since == null ? log.firstPosition() : Math.max(log.firstPosition(), log.positionAt(since.toEpochMilli() - 1) + 1);
        long to = until == null ? log.lastPosition() : log.positionAt(until.toEpochMilli());
        java.util.ArrayDeque<LoggedWrite> out = new java.util.ArrayDeque<>();
        if (log.lastPosition() == 0 || from > to) {
            return List.of();
        }
        try (io.chronolog.wal.FrameCursor cursor = log.readFrom(from)) {
            for (Frame f = cursor.next(); f != null && f.position() <= to; f = cursor.next()) {
                if (f.kind() == FrameKind.STATEMENTS) {
                    out.addLast(new LoggedWrite(Frames.bookmark(f), Instant.ofEpochMilli(f.timestamp()), Restorer.statements(f)));
                    if (out.size() > limit) {
                        out.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            throw new CorruptionException("database " + name + ": cannot read the log: " + e.getMessage(),
                    directory.resolve(WAL_DIRECTORY), 0, e);
        }
        return List.copyOf(out);
    }

    /** Bytes of the live SQLite file (without its {@code -wal}). */
    public long liveBytes() {
        try {
            return Files.size(liveFile);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Number of user tables in the current state. */
    public int tableCount() {
        return query("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                + "AND name NOT LIKE '\\_chronolog\\_%' ESCAPE '\\'").get(0).getLong(0).intValue();
    }

    /** Every restore still in the log, oldest first. */
    public List<RestoreRecord> history() {
        checkOpen();
        List<RestoreRecord> out = new ArrayList<>();
        for (CheckpointMeta m : checkpoints.restores()) {
            if (m.position() < log.firstPosition() || m.position() > log.lastPosition()) {
                continue;
            }
            Frame f = readFrame(m.position());
            if (f.kind() != FrameKind.RESTORE) {
                continue;
            }
            try {
                RestoreMarker marker = RestoreMarker.decode(f.payload());
                out.add(new RestoreRecord(f.epoch(), Instant.ofEpochMilli(f.timestamp()), marker.target(), Frames.bookmark(f),
                        marker.previous()));
            } catch (IOException e) {
                throw new CorruptionException("database " + name + ": restore frame " + f.position() + " is unreadable: "
                        + e.getMessage(), directory.resolve(WAL_DIRECTORY), f.position(), e);
            }
        }
        return out;
    }

    /**
     * Checks the chain hash of every frame, every checkpoint's checksums, rebuilds every checkpoint
     * from the one before it and the log comparing content digests, and compares the live file
     * with the state the log ends at. Changes nothing; writes may continue meanwhile (the live
     * comparison then reports the difference they make, so run it on a quiet database).
     */
    public VerifyReport verify() {
        checkOpen();
        return (view == null ? new Verifier(log, checkpoints, restorer, liveFile, gate)
                : new Verifier(log, checkpoints, restorer, liveFile, gate, view::connect)).run();
    }

    /**
     * Creates a new database in {@code newDirectory} whose history starts with the state at
     * {@code target}: its first frame is a restore to that state. This database is not changed.
     *
     * @throws InvalidNameException the new directory's name is not a valid database name
     * @throws ChronologException   the new directory exists and is not empty
     */
    public void fork(Bookmark target, Path newDirectory) {
        checkOpen();
        long position = positionOf(target);
        checkRetained(target, position);
        Path dir = newDirectory.toAbsolutePath().normalize();
        InvalidNameException.check(dir.getFileName() == null ? "" : dir.getFileName().toString());
        try {
            if (Files.exists(dir)) {
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new ChronologException("fork refused: " + dir + " exists and is not empty");
                    }
                }
            }
        } catch (IOException e) {
            throw new ChronologException("fork refused: cannot read " + dir + ": " + e.getMessage(), e);
        }
        Path temp = restorer.tempFile();
        try {
            Restorer.Materialized state = restorer.materialize(target.epoch(), position, temp);
            Restorer.beforePublish.run();
            try (Database fork = Database.open(dir, options.toBuilder().background(false).build())) {
                if (fork.log.lastPosition() != 0 || !fork.store.list().isEmpty()) {
                    throw new ChronologException("fork refused: " + dir + " became a database while the fork ran; nothing was"
                            + " written to it: give another directory");
                }
                fork.writer.exclusive(() -> fork.restorer.commit(fork.writer, fork.live, state, target, () -> { }, fork.swap));
            }
        } catch (IOException | SQLException e) {
            throw new ChronologException("database " + name + ": fork of " + target + " into " + dir + " failed: " + e.getMessage(), e);
        } finally {
            Restorer.deleteQuietly(temp);
        }
    }

    /**
     * Removes history older than the retention window: whole log cycle files and checkpoints that
     * no bookmark inside the window needs. Every moment inside the window stays restorable.
     * Returns the bytes freed. Removes nothing (returns 0) while the wall clock disagrees with the
     * time elapsed since its last trusted reading ({@link Options#clockTolerance()}): a clock
     * stepped either way never deletes history that is inside the window by a correct clock.
     */
    public long prune() {
        checkOpen();
        requireWritable("pruning");
        try {
            return writer.exclusive(this::pruneLocked);
        } catch (IOException | SQLException e) {
            throw new ChronologException("database " + name + ": pruning failed: " + e.getMessage(), e);
        }
    }

    private long pruneLocked() throws IOException {
        long last = log.lastPosition();
        java.util.OptionalLong now = engineTime.millisForDeletion();
        if (last == 0 || now.isEmpty()) {
            return 0;
        }
        long oldest = Math.min(log.positionAt(windowStart(now.getAsLong()) - 1) + 1, last);   // first frame inside the window
        if (oldest <= log.firstPosition()) {
            return 0;
        }
        Frame first = readFrame(oldest);
        List<CheckpointMeta> candidates = checkpoints.candidates(first.epoch(), oldest);
        if (candidates.isEmpty()) {
            return 0; // epoch 0 with no checkpoint yet: replay needs the log from frame 1
        }
        CheckpointMeta base = candidates.get(0);
        long referenced = Math.min(first.checkpoint(), base.number()); // frames in the window still name this checkpoint
        long before = log.bytesOnDisk() + store.bytesOnDisk();
        for (CheckpointMeta m : store.list()) {
            if (m.kind() == CheckpointMeta.Kind.CHECKPOINT && m.number() < referenced && m.position() < base.position()) {
                store.delete(m.number());
            }
        }
        log.pruneBefore(base.position());
        return Math.max(0, before - log.bytesOnDisk() - store.bytesOnDisk());
    }

    /** Takes a checkpoint now; empty when nothing was written since the last one. */
    public Optional<CheckpointMeta> checkpoint() {
        checkOpen();
        requireWritable("a checkpoint");
        try {
            Optional<CheckpointMeta> taken = checkpointer.take();
            lastCheckpointMillis = engineTime.millis();
            return taken;
        } catch (IOException | SQLException e) {
            throw DiskFullException.of("database " + name + ": checkpoint failed: " + e.getMessage(), e);
        }
    }

    /** The checkpoints the catalogue holds, oldest first. */
    public List<CheckpointMeta> checkpoints() {
        return store.list();
    }

    private void backgroundWork() {
        try {
            boolean due = writer.framesSinceCheckpoint() >= options.checkpointEveryFrames()
                    || writer.bytesSinceCheckpoint() >= options.checkpointEveryBytes()
                    || (writer.framesSinceCheckpoint() > 0
                        && engineTime.millis() - lastCheckpointMillis >= options.checkpointEvery().toMillis());
            if (due && !closed) {
                checkpoint();
            }
            if (!closed) {
                backups.runSchedule();
            }
            long now = engineTime.millis();
            if (!closed && Math.abs(now - lastPruneMillis) >= TimeUnit.HOURS.toMillis(1)) {
                lastPruneMillis = now;
                prune();
            }
        } catch (RuntimeException e) {
            if (!closed) {
                System.getLogger(Database.class.getName()).log(System.Logger.Level.WARNING,
                        "database " + name + ": background work failed: " + e.getMessage(), e);
            }
        }
    }

    /** The frame at {@code position}, for tools that show the log. */
    public Frame frame(long position) {
        checkOpen();
        return readFrame(position);
    }

    private Frame readFrame(long position) {
        try {
            return log.read(position);
        } catch (CorruptFrameException e) {
            throw new CorruptionException("database " + name + ": " + e.getMessage(), directory.resolve(WAL_DIRECTORY), position, e);
        } catch (IOException e) {
            throw new UncheckedIOException("database " + name + ": cannot read frame " + position, e);
        }
    }

    /** Bytes of the log's files on disk. */
    public long logBytes() {
        return log.bytesOnDisk();
    }

    void checkOpen() {
        if (closed) {
            throw new DatabaseClosedException("database " + name + " is closed", null);
        }
    }

    /** Finishes the writes already submitted, then closes the log, the live file and the lock. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ChronologException failure = null;
        if (background != null) {
            background.shutdown();
            try {
                background.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (writer != null) {
            writer.stop();
            try {
                live.recordCleanClose(); // the next open checks the content against it, not only the structure
            } catch (SQLException | RuntimeException e) {
                System.getLogger(Database.class.getName()).log(System.Logger.Level.WARNING, "database " + name
                        + ": could not record the live file's digest at close (" + e.getMessage()
                        + "); the next open checks its structure only");
            }
            try {
                log.syncBarrier(); // closing the live file checkpoints its WAL: the log is durable first, after its last commit
            } catch (IOException | RuntimeException e) {
                failure = new ChronologException("database " + name + ": could not sync the log at close: " + e.getMessage(), e);
            }
        }
        for (AutoCloseable c : new AutoCloseable[] {walCheckpointer, readers, gate, live, log, store, lock, view}) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new ChronologException("database " + name + ": error while closing: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
