package io.chronolog.engine.internal.history;

import io.chronolog.engine.internal.log.Frames;
import io.chronolog.engine.ChronologException;
import io.chronolog.engine.CorruptionException;
import io.chronolog.engine.DiskFullException;
import io.chronolog.engine.LoggedWrite;
import io.chronolog.engine.RestorePlan;
import io.chronolog.engine.Statement;
import io.chronolog.engine.internal.directory.PrivateFiles;
import io.chronolog.engine.internal.live.ContentDigest;
import io.chronolog.engine.internal.live.LiveDatabase;
import io.chronolog.engine.internal.live.LiveFileSwap;
import io.chronolog.engine.internal.live.SqliteHeader;
import io.chronolog.engine.internal.sql.StatementGuard;
import io.chronolog.engine.internal.write.Replayer;
import io.chronolog.engine.internal.write.Writer;

import io.chronolog.snapshot.CheckpointDraft;
import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CorruptCheckpointException;
import io.chronolog.engine.Bookmark;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameCodec;
import io.chronolog.wal.FrameCursor;
import io.chronolog.wal.FrameKind;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.Hash128;
import io.chronolog.wal.LogFullException;
import io.chronolog.engine.internal.log.RestoreMarker;
import io.chronolog.engine.internal.log.StatementBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds past states and makes one of them current.
 *
 * <p>{@link #materialize} writes the state after any frame into a new SQLite file: the latest usable
 * checkpoint of that frame's epoch at or before it, then the frames after it (a damaged checkpoint
 * is passed over for an earlier one). {@link #commit} then, under the writer lock, stores that state
 * as the first checkpoint of a new epoch (reusing the source checkpoint's compressed body when
 * nothing was replayed), appends the restore frame (the commit point: from here a crash is finished
 * at open by replaying that frame, which loads the checkpoint), interrupts queries in flight, and
 * installs the state as the live file: renamed over it by {@link LiveFileSwap} when nobody else has
 * it open, else copied through SQLite's backup API (never a rename over a file whose {@code -wal}
 * may be hot). Temp files are {@code restore-*.tmp} in the database directory and are deleted at
 * open. Thread-safe: restores are serialised by the writer lock.
 */
public final class Restorer {
    public static final String TEMP_PREFIX = "restore-";
    static final String TEMP_SUFFIX = ".tmp";

    /** A state written to {@code file}: after frame {@code position}, from checkpoint {@code checkpoint}. */
    public record Materialized(Path file, long position, long checkpoint, long checkpointPosition, byte[] digest, int tables,
            boolean asStored) {
        /** The file is checkpoint {@link #checkpoint}'s image as stored: no frame with statements lay between. */
        public boolean replayedNothing() {
            return asStored && checkpoint > 0;
        }
    }

    private final String name;
    private final Path directory;
    private final FrameLog log;
    private final Checkpoints checkpoints;

    public Restorer(String name, Path directory, FrameLog log, Checkpoints checkpoints) {
        this.name = name;
        this.directory = directory;
        this.log = log;
        this.checkpoints = checkpoints;
    }

    public Path tempFile() {
        return directory.resolve(TEMP_PREFIX + UUID.randomUUID() + TEMP_SUFFIX);
    }

    /** Deletes temp files a crash left behind; called at open, before anything else uses the directory. */
    public static void deleteLeftovers(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String f = p.getFileName().toString();
                if (f.startsWith(TEMP_PREFIX) && (f.endsWith(TEMP_SUFFIX) || f.contains(TEMP_SUFFIX + "-"))) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * How the state after frame {@code position} of {@code epoch} is built: load checkpoint
     * {@code checkpoint} (the state after frame {@code checkpointPosition}; 0 is the empty database
     * of epoch 0) and replay the frames after it. Computed once by {@link #route} and executed by
     * {@link #materialize(Route, Path)}.
     */
    public record Route(int epoch, long position, long checkpoint, long checkpointPosition) {
        /** Frames replayed after the checkpoint. */
        public long framesToReplay() {
            return position - checkpointPosition;
        }
    }

    /**
     * The one decision of where a restore to {@code target} (frame {@code position}) starts: the
     * latest available checkpoint of its epoch at or before it.
     *
     * @throws CorruptionException the epoch has no checkpoint left (only epoch 0 starts from nothing)
     */
    public Route route(Bookmark target, long position) {
        int epoch = target.epoch();
        List<CheckpointMeta> candidates = checkpoints.candidates(epoch, position);
        if (candidates.isEmpty() && epoch != 0) {
            List<String> problems = missing(epoch, position, Long.MAX_VALUE);
            throw new CorruptionException("database " + name + ": no checkpoint of epoch " + epoch + " is left to restore "
                    + target + " from" + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")"),
                    checkpoints.store().directory(), position, null);
        }
        return candidates.isEmpty() ? new Route(epoch, position, 0, 0)
                : new Route(epoch, position, candidates.get(0).number(), candidates.get(0).position());
    }

    /** What a restore along {@code route} to {@code target} shows before it runs: the route and the writes it takes back. */
    public RestorePlan plan(Bookmark target, Route route) throws IOException {
        List<LoggedWrite> undone = new ArrayList<>();
        if (route.position() < log.lastPosition()) {
            try (FrameCursor cursor = log.readFrom(route.position() + 1)) {
                for (Frame f = cursor.next(); f != null; f = cursor.next()) {
                    if (f.kind() == FrameKind.STATEMENTS) {
                        undone.add(new LoggedWrite(Frames.bookmark(f), Instant.ofEpochMilli(f.timestamp()), statements(f)));
                    }
                }
            }
        }
        return new RestorePlan(target, route.position(), route.checkpoint(), route.checkpointPosition(),
                route.framesToReplay(), undone);
    }

    /**
     * Writes the state {@code route} leads to into the new file {@code target}: its checkpoint, then
     * its frames. A checkpoint that proves unreadable only now is passed over for the next older
     * one (logged), so the restore still succeeds when an older checkpoint and the log can build it.
     */
    public Materialized materialize(Route route, Path target) throws IOException, SQLException {
        Materialized m = materialize(route.epoch(), route.position(), target, route.checkpoint() + 1);
        if (m.checkpoint() != route.checkpoint()) {
            System.getLogger(Restorer.class.getName()).log(System.Logger.Level.WARNING, "database " + name
                    + ": checkpoint " + route.checkpoint() + " was unreadable; the state after frame " + route.position()
                    + " was built from checkpoint " + m.checkpoint() + " and the log instead");
        }
        return m;
    }

    public static List<Statement> statements(Frame f) throws IOException {
        return StatementBatch.decode(f.payload()).statements();
    }

    /** Writes the state after frame {@code position} of {@code epoch} into the new file {@code target}. */
    public Materialized materialize(int epoch, long position, Path target) throws IOException, SQLException {
        return materialize(epoch, position, target, Long.MAX_VALUE);
    }

    /** As {@link #materialize(int, long, Path)}, using only checkpoints numbered below {@code belowCheckpoint}. */
    public Materialized materialize(int epoch, long position, Path target, long belowCheckpoint) throws IOException, SQLException {
        List<CheckpointMeta> candidates = new ArrayList<>(checkpoints.candidates(epoch, position));
        candidates.removeIf(c -> c.number() >= belowCheckpoint);
        List<String> problems = new ArrayList<>();
        CheckpointMeta from = null;
        for (CheckpointMeta c : candidates) {
            try {
                extract(c.number(), target);
                from = c;
                break;
            } catch (CorruptCheckpointException e) {
                problems.add(e.getMessage());
                Files.deleteIfExists(target);
            }
        }
        if (from == null && epoch != 0) {
            problems.addAll(missing(epoch, position, belowCheckpoint));
            throw new CorruptionException("database " + name + ": cannot rebuild frame " + position + " of epoch " + epoch
                    + ": no usable checkpoint" + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")"),
                    checkpoints.store().directory(), position, null);
        }
        long fromPosition = from == null ? 0 : from.position();
        if (from != null && onlyMarkersAfter(fromPosition, position)) {
            // nothing to replay: the state is the checkpoint's, and so are its digest and table count
            return new Materialized(target, position, from.number(), fromPosition, from.contentDigest(), from.tableCount(), true);
        }
        if (!Files.exists(target)) {
            PrivateFiles.createFile(target); // SQLite would create it with the umask's mode; its -wal copies this one
        }
        try (LiveDatabase state = LiveDatabase.openFile(target)) {
            new Replayer(log, log.directory(), this::load).replay(state, fromPosition + 1, position);
            return new Materialized(target, position, from == null ? 0 : from.number(), fromPosition,
                    ContentDigest.of(state.connection()), ContentDigest.tableCount(state.connection()), false);
        }
    }

    /** What the catalogue lists for {@code epoch} at or before {@code position} whose file is gone, one line each. */
    private List<String> missing(int epoch, long position, long belowCheckpoint) {
        List<String> out = new ArrayList<>();
        for (CheckpointMeta m : checkpoints.store().list()) {
            if (m.state() == CheckpointMeta.State.MISSING && m.kind() == CheckpointMeta.Kind.CHECKPOINT && m.epoch() == epoch
                    && m.position() <= position && m.number() < belowCheckpoint) {
                out.add("checkpoint " + m.number() + " is missing: " + checkpoints.store().fileOf(m.number()));
            }
        }
        return out;
    }

    /**
     * Whether frames {@code after + 1 .. upTo} change no content: none holds statements or a
     * restore (CHECKPOINT markers only move the meta row, which loading a state writes anyway).
     * Stops at the first frame that does.
     */
    private boolean onlyMarkersAfter(long after, long upTo) throws IOException {
        if (upTo == after) {
            return true;
        }
        try (FrameCursor cursor = log.readFrom(after + 1)) {
            for (Frame f = cursor.next(); f != null && f.position() <= upTo; f = cursor.next()) {
                if (f.kind() != FrameKind.CHECKPOINT) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Writes checkpoint {@code number}'s image to {@code target}, marked as a rollback-journal file so
     * it opens alone. Not forced: a state that becomes the live file is forced before the rename.
     */
    public void extract(long number, Path target) throws IOException {
        checkpoints.store().extractTo(number, target, null, false);
        SqliteHeader.markRollbackJournal(target);
    }

    /** Replay of a restore frame: the live file becomes the checkpoint the frame names. */
    public void load(LiveDatabase live, Frame restoreFrame) throws IOException, SQLException {
        RestoreMarker marker = RestoreMarker.decode(restoreFrame.payload());
        Path temp = tempFile();
        try {
            try {
                extract(marker.checkpoint(), temp);
            } catch (CorruptCheckpointException | IllegalArgumentException e) {
                throw new CorruptionException("database " + name + ": cannot replay the restore at frame " + restoreFrame.position()
                        + ": its checkpoint " + marker.checkpoint() + " is unusable: " + e.getMessage(),
                        checkpoints.store().fileOf(marker.checkpoint()), restoreFrame.position(), e);
            }
            live.replaceWith(temp);
            live.begin();
            live.writeApplied(restoreFrame.position(), restoreFrame.hash());
            live.commit();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The steps that make {@code state} current, for {@link Writer#restore}: store it as the
     * checkpoint that opens the new epoch, and once the writer has logged the restore frame,
     * cancel queries in flight ({@code cancelQueries}) and install it as the live file.
     */
    public Writer.RestoreSteps stepsFor(LiveDatabase live, Materialized state, Bookmark target, Runnable cancelQueries,
            LiveFileSwap swap) {
        // a state materialised in another database's directory (a fork) names that database's checkpoints
        boolean own = directory.toAbsolutePath().equals(state.file().toAbsolutePath().getParent());
        return new Writer.RestoreSteps() {
            private Hash128 stored;

            @Override
            public byte[] prepare(Writer.Position next, Bookmark latest, long timestamp) throws IOException, SQLException {
                byte[] payload = new RestoreMarker(target, latest, next.checkpoint(), state.digest()).encode();
                Hash128 hash = FrameCodec.chain(log.lastHash(), next.checkpointPosition(), next.epoch(), next.checkpoint(), 0,
                        timestamp, FrameKind.RESTORE, payload);
                LiveDatabase.writeAppliedInto(state.file(), next.checkpointPosition(), hash);
                CheckpointDraft draft = new CheckpointDraft(next.checkpoint(), next.epoch(), next.checkpointPosition(),
                        hash.toBytes(), timestamp, state.tables(), state.digest(), CheckpointMeta.Kind.CHECKPOINT,
                        Checkpoints.RESTORE_LABEL);
                if (own && state.replayedNothing()) {
                    // the image is the source checkpoint's but for the meta row, which loading a checkpoint rewrites
                    checkpoints.store().writeReusingImage(draft, state.checkpoint());
                } else {
                    checkpoints.store().write(draft, state.file());
                }
                stored = hash;
                return payload;
            }

            @Override
            public void abandon(Writer.Position next, Exception cause) {
                // the stored image is recorded nowhere
                try {
                    checkpoints.store().delete(next.checkpoint());
                } catch (IOException | RuntimeException d) {
                    cause.addSuppressed(d);
                }
            }

            @Override
            public void install(Frame frame) throws IOException, SQLException {
                if (!frame.hash().equals(stored)) {
                    throw new IllegalStateException("restore frame hash " + frame.hash().toHex() + " differs from the one"
                            + " stored in its checkpoint " + stored.toHex());
                }
                cancelQueries.run();
                if (!own || !swap.install(live, state.file())) {
                    live.replaceWith(state.file());
                }
            }

            @Override
            public ChronologException notInstalled(Frame frame, Exception cause) {
                String message = "database " + name + ": the restore to " + target + " is logged (frame " + frame.position()
                        + ", bookmark " + Frames.bookmark(frame) + ") but copying it into live.sqlite3 failed: " + cause.getMessage()
                        + "; it is finished before the next write once that succeeds, or when the database is reopened";
                return DiskFullException.isDiskFull(cause) ? new DiskFullException(message, cause, Frames.bookmark(frame))
                        : new ChronologException(message, cause);
            }
        };
    }

    /**
     * Checks where {@link #writePlainCopy} is to write, before any work: refuses ({@code what}
     * refused: ...) a file that exists, a staging file beside it that exists, and a directory that
     * does not exist or is not one. Returns the absolute path.
     */
    public static Path checkOutput(Path file, String what) {
        Path out = file.toAbsolutePath();
        if (Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ChronologException(what + " refused: " + out + " exists; give a new file name");
        }
        Path staged = staged(out);
        if (Files.exists(staged, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ChronologException(what + " refused: " + staged + " exists and is where " + out.getFileName()
                    + " would be staged; move it away or give another file name");
        }
        Path dir = out.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ChronologException(what + " refused: directory " + dir
                    + (dir != null && Files.exists(dir) ? " is not a directory" : " does not exist") + "; create it or give another file name");
        }
        return out;
    }

    private static Path staged(Path out) {
        return out.resolveSibling(out.getFileName() + Restorer.TEMP_SUFFIX);
    }

    /**
     * Turns a materialised state into a plain SQLite file at {@code out}: engine tables dropped,
     * rollback journal. Publishes it without ever replacing anything: the bytes go to a new
     * {@code <out>.tmp} ({@code 0600}, created only if absent), which is forced, then hard-linked
     * as {@code out} (the link fails if anything is at {@code out} by then), unlinked, and the
     * directory forced. The staged file is removed if anything fails; a file found at either name
     * is left as it was.
     *
     * @throws ChronologException when something appeared at {@code out} meanwhile ({@code what} refused)
     */
    public static void writePlainCopy(Path state, Path out, String what) throws IOException, SQLException {
        try (Connection c = LiveDatabase.connect(state, false); java.sql.Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + StatementGuard.ENGINE_TABLE_PREFIX + "meta");
            s.execute("PRAGMA journal_mode = DELETE");
        }
        Path staged = staged(out);
        boolean created = false;
        try {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(staged,
                    java.util.Set.of(java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS), PrivateFiles.FILE_ATTRIBUTE);
                 java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(state, java.nio.file.StandardOpenOption.READ)) {
                created = true;
                long size = in.size();
                for (long done = 0; done < size; ) {
                    done += ch.transferFrom(in, done, size - done);
                }
                ch.force(true);
            }
            publish(staged, out, what);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!created) {
                throw e; // a file already at the staging name is not ours to delete
            }
            deleteStaged(staged, e);
            throw e;
        } catch (IOException | RuntimeException e) {
            if (created) {
                deleteStaged(staged, e); // a half-written copy is never left beside the export's name
            }
            throw e;
        }
    }

    /** Test seam: runs just before an export or download is published, and before a fork opens its directory. */
    public static volatile Runnable beforePublish = () -> { };

    /** Links {@code staged} as {@code out} (never replacing), unlinks {@code staged}, forces the directory. */
    private static void publish(Path staged, Path out, String what) throws IOException {
        beforePublish.run();
        try {
            Files.createLink(out, staged);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new ChronologException(what + " refused: " + out + " exists (it appeared while the " + what
                    + " ran); nothing was replaced: give a new file name");
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            // no hard links here: copy into a file created only if absent (not atomic: a crash can leave it short)
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(out,
                    java.util.Set.of(java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS), PrivateFiles.FILE_ATTRIBUTE);
                 java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(staged, java.nio.file.StandardOpenOption.READ)) {
                long size = in.size();
                for (long done = 0; done < size; ) {
                    done += ch.transferFrom(in, done, size - done);
                }
                ch.force(true);
            } catch (java.nio.file.FileAlreadyExistsException again) {
                throw new ChronologException(what + " refused: " + out + " exists (it appeared while the " + what
                        + " ran); nothing was replaced: give a new file name");
            }
        }
        Files.delete(staged);
        Path dir = out.getParent();
        if (dir != null) {
            try (java.nio.channels.FileChannel d = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
                d.force(true);
            }
        }
    }

    private static void deleteStaged(Path staged, Exception failure) {
        try {
            Files.deleteIfExists(staged);
        } catch (IOException second) {
            failure.addSuppressed(second);
        }
    }

    public static void deleteQuietly(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            try {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            } catch (IOException ignored) {
                // a temp file left now is deleted at the next open
            }
        }
    }
}
