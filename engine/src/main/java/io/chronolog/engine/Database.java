package io.chronolog.engine;

import io.chronolog.wal.Bookmark;
import io.chronolog.wal.CorruptFrameException;
import io.chronolog.wal.Frame;
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
import java.util.concurrent.atomic.AtomicReference;

/**
 * One open Chronolog database: a SQLite database whose every write is a frame in a hash-chained log.
 *
 * <p>On disk, under its directory (named after the database): {@code live.sqlite3} (the state),
 * {@code wal/} (the log, docs/FORMAT.md) and {@code LOCK}. Opening takes the lock, verifies the
 * log's chain, cuts a torn tail back to the last whole frame and replays into the live file every
 * frame it has not applied (rebuilding it from the log if it is missing).
 *
 * <p>Thread-safe. Writes from any thread go to one writer thread and return once their frame is as
 * durable as {@link Options#durability()} promises; reads run on their own connections and never
 * wait for writes. Invariant: every acknowledged write has a frame in the log, and the live file
 * never holds a write the log does not.
 */
public final class Database implements AutoCloseable {
    static final String WAL_DIRECTORY = "wal";

    private final String name;
    private final Path directory;
    private final Options options;
    private final LockFile lock;
    private final FrameLog log;
    private final LiveDatabase live;
    private final Writer writer;
    private final ReaderPool readers;
    private final StatementGuard guard;
    private final long replayedAtOpen;
    private volatile boolean closed;

    private Database(String name, Path directory, Options options, LockFile lock, FrameLog log, LiveDatabase live,
            Writer writer, long replayedAtOpen) {
        this.name = name;
        this.directory = directory;
        this.options = options;
        this.lock = lock;
        this.log = log;
        this.live = live;
        this.writer = writer;
        this.replayedAtOpen = replayedAtOpen;
        this.readers = new ReaderPool(live.file(), options.readerConnections());
        this.guard = new StatementGuard(options);
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
            Files.createDirectories(dir);
            LockFile lock = LockFile.acquire(dir, name);
            opened.add(lock);
            AtomicReference<MonotonicClock> clock = new AtomicReference<>(new MonotonicClock(options.clock(), 0));
            Path walDir = dir.resolve(WAL_DIRECTORY);
            FrameLog log;
            try {
                log = FrameLog.open(walDir, LogOptions.defaults(() -> clock.get().millis()));
            } catch (CorruptFrameException e) {
                throw new CorruptionException("database " + name + ": the log is damaged: " + e.getMessage(),
                        walDir, e.position(), e);
            }
            opened.add(0, log);
            clock.set(new MonotonicClock(options.clock(), log.lastTimestamp()));
            LiveDatabase live = openLive(dir, name);
            opened.add(0, live);
            long replayed = recover(name, log, walDir, live);
            live.limit(options);
            EngineMetrics metrics = new EngineMetrics(options.meterRegistry(), name);
            metrics.framesReplayed.increment(replayed);
            int epoch = 0;
            Bookmark latest = new Bookmark(0, 0, 0, Hash128.ZERO);
            if (log.lastPosition() > 0) {
                Frame last = log.read(log.lastPosition());
                epoch = last.epoch();
                latest = last.bookmark();
            }
            Writer writer = new Writer(name, live, log, clock.get(), options, metrics, epoch, latest);
            return new Database(name, dir, options, lock, log, live, writer, replayed);
        } catch (IOException e) {
            closeAll(opened, e);
            throw new ChronologException("database " + name + ": cannot open " + dir + ": " + e, e);
        } catch (SQLException e) {
            closeAll(opened, e);
            throw new CorruptionException("database " + name + ": cannot open " + dir.resolve(LiveDatabase.FILE_NAME)
                    + ": " + e.getMessage(), dir.resolve(LiveDatabase.FILE_NAME), 0, e);
        } catch (RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    private static LiveDatabase openLive(Path dir, String name) throws SQLException {
        return LiveDatabase.open(dir);
    }

    /** Brings the live file up to the end of the log; returns the number of frames replayed. */
    private static long recover(String name, FrameLog log, Path walDir, LiveDatabase live) throws IOException, SQLException {
        LiveDatabase.Applied applied = live.applied();
        if (applied.position() > log.lastPosition()) {
            throw new CorruptionException("database " + name + ": live.sqlite3 has applied frame " + applied.position()
                    + " but the log ends at frame " + log.lastPosition() + ": the log lost frames it had acknowledged "
                    + "(expected=" + applied.position() + " actual=" + log.lastPosition() + ", file=" + walDir + ")",
                    walDir, applied.position(), null);
        }
        if (applied.position() > 0) {
            Hash128 logged = log.read(applied.position()).hash();
            if (!logged.equals(applied.hash())) {
                throw new CorruptionException("database " + name + ": live.sqlite3 and the log disagree at frame "
                        + applied.position() + ": expected=" + logged.toHex() + " actual=" + applied.hash().toHex()
                        + " (file=" + live.file() + ", position=" + applied.position() + ")", live.file(), applied.position(), null);
            }
        }
        if (applied.position() == log.lastPosition()) {
            return 0;
        }
        return new Replayer(log, walDir).replay(live, applied.position() + 1, log.lastPosition());
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

    /** Frames replayed into the live file when this instance opened. */
    public long framesReplayedAtOpen() {
        return replayedAtOpen;
    }

    /**
     * Runs one statement as one atomic write and returns once its frame is durable. A plain read
     * (SELECT, VALUES, EXPLAIN, or a WITH that changed nothing) is answered without a frame.
     *
     * @throws SqlException               SQLite refused or failed it: nothing applied, nothing logged
     * @throws RefusedStatementException  it cannot be replayed identically, or is over a limit
     * @throws DiskFullException          the log's disk is full: nothing applied
     */
    public Result execute(String sql, Object... params) {
        return batch(List.of(Statement.of(sql, params))).get(0);
    }

    /** Runs statements atomically, as one frame: all apply or none do. Results are in statement order. */
    public List<Result> batch(List<Statement> statements) {
        checkOpen();
        guard.checkBatch(statements);
        List<StatementGuard.Shape> shapes = new ArrayList<>(statements.size());
        for (Statement st : statements) {
            shapes.add(guard.check(st));
        }
        return writer.write(statements, shapes);
    }

    /**
     * Runs a read on a read-only connection and returns all its rows. Never waits for the writer;
     * sees every write acknowledged before the call.
     */
    public Rows query(String sql, Object... params) {
        checkOpen();
        Statement st = Statement.of(sql, params);
        long statements = SqlLexer.tokenize(sql).stream()
                .filter(t -> t.kind() == SqlLexer.Kind.SEMICOLON).count();
        if (statements > 0 && !sql.strip().endsWith(";") || statements > 1) {
            throw new RefusedStatementException("query refused: more than one statement in one SQL text", st);
        }
        Connection c;
        try {
            c = readers.borrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChronologException("interrupted while waiting for a reader connection", e);
        } catch (SQLException e) {
            throw new DatabaseClosedException("database " + name + " is closed", e);
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int expected = ps.getParameterMetaData().getParameterCount();
            if (expected != st.params().size()) {
                throw new SqlException("the query has " + expected + " parameter placeholders but " + st.params().size()
                        + " values were given (sql: " + StatementRunner.abbreviate(sql) + ")", st, null);
            }
            StatementRunner.bind(ps, st.params());
            return ps.execute() ? StatementRunner.readAll(ps.getResultSet()) : Rows.empty();
        } catch (SQLException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().replaceFirst("^\\[SQLITE_[A-Z_]+\\]\\s*", "");
            if (message.contains("readonly") || message.contains("query_only")) {
                message = "query() is read-only; use execute() for writes: " + message;
            }
            throw new SqlException(message + " (sql: " + StatementRunner.abbreviate(sql) + ")", st, e);
        } finally {
            readers.giveBack(c);
        }
    }

    /** The bookmark of the latest frame: the current state. A new, empty database has {@code 00000000-00000000-00000000-0…0}. */
    public Bookmark bookmark() {
        return writer.latest();
    }

    /**
     * The bookmark of the last frame committed at or before {@code time}.
     *
     * @throws BookmarkException the time is in the future, or before the database's first frame
     */
    public Bookmark bookmarkAt(Instant time) {
        checkOpen();
        long millis = time.toEpochMilli();
        long now = options.clock().millis();
        if (millis > Math.max(now, log.lastTimestamp())) {
            throw new BookmarkException("time " + time + " is in the future: the latest moment is " + Instant.ofEpochMilli(now));
        }
        long position = log.positionAt(millis);
        if (position == 0) {
            String first = log.lastPosition() == 0 ? "the database has no writes yet"
                    : "its first write was at " + Instant.ofEpochMilli(readFrame(log.firstPosition()).timestamp());
            throw new BookmarkException("time " + time + " is before the history of database " + name + ": " + first);
        }
        return readFrame(position).bookmark();
    }

    /**
     * The log position a bookmark names, after checking it against the log.
     *
     * @throws BookmarkException the log has no frame there, or the frame there has another epoch or hash
     */
    public long positionOf(Bookmark bookmark) {
        checkOpen();
        long position = bookmark.checkpoint() == 0 ? bookmark.offset() : -1;
        if (position < 0) {
            throw new BookmarkException("bookmark " + bookmark + " names checkpoint " + bookmark.checkpoint()
                    + ", which this database does not have");
        }
        if (position == 0) {
            if (!bookmark.hash().equals(Hash128.ZERO) || bookmark.epoch() != 0) {
                throw new BookmarkException("bookmark " + bookmark + " does not match this database: position 0 has hash "
                        + Hash128.ZERO.toHex());
            }
            return 0;
        }
        if (position < log.firstPosition() || position > log.lastPosition()) {
            throw new BookmarkException("bookmark " + bookmark + " names frame " + position + ", which the log does not have"
                    + " (it holds frames " + log.firstPosition() + " to " + log.lastPosition() + ")");
        }
        Frame frame = readFrame(position);
        if (!frame.bookmark().equals(bookmark)) {
            throw new BookmarkException("bookmark " + bookmark + " does not match the log at frame " + position
                    + ": expected=" + frame.bookmark() + " actual=" + bookmark);
        }
        return position;
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

    private void checkOpen() {
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
        writer.stop();
        for (AutoCloseable c : new AutoCloseable[] {readers, live, log, lock}) {
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
