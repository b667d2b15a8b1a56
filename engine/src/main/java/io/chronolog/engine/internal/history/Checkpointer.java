package io.chronolog.engine.internal.history;

import io.chronolog.engine.internal.log.Frames;
import io.chronolog.engine.DiskFullException;
import io.chronolog.engine.internal.live.ContentDigest;
import io.chronolog.engine.internal.live.LiveDatabase;
import io.chronolog.engine.internal.live.LiveFileGate;
import io.chronolog.engine.internal.live.MetaRow;
import io.chronolog.engine.internal.metrics.EngineMetrics;
import io.chronolog.engine.internal.write.Writer;

import io.chronolog.snapshot.CheckpointDraft;
import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.engine.internal.log.CheckpointMarker;
import io.chronolog.wal.FrameKind;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.Hash128;
import io.chronolog.wal.LogFullException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Takes checkpoints without stopping writers: copies a consistent image of the live file inside one
 * read transaction, page by page into a scratch file (SQLite's backup API through
 * {@code chronolog_copy_image}: pages are copied, so every rowid is kept, and no image is ever held
 * in memory, whatever the database's size), with the position and hash it holds and its content
 * digest; streams it compressed into the checkpoint store and deletes the scratch file; then, under the
 * writer lock, appends the checkpoint marker that makes later frames count from it. A checkpoint
 * whose epoch ended meanwhile (a restore ran) is dropped. Serialised by its own lock.
 */
public final class Checkpointer {
    private final Path liveFile;
    private final LiveFileGate gate;
    private final FrameLog log;
    private final Checkpoints checkpoints;
    private final Writer writer;
    private final EngineMetrics metrics;
    /** A new scratch file's name in the database directory (deleted at open if a crash leaves it). */
    private final java.util.function.Supplier<Path> scratch;

    public Checkpointer(Path liveFile, LiveFileGate gate, FrameLog log, Checkpoints checkpoints, Writer writer, EngineMetrics metrics,
            java.util.function.Supplier<Path> scratch) {
        this.scratch = scratch;
        this.liveFile = liveFile;
        this.gate = gate;
        this.log = log;
        this.checkpoints = checkpoints;
        this.writer = writer;
        this.metrics = metrics;
    }

    /** A consistent image of the live file, in scratch file {@code image}, and what it holds. */
    record Snapshot(long position, Hash128 hash, Path image, byte[] digest, int tables) {
    }

    /**
     * Copies a snapshot in one read transaction; empty when {@code onlyAfter} is not passed (nothing
     * new). The caller deletes the snapshot's image file.
     */
    private Optional<Snapshot> read(long onlyAfter) throws SQLException, IOException {
        Path image = scratch.get();
        boolean kept = false;
        gate.enterShared();
        try {
            Optional<Snapshot> snap = readInside(onlyAfter, image);
            kept = snap.isPresent();
            return snap;
        } finally {
            gate.leaveShared();
            if (!kept) {
                Files.deleteIfExists(image);
            }
        }
    }

    private Optional<Snapshot> readInside(long onlyAfter, Path imageFile) throws SQLException {
        try (Connection c = LiveDatabase.connect(liveFile, true); Statement s = c.createStatement()) {
            s.execute("BEGIN");
            try {
                long position;
                Hash128 hash;
                MetaRow.Entry applied = MetaRow.read(c, MetaRow.APPLIED).orElseThrow();
                position = applied.position();
                hash = position == 0 ? Hash128.ZERO : Hash128.fromBytes(applied.value());
                if (position <= onlyAfter) {
                    return Optional.empty();
                }
                try (PreparedStatement copy = c.prepareStatement("SELECT chronolog_copy_image(?)")) {
                    copy.setString(1, imageFile.toString());
                    copy.executeQuery().close();
                }
                return Optional.of(new Snapshot(position, hash, imageFile, ContentDigest.of(c), ContentDigest.tableCount(c)));
            } finally {
                s.execute("COMMIT");
            }
        }
    }

    private void deleteQuietly(long number, Exception failure) {
        try {
            checkpoints.store().delete(number);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Stores a backup of the current state under {@code label}; it is not part of the log's chain. */
    public synchronized CheckpointMeta backup(CheckpointMeta.Kind kind, String id) throws IOException, SQLException {
        Snapshot snap = read(-1).orElseThrow();
        try {
            int epoch = snap.position() == 0 ? 0 : log.read(snap.position()).epoch();
            io.chronolog.engine.Bookmark at = snap.position() == 0 ? Frames.bookmark(0, 0, 0, Hash128.ZERO)
                    : Frames.bookmark(log.read(snap.position()));
            return checkpoints.store().write(new CheckpointDraft(checkpoints.allocate(), epoch, snap.position(),
                    snap.hash().toBytes(), writer.now(), snap.tables(), snap.digest(), kind, new BackupLabel(id, at).encode()), snap.image());
        } finally {
            Files.deleteIfExists(snap.image());
        }
    }

    /** Takes a checkpoint of the current state; empty when there is nothing new since the last one. */
    public synchronized Optional<CheckpointMeta> take() throws IOException, SQLException {
        long started = System.nanoTime();
        Optional<Snapshot> read = read(writer.base().checkpointPosition());
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Snapshot snap = read.get();
        long position = snap.position();
        Hash128 hash = snap.hash();
        byte[] digest = snap.digest();
        int tables = snap.tables();
        long number;
        CheckpointMeta meta;
        try {
            int epoch = log.read(position).epoch();
            number = checkpoints.allocate();
            meta = checkpoints.store().write(new CheckpointDraft(number, epoch, position, hash.toBytes(),
                    writer.now(), tables, digest, CheckpointMeta.Kind.CHECKPOINT, ""), snap.image());
        } finally {
            Files.deleteIfExists(snap.image());
        }
        int epoch = meta.epoch();
        boolean kept;
        try {
            kept = writer.exclusive(() -> {
                Writer.Position base = writer.base();
                if (base.epoch() != epoch || position <= base.checkpointPosition()) {
                    return false;
                }
                writer.appendMarker(FrameKind.CHECKPOINT, new CheckpointMarker(number, position, digest).encode(),
                        new Writer.Position(epoch, number, position));
                return true;
            });
        } catch (LogFullException | DiskFullException e) {
            // no marker reached the log: the stored image is recorded nowhere, so it goes
            deleteQuietly(number, e);
            throw e;
        }
        if (!kept) {
            checkpoints.store().delete(number);
            return Optional.empty();
        }
        metrics.checkpointTime.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        metrics.checkpointBytes.record(meta.compressedSize());
        metrics.checkpointRatio.record(meta.rawSize() == 0 ? 1.0 : (double) meta.compressedSize() / meta.rawSize());
        return Optional.of(meta);
    }
}
