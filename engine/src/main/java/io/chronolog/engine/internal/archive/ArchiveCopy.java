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
            java.util.Set<Long> named = new java.util.TreeSet<>();  // named by a copied frame: required
            java.util.Set<Long> wanted = new java.util.TreeSet<>(); // chosen by the plan (a bounded rebuild): when they belong
            for (ArchiveLayout.CheckpointKey k : plan.checkpoints()) {
                wanted.add(k.number());
            }
            Frame last;
            try (FrameLog log = FrameLog.open(walDir, LogOptions.defaults(() -> nowMillis))) {
                last = reader.frames(plan.fromPosition(), Long.MAX_VALUE, f -> {
                    log.appendCopy(f);
                    named.add(f.checkpoint());
                    if (f.kind() == FrameKind.RESTORE) {
                        named.add(RestoreMarker.decode(f.payload()).checkpoint());
                    }
                }, progressBytes);
                log.sync();
            }
            named.remove(0L); // the empty database: no object
            wanted.removeAll(named);
            // a number may be archived more than once: a writer fenced after storing a checkpoint (checkpoints go before
            // their frames) leaves one that is not of this history; the one whose chain hash is the copied frame's belongs
            java.util.Map<Long, java.util.List<ArchiveLayout.CheckpointKey>> archived = new java.util.HashMap<>();
            for (ArchiveLayout.CheckpointKey k : reader.checkpoints()) {
                archived.computeIfAbsent(k.number(), n -> new java.util.ArrayList<>()).add(k);
            }
            int fetched = 0;
            try (FrameLog log = FrameLog.openReadOnly(walDir, LogOptions.defaults(() -> nowMillis))) {
                for (long number : named) {
                    long got = fetch(reader, archived.getOrDefault(number, java.util.List.of()), cpDir, log, progressBytes);
                    if (got < 0) {
                        throw new ArchiveException("the archive of " + reader.name() + " lacks checkpoint " + number
                                + " of this history, which its frames from " + plan.fromPosition() + " on name: it cannot be rebuilt"
                                + " from the archive (run chronolog archive verify " + reader.name() + ")");
                    }
                    bytes += got;
                    fetched++;
                }
                for (long number : wanted) {
                    long got = fetch(reader, archived.getOrDefault(number, java.util.List.of()), cpDir, log, progressBytes);
                    if (got >= 0) {
                        bytes += got;
                        fetched++;
                    }
                }
            }
            try (CheckpointStore store = CheckpointStore.open(cpDir)) {
                for (CheckpointMeta m : store.list()) {
                    store.verify(m.number());
                }
            }
            return new Copied(plan.fromPosition(), last.position(), fetched, bytes);
        } finally {
            try {
                reader.store().delete(leaseKey);
            } catch (RuntimeException e) {
                // an expired lease is deleted by the next collection
            }
        }
    }

    /**
     * Downloads the first of {@code candidates} (one checkpoint number) that belongs to the copied
     * history: its header is the one its key names and, when the copied log holds its position, its
     * chain hash is that frame's. Returns its bytes, or -1 when none belongs (none is kept).
     */
    private static long fetch(ArchiveReader reader, java.util.List<ArchiveLayout.CheckpointKey> candidates, Path cpDir, FrameLog log,
            LongConsumer progressBytes) throws IOException {
        for (ArchiveLayout.CheckpointKey k : candidates) {
            if (k.position() > log.lastPosition()) {
                continue; // beyond the archived history: stored by a writer whose frames never made it
            }
            byte[] body = reader.store().getLarge(k.key()).orElse(null);
            if (body == null) {
                continue;
            }
            Path file = cpDir.resolve(String.format("%020d.ckpt", k.number()));
            Files.deleteIfExists(file);
            write(file, body);
            CheckpointMeta m = CheckpointStore.readHeader(file);
            if (m.number() != k.number() || m.position() != k.position() || m.epoch() != k.epoch()) {
                throw new ArchiveException("archive object " + reader.key(k.key()) + " holds checkpoint " + m.number() + " at frame "
                        + m.position() + ", not the one its key names");
            }
            if (m.position() >= log.firstPosition() && !java.util.Arrays.equals(log.read(m.position()).hash().toBytes(), m.chainHash())) {
                Files.delete(file); // another writer's, fenced before its frames were archived
                continue;
            }
            if (progressBytes != null) {
                progressBytes.accept(body.length);
            }
            return body.length;
        }
        return -1;
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
