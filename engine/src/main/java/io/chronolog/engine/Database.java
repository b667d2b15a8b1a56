package io.chronolog.engine;

import io.chronolog.engine.internal.history.LogHistory;
import io.chronolog.engine.internal.history.Restorer;
import io.chronolog.engine.internal.live.LiveFileSwap;
import io.chronolog.engine.internal.open.WritingOpen;
import io.chronolog.engine.internal.open.WritingParts;
import io.chronolog.engine.internal.schedule.BackgroundJobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One open Chronolog database: a SQLite database whose every write is a frame in a hash-chained log.
 *
 * <p>On disk, under its directory (named after the database): {@code live.sqlite3} (the state),
 * {@code wal/} (the log), {@code checkpoints/} and {@code LOCK} (docs/FORMAT.md). Opening takes the
 * lock, verifies the log's chain, cuts a torn tail back to the last whole frame, checks the live
 * file (rebuilding a damaged one) and replays into it every frame it has not applied; the steps
 * are those of {@code internal.open.WritingOpen}.
 *
 * <p>Thread-safe. Writes from any thread are grouped by the writer, which applies a group to the
 * live file, logs its frames and returns each once its frame is as durable as
 * {@link Options#durability()} promises; reads run on their own connections and never wait for
 * writes. Invariant: every acknowledged write has a frame in the log, and the live file never
 * holds a write the log does not.
 */
public final class Database extends ReadableDatabase {
    private final WritingParts writing;

    private Database(WritingParts writing) {
        super(writing.reading(), writing.backups());
        this.writing = writing;
        writing.jobs().start(new BackgroundJobs.Jobs() {
            @Override
            public void checkpoint() {
                Database.this.checkpoint();
            }

            @Override
            public void backupSchedule() {
                backups().runSchedule();
            }

            @Override
            public void prune() {
                Database.this.prune();
            }
        });
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
        return new Database(new WritingOpen(dir, name, options).run());
    }

    /**
     * Opens an existing database for reading only, beside a process that may hold it for writing;
     * see {@link ReadOnlyDatabase}.
     */
    public static ReadOnlyDatabase openReadOnly(Path directory, Options options) {
        return ReadOnlyDatabase.open(directory, options);
    }

    /** Makes {@code state} this new, empty database's first frame: the end of a fork into it. */
    void startFrom(Restorer.Materialized state, Bookmark target) throws IOException, SQLException {
        writing.restores().install(state, target);
    }

    /** Test seam: how a restore installs its image. */
    LiveFileSwap liveFileSwap() {
        return writing.swap();
    }

    /**
     * How far the archive is behind the log. Waits (up to 10 s) for the shipper to have read the
     * archive once after the open, and asks the archive (one request) whether another writer has
     * taken over.
     *
     * @throws ArchiveException another writer has fenced this one
     * @throws ChronologException no archive is attached to this database
     */
    public ArchiveStatus archiveStatus() {
        checkOpen();
        return archiver().checkedStatus();
    }

    /**
     * Ships everything now (every frame, checkpoint and backup) and returns once the archive holds
     * the newest frame, waiting up to {@code timeout}.
     *
     * @throws ArchiveException the archive did not take it in time (naming the last error), or another writer fenced this one
     * @throws ChronologException no archive is attached to this database
     */
    public ArchiveStatus archiveSync(java.time.Duration timeout) {
        checkOpen();
        return archiver().sync(timeout.toMillis());
    }

    /** Requests made of the archive so far, per kind (create, get, list, delete, check); empty without an archive. */
    public java.util.Map<String, Long> archiveRequests() {
        checkOpen();
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        if (writing.archiver() != null) {
            for (var k : io.chronolog.engine.internal.archive.CountingObjectStore.Kind.values()) {
                out.put(k.name().toLowerCase(java.util.Locale.ROOT), writing.archiver().requests().count(k));
            }
        }
        return out;
    }

    private io.chronolog.engine.internal.archive.Archiver archiver() {
        if (writing.archiver() == null) {
            throw new ChronologException("database " + name() + " has no archive: enable one (chronolog archive enable " + name()
                    + " --url URL) or give Options.archive(...)");
        }
        return writing.archiver();
    }

    /** Frames replayed into the live file when this instance opened. */
    public long framesReplayedAtOpen() {
        return writing.replayedAtOpen();
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
        List<Statement> one = List.of(statement);
        parts.guard().checkBatch(one);
        parts.guard().check(statement);
        if (parts.reads().runsOnReader(one)) {
            Bookmark at = bookmark();
            parts.reads().read(one, List.of(consumer), "read");
            return new Result(Rows.empty(), 0, 0, at);
        }
        Result r = writing.writer().write(one).get(0);
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
        parts.guard().checkBatch(statements);
        for (Statement st : statements) {
            parts.guard().check(st);
        }
        if (parts.reads().runsOnReader(statements)) {
            Bookmark at = bookmark(); // read before: the state the read sees is at least this one
            return parts.reads().readAll(statements, "read").stream().map(rows -> new Result(rows, 0, 0, at)).toList();
        }
        return writing.writer().write(statements);
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
        long position = parts.bookmarks().restorable(target);
        return writing.restores().restore(target, parts.restorer().route(target, position));
    }

    /**
     * Runs {@code plan}, made by {@link #planRestore}: loads the checkpoint it names and replays its
     * frames (a checkpoint found unreadable only now is passed over for an older one, and logged).
     *
     * @throws BookmarkException the plan's target no longer matches the log or the retention window
     */
    public RestoreResult restore(RestorePlan plan) {
        checkOpen();
        Bookmark target = plan.target();
        long position = parts.bookmarks().restorable(target);
        if (position != plan.position()) {
            throw new BookmarkException("restore plan for " + target + " names frame " + plan.position()
                    + " but the log has that bookmark at frame " + position + ": plan it again");
        }
        Restorer.Route route = new Restorer.Route(target.epoch(), position, plan.checkpoint(), plan.checkpointPosition());
        return writing.restores().restore(target, route);
    }

    /** Restores to the last frame committed at or before {@code time}; see {@link #restore(Bookmark)}. */
    public RestoreResult restore(Instant time) {
        return restore(bookmarkAt(time));
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
        return writing.pruner().prune();
    }

    /** Takes a checkpoint now; returns it, or empty when nothing was written since the last one. */
    public Optional<CheckpointInfo> checkpoint() {
        checkOpen();
        try {
            Optional<CheckpointInfo> taken = writing.checkpointer().take().map(LogHistory::info);
            writing.jobs().checkpointTaken();
            return taken;
        } catch (IOException | SQLException e) {
            throw DiskFullException.of("database " + name() + ": checkpoint failed: " + e.getMessage(), e);
        }
    }

    /** Finishes the writes already submitted, then closes the log, the live file and the lock. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        writing.close();
    }
}
