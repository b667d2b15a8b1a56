package io.chronolog.engine.internal.open;

import io.chronolog.engine.ChronologException;
import io.chronolog.engine.CorruptionException;
import io.chronolog.engine.Options;
import io.chronolog.engine.internal.clock.EngineClock;
import io.chronolog.engine.internal.directory.DatabaseDirectory;
import io.chronolog.engine.internal.history.BackupCatalog;
import io.chronolog.engine.internal.history.BookmarkResolver;
import io.chronolog.engine.internal.history.Checkpoints;
import io.chronolog.engine.internal.history.Head;
import io.chronolog.engine.internal.history.LogHead;
import io.chronolog.engine.internal.history.LogHistory;
import io.chronolog.engine.internal.history.Restorer;
import io.chronolog.engine.internal.history.RetentionPolicy;
import io.chronolog.engine.internal.history.Verifier;
import io.chronolog.engine.internal.live.LiveFileGate;
import io.chronolog.engine.internal.live.ReadOnlyView;
import io.chronolog.engine.internal.live.ReaderPool;
import io.chronolog.engine.internal.read.ReadPath;
import io.chronolog.engine.internal.sql.StatementGuard;
import io.chronolog.snapshot.CheckpointStore;
import io.chronolog.wal.CorruptFrameException;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.LogOptions;
import io.chronolog.wal.MonotonicClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The read-only open, beside a process that may hold the database for writing: takes no lock,
 * writes no file, repairs nothing.
 * <ol>
 *   <li>Check there is a database (a log directory and a live file); refuse links.</li>
 *   <li>Open the log read-only (first: every checkpoint a frame names was stored before that frame).</li>
 *   <li>Open the checkpoint store read-only.</li>
 *   <li>Open a private view of the live file (a copy when SQLite would need to write beside it).</li>
 *   <li>Build the readers, the history and the backups' catalogue over them.</li>
 * </ol>
 * The view is the state when opened; reopen to see later writes.
 */
public final class ReadOnlyOpen {
    private final Path dir;
    private final String name;
    private final Options options;
    private final List<AutoCloseable> opened = new ArrayList<>();

    public ReadOnlyOpen(Path dir, String name, Options options) {
        this.dir = dir;
        this.name = name;
        this.options = options;
    }

    /** Runs the sequence. */
    public ReadingParts run() {
        Path walDir = dir.resolve(DatabaseDirectory.WAL_DIRECTORY);
        Path liveFile = dir.resolve(DatabaseDirectory.LIVE_FILE);
        // 1. a database is there
        if (!Files.isDirectory(walDir) || !Files.exists(liveFile)) {
            throw new ChronologException("no database " + name + " at " + dir);
        }
        EngineClock time = new EngineClock(options, name);
        try {
            DatabaseDirectory.refuseLinks(dir);
            // 2. the log
            FrameLog log;
            try {
                MonotonicClock clock = new MonotonicClock(time, 0);
                log = FrameLog.openReadOnly(walDir, LogOptions.defaults(clock::millis));
            } catch (CorruptFrameException e) {
                throw new CorruptionException("database " + name + ": the log is damaged: " + e.getMessage(), walDir, e.position(), e);
            }
            opened.add(log);
            // 3. the checkpoint store
            CheckpointStore store = CheckpointStore.openReadOnly(dir.resolve(DatabaseDirectory.CHECKPOINT_DIRECTORY));
            opened.add(0, store);
            // 4. the view of the live file
            ReadOnlyView view = ReadOnlyView.open(liveFile, name);
            opened.add(0, view);
            // 5. the readers and the history
            Checkpoints checkpoints = new Checkpoints(store);
            Restorer restorer = new Restorer(name, view.scratch(), log, checkpoints);
            LiveFileGate gate = LiveFileGate.forReadOnly(dir);
            ReaderPool readers = new ReaderPool(liveFile, gate, options, view::connect);
            Head head = new LogHead(name, log);
            BookmarkResolver bookmarks = new BookmarkResolver(name, log, checkpoints, time, RetentionPolicy.of(options), head);
            return new ReadingParts(name, dir, options, time, log, restorer, new StatementGuard(options),
                    new ReadPath(name, options, readers, () -> -1), bookmarks, new LogHistory(name, log, checkpoints, bookmarks),
                    () -> new Verifier(log, checkpoints, restorer, liveFile, gate, view::connect),
                    new BackupCatalog(name, store, restorer), List.of(readers, gate, log, store, view));
        } catch (IOException e) {
            Closing.abandon(opened, e);
            throw new ChronologException("database " + name + ": cannot open " + dir + " read-only: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            Closing.abandon(opened, e);
            throw e;
        }
    }
}
