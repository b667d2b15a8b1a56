package io.chronolog.engine;

import io.chronolog.engine.internal.history.BackupMaker;
import io.chronolog.engine.internal.history.Restorer;
import io.chronolog.engine.internal.open.ReadingParts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * What every open Chronolog database answers: queries of the current state, bookmarks, the
 * history in the log, restore plans, exports of any moment, backups' list and download, and
 * verification. A {@link Database} (a writing open) adds writes, restores and maintenance; a
 * {@link ReadOnlyDatabase} adds nothing. Thread-safe: reads run on their own connections and
 * never wait for writes.
 */
public abstract sealed class ReadableDatabase implements AutoCloseable permits Database, ReadOnlyDatabase {
    final ReadingParts parts;
    private final Backups backups;
    volatile boolean closed;

    ReadableDatabase(ReadingParts parts, BackupMaker backupMaker) {
        this.parts = parts;
        this.backups = new Backups(this::checkOpen, parts.backups(), backupMaker);
    }

    /** The database's name: its directory's name. */
    public String name() {
        return parts.name();
    }

    /** The database's directory. */
    public Path directory() {
        return parts.directory();
    }

    /** The options it was opened with. */
    public Options options() {
        return parts.options();
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
        checkOpen();
        Statement statement = Statement.of(sql, params);
        parts.guard().check(statement);
        return parts.reads().readAll(List.of(statement), "query").get(0);
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
        parts.guard().check(statement);
        return parts.reads().query(statement, consumer);
    }

    /**
     * Whether {@code statement} is a plain read, which {@link #query} runs and {@link Database#execute}
     * runs on a reader without the writer: SQLite's read-only flag for its text, compiled on a reader
     * of this database (so a read-only open can answer for a writing one). False for a text SQLite
     * cannot compile as one statement (the writer reports its error). Does not run it; the answer
     * for a text does not change with the schema.
     */
    public boolean isRead(Statement statement) {
        checkOpen();
        return parts.reads().runsOnReader(List.of(statement));
    }

    /** The bookmark of the latest frame: the current state. A new, empty database has {@code 00000000-00000000-00000000-0…0}. */
    public Bookmark bookmark() {
        return parts.bookmarks().latest();
    }

    /**
     * The bookmark of the last frame committed at or before {@code time}. Stable: frames written
     * afterwards are stamped after {@code time}, even if the wall clock steps back before it.
     *
     * @throws BookmarkException the time is in the future, or before the database's first frame
     * @throws RetentionException the time is before the retention window
     */
    public Bookmark bookmarkAt(Instant time) {
        checkOpen();
        return parts.bookmarks().at(time);
    }

    /**
     * The log position a bookmark names, after checking it against the log.
     *
     * @throws BookmarkException the log has no frame there, or the frame there has another epoch or hash
     */
    public long positionOf(Bookmark bookmark) {
        checkOpen();
        return parts.bookmarks().positionOf(bookmark);
    }

    /**
     * How a restore to {@code target} would run, changing nothing: the checkpoint it loads, the
     * frames it replays and the writes it takes back. {@link Database#restore(RestorePlan)} runs
     * exactly this plan.
     */
    public RestorePlan planRestore(Bookmark target) {
        checkOpen();
        Restorer.Route route = parts.restorer().route(target, parts.bookmarks().restorable(target));
        try {
            return parts.restorer().plan(target, route);
        } catch (IOException e) {
            throw new ChronologException("database " + name() + ": cannot plan a restore to " + target + ": " + e.getMessage(), e);
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
        Restorer restorer = parts.restorer();
        Restorer.Route route = restorer.route(target, parts.bookmarks().restorable(target));
        Path out = Restorer.checkOutput(file, "export");
        Path temp = restorer.tempFile();
        try {
            restorer.materialize(route, temp);
            Restorer.writePlainCopy(temp, out, "export");
        } catch (IOException | SQLException e) {
            throw DiskFullException.of("database " + name() + ": export of " + target + " to " + out + " failed: "
                    + e.getMessage(), e);
        } finally {
            Restorer.deleteQuietly(temp);
        }
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
        Restorer restorer = parts.restorer();
        Restorer.Route route = restorer.route(target, parts.bookmarks().restorable(target));
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
            Restorer.Materialized state = restorer.materialize(route, temp);
            Restorer.beforePublish.run();
            try (Database fork = Database.open(dir, options().toBuilder().background(false).build())) {
                if (fork.parts.log().lastPosition() != 0 || !fork.checkpoints().isEmpty()) {
                    throw new ChronologException("fork refused: " + dir + " became a database while the fork ran; nothing was"
                            + " written to it: give another directory");
                }
                fork.startFrom(state, target);
            }
        } catch (IOException | SQLException e) {
            throw new ChronologException("database " + name() + ": fork of " + target + " into " + dir + " failed: "
                    + e.getMessage(), e);
        } finally {
            Restorer.deleteQuietly(temp);
        }
    }

    /** The backups of this database: list, download and (on a writing open) create, restore, delete. */
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
        return parts.history().writes(since, until, limit);
    }

    /** Every restore still in the log, oldest first. */
    public List<RestoreRecord> history() {
        checkOpen();
        return parts.history().restores();
    }

    /** The frame at {@code position}, for tools that show the log. */
    public LoggedFrame frame(long position) {
        checkOpen();
        return parts.history().frame(position);
    }

    /** The stored states (checkpoints, restores' checkpoints, backups) the catalogue holds, oldest first. */
    public List<CheckpointInfo> checkpoints() {
        return parts.history().checkpoints();
    }

    /**
     * Checks the chain hash of every frame, every checkpoint's checksums, rebuilds every checkpoint
     * from the one before it and the log comparing content digests, and compares the live file
     * with the state the log ends at. Changes nothing; writes may continue meanwhile (the live
     * comparison then reports the difference they make, so run it on a quiet database).
     */
    public VerifyReport verify() {
        checkOpen();
        return parts.verifier().get().run();
    }

    /** Bytes of the live SQLite file (without its {@code -wal}). */
    public long liveBytes() {
        try {
            return Files.size(parts.liveFile());
        } catch (IOException e) {
            return 0;
        }
    }

    /** Bytes of the log's files on disk. */
    public long logBytes() {
        return parts.log().bytesOnDisk();
    }

    /** Number of user tables in the current state. */
    public int tableCount() {
        return query("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                + "AND name NOT LIKE '\\_chronolog\\_%' ESCAPE '\\'").get(0).getLong(0).intValue();
    }

    /** Whether this is a {@link ReadOnlyDatabase}. */
    public final boolean readOnly() {
        return this instanceof ReadOnlyDatabase;
    }

    /** The engine's time (the wall clock, or the elapsed-time estimate while the wall clock is stepped). */
    long now() {
        return parts.time().millis();
    }

    void checkOpen() {
        if (closed) {
            throw new DatabaseClosedException("database " + name() + " is closed", null);
        }
    }

    /** Closes the database. Idempotent. */
    @Override
    public abstract void close();
}
