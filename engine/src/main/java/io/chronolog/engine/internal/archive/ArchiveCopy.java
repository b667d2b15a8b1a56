package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveException;
import io.chronolog.engine.internal.directory.DatabaseDirectory;
import io.chronolog.engine.internal.directory.PrivateFiles;
import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CheckpointStore;
import io.chronolog.engine.internal.log.RestoreMarker;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameKind;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.LogOptions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;

/**
 * Executes an {@link ArchiveRestorePlan}: writes a database directory that holds the archived
 * history from the plan's first frame (the log rebuilt frame by frame, each checked against the
 * chain, then forced) and the plan's checkpoints (their files as archived; the checkpoint store
 * adopts them once their headers verify, and each must match the archived frame at its position).
 * The directory has no live file: the first open builds it from the newest checkpoint and the
 * frames after it, as after any lost live file. A reader lease protects what it reads from
 * archive garbage collection while it runs.
 */
public final class ArchiveCopy {
    private ArchiveCopy() {
    }

    /** What a copy wrote. */
    public record Copied(long firstPosition, long lastPosition, int checkpoints, long bytes) {
    }

    /**
     * Writes the plan's history into {@code dir}, which must not exist or be empty.
     *
     * @throws ArchiveException a downloaded object does not verify (named by key), or the store failed
     */
    public static Copied execute(ArchiveReader reader, ArchiveRestorePlan plan, Path dir, long nowMillis, LongConsumer progressBytes)
            throws IOException {
        Files.createDirectories(dir, PrivateFiles.DIRECTORY_ATTRIBUTE);
        String leaseKey = ArchiveLayout.readerKey(java.util.UUID.randomUUID().toString());
        ArchiveLease lease = ArchiveLease.forThisProcess(ArchiveLease.Kind.READER, 0, plan.fromPosition(), nowMillis,
                nowMillis + java.util.concurrent.TimeUnit.HOURS.toMillis(6));
        reader.store().createIfAbsent(leaseKey, lease.encode());
        try {
            long bytes = 0;
            Path cpDir = dir.resolve(DatabaseDirectory.CHECKPOINT_DIRECTORY);
            Files.createDirectories(cpDir, PrivateFiles.DIRECTORY_ATTRIBUTE);
            // the log first: it names every checkpoint the copy needs (each frame's epoch base, each restore's state)
            Path walDir = dir.resolve(DatabaseDirectory.WAL_DIRECTORY);
            java.util.Set<Long> needed = new java.util.TreeSet<>();
            for (ArchiveLayout.CheckpointKey k : plan.checkpoints()) {
                needed.add(k.number());
            }
            Frame last;
            try (FrameLog log = FrameLog.open(walDir, LogOptions.defaults(() -> nowMillis))) {
                last = reader.frames(plan.fromPosition(), Long.MAX_VALUE, f -> {
                    log.appendCopy(f);
                    needed.add(f.checkpoint());
                    if (f.kind() == FrameKind.RESTORE) {
                        needed.add(RestoreMarker.decode(f.payload()).checkpoint());
                    }
                }, progressBytes);
                log.sync();
            }
            needed.remove(0L); // the empty database: no object
            java.util.Map<Long, ArchiveLayout.CheckpointKey> archived = new java.util.HashMap<>();
            for (ArchiveLayout.CheckpointKey k : reader.checkpoints()) {
                archived.put(k.number(), k);
            }
            for (long number : needed) {
                ArchiveLayout.CheckpointKey k = archived.get(number);
                if (k == null) {
                    throw new ArchiveException("the archive of " + reader.name() + " lacks checkpoint " + number
                            + ", which its frames from " + plan.fromPosition() + " on name: it cannot be rebuilt from the archive"
                            + " (run chronolog archive verify " + reader.name() + ")");
                }
                byte[] body = reader.store().getLarge(k.key()).orElseThrow(() -> new ArchiveException("archive object "
                        + reader.key(k.key()) + " was listed but is gone"));
                Path file = cpDir.resolve(String.format("%020d.ckpt", k.number()));
                write(file, body);
                CheckpointMeta m = CheckpointStore.readHeader(file);
                if (m.number() != k.number() || m.position() != k.position() || m.epoch() != k.epoch()) {
                    throw new ArchiveException("archive object " + reader.key(k.key()) + " holds checkpoint " + m.number() + " at frame "
                            + m.position() + ", not the one its key names");
                }
                bytes += body.length;
                if (progressBytes != null) {
                    progressBytes.accept(body.length);
                }
            }
            try (CheckpointStore store = CheckpointStore.open(cpDir)) {
                for (CheckpointMeta m : store.list()) {
                    if (m.position() >= plan.fromPosition() && m.position() <= last.position()) {
                        // each checkpoint belongs to this chain: its hash is the archived frame's at its position
                        try (FrameLog log = FrameLog.openReadOnly(walDir, LogOptions.defaults(() -> nowMillis))) {
                            Frame f = log.read(m.position());
                            if (!java.util.Arrays.equals(f.hash().toBytes(), m.chainHash())) {
                                throw new ArchiveException("archived checkpoint " + m.number() + " does not belong to the archived"
                                        + " history: its chain hash differs from frame " + m.position() + "'s");
                            }
                        }
                    }
                    store.verify(m.number());
                }
            }
            return new Copied(plan.fromPosition(), last.position(), needed.size(), bytes);
        } finally {
            try {
                reader.store().delete(leaseKey);
            } catch (RuntimeException e) {
                // an expired lease is deleted by the next collection
            }
        }
    }

    private static void write(Path file, byte[] body) throws IOException {
        PrivateFiles.createFile(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(body);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }
}
