package io.chronolog.engine.internal.open;

import io.chronolog.engine.internal.log.Frames;
import io.chronolog.engine.ChronologException;
import io.chronolog.engine.CorruptionException;
import io.chronolog.engine.DiskFullException;
import io.chronolog.engine.Durability;
import io.chronolog.engine.Options;
import io.chronolog.engine.ReplayDivergenceException;
import io.chronolog.engine.internal.clock.EngineClock;
import io.chronolog.engine.internal.directory.DatabaseDirectory;
import io.chronolog.engine.internal.directory.LockFile;
import io.chronolog.engine.internal.archive.ArchiveSettingsFile;
import io.chronolog.engine.internal.archive.Archiver;
import io.chronolog.engine.internal.history.ArchiveFloor;
import io.chronolog.engine.internal.history.BackupCatalog;
import io.chronolog.engine.internal.history.BackupWriter;
import io.chronolog.engine.internal.history.BookmarkResolver;
import io.chronolog.engine.internal.history.Checkpointer;
import io.chronolog.engine.internal.history.Checkpoints;
import io.chronolog.engine.internal.history.Head;
import io.chronolog.engine.internal.history.LogHistory;
import io.chronolog.engine.internal.history.Pruner;
import io.chronolog.engine.internal.history.Restorer;
import io.chronolog.engine.internal.history.RetentionPolicy;
import io.chronolog.engine.internal.history.Restores;
import io.chronolog.engine.internal.history.Verifier;
import io.chronolog.engine.internal.live.LiveDatabase;
import io.chronolog.engine.internal.live.LiveFileGate;
import io.chronolog.engine.internal.live.LiveFileRepair;
import io.chronolog.engine.internal.live.LiveFileSwap;
import io.chronolog.engine.internal.live.ReaderPool;
import io.chronolog.engine.internal.live.WalCheckpointer;
import io.chronolog.engine.internal.metrics.EngineMetrics;
import io.chronolog.engine.internal.read.ReadPath;
import io.chronolog.engine.internal.schedule.BackgroundJobs;
import io.chronolog.engine.internal.sql.StatementGuard;
import io.chronolog.engine.internal.write.Recovery;
import io.chronolog.engine.internal.write.Writer;
import io.chronolog.snapshot.CheckpointStore;
import io.chronolog.engine.Bookmark;
import io.chronolog.wal.CorruptFrameException;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.Hash128;
import io.chronolog.wal.LogOptions;
import io.chronolog.wal.MonotonicClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The writing open, step by step, as one sequence. Each step leaves the directory as sound as it
 * found it; a failure closes what the earlier steps opened and names the problem.
 * <ol>
 *   <li>Prepare the directory (created {@code 0700}; links among its entries refused).</li>
 *   <li>Take the lock: one process, one open.</li>
 *   <li>Make the directory private; delete temp files a crash left.</li>
 *   <li>Open the checkpoint store.</li>
 *   <li>Open the log: verify its chain, cut a torn tail back to the last whole frame.</li>
 *   <li>Find where new frames count from (the last frame's epoch and checkpoint).</li>
 *   <li>Drop checkpoints stored after the last one the log records (never committed).</li>
 *   <li>Check the live file; rebuild a damaged or missing one from the checkpoints and the log.</li>
 *   <li>Open the live file and replay the frames it lacks; a frame it cannot take leaves the
 *       database open for reads, refusing writes until the restore the error names.</li>
 *   <li>Start the writer, the readers, the history and the background jobs.</li>
 *   <li>Attach the archive, when one is given or enabled: shipping starts in the background.</li>
 * </ol>
 */
public final class WritingOpen {
    private static final System.Logger LOG = System.getLogger(WritingOpen.class.getName());

    private final Path dir;
    private final String name;
    private final Options options;
    private final List<AutoCloseable> opened = new ArrayList<>();

    public WritingOpen(Path dir, String name, Options options) {
        this.dir = dir;
        this.name = name;
        this.options = options;
    }

    /** Runs the sequence. */
    public WritingParts run() {
        try {
            return steps();
        } catch (IOException e) {
            Closing.abandon(opened, e);
            throw DiskFullException.of("database " + name + ": cannot open " + dir + ": " + e, e);
        } catch (SQLException e) {
            Closing.abandon(opened, e);
            if (DiskFullException.isDiskFull(e)) {
                throw new DiskFullException("database " + name + ": cannot open " + dir + ": the disk is full, so "
                        + LiveDatabase.FILE_NAME + " cannot take the frames the log holds beyond it (" + e.getMessage()
                        + "); nothing is lost: free space and open it again", e);
            }
            throw new CorruptionException("database " + name + ": cannot open " + dir.resolve(LiveDatabase.FILE_NAME)
                    + ": " + e.getMessage(), dir.resolve(LiveDatabase.FILE_NAME), 0, e);
        } catch (RuntimeException e) {
            Closing.abandon(opened, e);
            throw e;
        }
    }

    private WritingParts steps() throws IOException, SQLException {
        // 1. the directory
        DatabaseDirectory.prepareForWriting(dir);
        // 2. the lock
        LockFile lock = LockFile.acquire(dir, name);
        opened.add(lock);
        // 3. privacy and leftovers (this creates an empty live file when there is none: whether one was there is noted first)
        boolean liveFileExisted = Files.exists(dir.resolve(LiveDatabase.FILE_NAME), LinkOption.NOFOLLOW_LINKS);
        DatabaseDirectory.makePrivate(dir, name);
        Restorer.deleteLeftovers(dir);
        // 4. the checkpoint store
        CheckpointStore store = CheckpointStore.open(dir.resolve(DatabaseDirectory.CHECKPOINT_DIRECTORY));
        opened.add(0, store);
        Checkpoints checkpoints = new Checkpoints(store);
        // 5. the log
        EngineClock time = new EngineClock(options, name);
        AtomicReference<MonotonicClock> clock = new AtomicReference<>(new MonotonicClock(time, 0));
        Path walDir = dir.resolve(DatabaseDirectory.WAL_DIRECTORY);
        FrameLog log;
        try {
            log = FrameLog.open(walDir, LogOptions.defaults(() -> clock.get().millis()));
        } catch (CorruptFrameException e) {
            throw new CorruptionException("database " + name + ": the log is damaged: " + e.getMessage(), walDir, e.position(), e);
        }
        opened.add(0, log);
        clock.set(new MonotonicClock(time, log.lastTimestamp()));
        // 6. where new frames count from
        Writer.Position base = new Writer.Position(0, 0, 0);
        Bookmark latest = Frames.bookmark(0, 0, 0, Hash128.ZERO);
        if (log.lastPosition() > 0) {
            Frame last = log.read(log.lastPosition());
            base = new Writer.Position(last.epoch(), last.checkpoint(), last.position() - last.offset());
            latest = Frames.bookmark(last);
        }
        // 7. checkpoints never committed
        Recovery.dropUncommittedCheckpoints(store, base.checkpoint());
        Restorer restorer = new Restorer(name, dir, log, checkpoints);
        // 8. the live file's soundness
        long rebuilt = checkLiveFile(log, restorer, time, liveFileExisted);
        // 9. catch-up replay
        LiveDatabase live = LiveDatabase.open(dir);
        opened.add(0, live);
        long replayed = rebuilt;
        ChronologException stuck = null;
        try {
            replayed += Recovery.recover(name, log, walDir, live, restorer::load);
        } catch (ReplayDivergenceException e) {
            stuck = unappliable(log, live, e);
            LOG.log(System.Logger.Level.WARNING, stuck.getMessage());
        }
        live.limit(options);
        EngineMetrics metrics = new EngineMetrics(options.meterRegistry(), name);
        metrics.framesReplayed.increment(replayed);
        // 10. the running parts
        Writer writer = new Writer(name, live, log, clock.get(), options, metrics, base, latest, restorer::load, checkpoints::allocate);
        if (stuck != null) {
            writer.stuck(stuck);
        }
        return assemble(lock, store, checkpoints, log, time, restorer, live, writer, metrics, replayed);
    }

    /** Step 8: returns the frames replayed into a rebuilt live file (0 when it was sound). */
    private long checkLiveFile(FrameLog log, Restorer restorer, EngineClock time, boolean existed) throws IOException, SQLException {
        Path liveFile = dir.resolve(LiveDatabase.FILE_NAME);
        Optional<String> damage = LiveFileRepair.problem(liveFile);
        if (damage.isEmpty() && log.lastPosition() > 0 && LiveFileRepair.holdsNothing(liveFile)) {
            // replay from frame 1 is impossible once the log is pruned: start from a checkpoint
            damage = Optional.of("missing or empty while the log holds frames " + log.firstPosition() + ".." + log.lastPosition());
        }
        if (damage.isEmpty() && log.cutAfterFailedSync().isPresent()) {
            // ASYNC: the live file may hold frames after the last good sync, which the log has just cut back
            long applied = LiveFileRepair.appliedPosition(liveFile);
            if (applied > log.lastPosition()) {
                damage = Optional.of("it holds frames up to " + applied + " but a sync of the log failed after frame "
                        + log.lastPosition() + ", and the frames after it were cut back (never made durable)");
            }
        }
        if (damage.isEmpty()) {
            return 0;
        }
        LiveFileRebuild.Rebuilt r = LiveFileRebuild.rebuild(dir, log, restorer, time.millis());
        if (existed) {
            LOG.log(System.Logger.Level.WARNING, "database " + name + ": " + LiveDatabase.FILE_NAME + " was damaged (" + damage.get()
                    + "): kept as " + r.aside().getFileName() + "; rebuilt from the checkpoints and the log");
        } else {
            // nothing was there to keep (a restore from the archive, a file deleted by hand): what the checks created goes
            for (String suffix : LiveFileRepair.SIDE_FILES) {
                Files.deleteIfExists(r.aside().resolveSibling(r.aside().getFileName() + suffix));
            }
            LOG.log(System.Logger.Level.INFO, "database " + name + ": " + LiveDatabase.FILE_NAME
                    + " was missing; built from the checkpoints and the log");
        }
        return r.framesReplayed();
    }

    /**
     * The error for a logged frame the live file cannot take at open: the database opens for reads
     * at the last frame it applied, and the error names the restore that makes it writable again.
     */
    private ChronologException unappliable(FrameLog log, LiveDatabase live, ReplayDivergenceException e)
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

    private WritingParts assemble(LockFile lock, CheckpointStore store, Checkpoints checkpoints, FrameLog log, EngineClock time,
            Restorer restorer, LiveDatabase live, Writer writer, EngineMetrics metrics, long replayed) throws IOException {
        Path liveFile = dir.resolve(LiveDatabase.FILE_NAME);
        LiveFileGate gate = LiveFileGate.forWriter(dir);
        opened.add(0, gate);
        ReaderPool readers = new ReaderPool(liveFile, gate, options);
        opened.add(0, readers);
        LiveFileSwap swap = new LiveFileSwap(liveFile, gate, readers);
        WalCheckpointer walCheckpointer = new WalCheckpointer(name, readers, metrics, writer::afterLogSync,
                options.durability().forcesLog(), log, live::connection);
        writer.afterCommit(walCheckpointer::committed);
        Head head = new Head() {
            @Override
            public Bookmark latest() {
                return writer.latest();
            }

            @Override
            public long checkpoint() {
                return writer.base().checkpoint();
            }

            @Override
            public long resolveTime(long millis, LongSupplier lookup) {
                return writer.resolveTime(millis, lookup);
            }
        };
        RetentionPolicy policy = RetentionPolicy.of(options);
        BookmarkResolver bookmarks = new BookmarkResolver(name, log, checkpoints, time, policy, head);
        BackupCatalog catalog = new BackupCatalog(name, store, restorer);
        ReadingParts reading = new ReadingParts(name, dir, options, time, log, restorer, new StatementGuard(options),
                new ReadPath(name, options, readers, live::schemaChanges), bookmarks,
                new LogHistory(name, log, checkpoints, bookmarks), () -> new Verifier(log, checkpoints, restorer, liveFile, gate),
                catalog, List.of(walCheckpointer, readers, gate, live, log, store, lock));
        Restores restores = new Restores(name, restorer, writer, live, readers, swap, metrics);
        Checkpointer checkpointer = new Checkpointer(liveFile, gate, log, checkpoints, writer, metrics, restorer::tempFile);
        // 11. the archive, when one is attached
        Optional<ArchiveSettingsFile> archiveSettings = ArchiveAttachment.settings(dir, name, options);
        Archiver archiver = archiveSettings.isEmpty() ? null
                : ArchiveAttachment.attach(name, archiveSettings.get(), options, log, store, time, writer);
        if (archiver != null) {
            opened.add(0, archiver);
        }
        ArchiveFloor floor = ArchiveAttachment.floor(archiver);
        Pruner pruner = new Pruner(name, log, checkpoints, writer, time, policy, bookmarks, floor);
        BackupWriter backups = new BackupWriter(name, checkpoints, catalog, checkpointer, restores, policy, time, floor);
        BackgroundJobs jobs = new BackgroundJobs(name, options, time, writer);
        return new WritingParts(reading, live, writer, restores, checkpointer, pruner, backups, jobs, swap, archiver, replayed);
    }
}
