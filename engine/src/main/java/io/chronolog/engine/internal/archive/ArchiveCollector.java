package io.chronolog.engine.internal.archive;

import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CheckpointStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Archive garbage collection: deletes what the archive's retention window no longer needs, oldest
 * first, so that what remains is always a restorable suffix of the history. Every moment inside
 * the window stays restorable: history is kept from the newest checkpoint taken at or before the
 * window's start (a bookmark in the window lies after it, in its epoch or in a later one whose
 * restore checkpoint lies after it too), and from the oldest frame a live reader lease names
 * (a restore, a verify). Automatic backups older than the window go; manual ones stay until a
 * user deletes them; the newest writer leases are kept. Nothing is deleted while the wall clock is
 * under suspicion (the time source answers empty). Stateless between runs.
 */
public final class ArchiveCollector implements Archiver.Collector {
    private static final System.Logger LOG = System.getLogger(ArchiveCollector.class.getName());
    private static final int WRITER_LEASES_KEPT = 16;

    /** What one run deleted. */
    public record Collected(int segments, int checkpoints, int backups, int leases, long keptFrom) {
    }

    private final Duration retention;
    private final Supplier<OptionalLong> millisForDeletion;

    public ArchiveCollector(Duration retention, Supplier<OptionalLong> millisForDeletion) {
        this.retention = retention;
        this.millisForDeletion = millisForDeletion;
    }

    @Override
    public void collect(ArchiveReader reader) {
        Collected c = run(reader);
        if (c.segments() + c.checkpoints() + c.backups() + c.leases() > 0) {
            LOG.log(System.Logger.Level.INFO, "database " + reader.name() + ": archive retention deleted " + c.segments() + " segments, "
                    + c.checkpoints() + " checkpoints, " + c.backups() + " automatic backups and " + c.leases()
                    + " old leases; history is kept from frame " + c.keptFrom());
        }
    }

    /** One run; returns what it deleted. */
    public Collected run(ArchiveReader reader) {
        OptionalLong now = millisForDeletion.get();
        if (now.isEmpty()) {
            return new Collected(0, 0, 0, 0, 0);
        }
        long windowStart = now.getAsLong() - retention.toMillis();
        ObjectStore store = reader.store();
        List<ArchiveLayout.CheckpointKey> checkpoints = reader.checkpoints();
        long floor = -1;
        for (ArchiveLayout.CheckpointKey k : checkpoints) {
            if (k.createdMillis() <= windowStart) {
                floor = Math.max(floor, k.position());
            }
        }
        for (String key : store.list(ArchiveLayout.READERS)) {
            Optional<byte[]> bytes = store.get(key);
            if (bytes.isEmpty()) {
                continue;
            }
            ArchiveLease lease = ArchiveLease.decode(bytes.get(), reader.key(key));
            if (lease.expiresMillis() > now.getAsLong()) {
                floor = floor < 0 ? -1 : Math.min(floor, lease.fromPosition());
            } else {
                store.delete(key);
            }
        }
        int segments = 0;
        int deletedCheckpoints = 0;
        if (floor > 0) {
            // checkpoints before the floor first (no restore inside the window starts from them), then the segments
            // wholly before it, oldest first: a run stopped half way leaves a suffix that still restores
            for (ArchiveLayout.CheckpointKey k : checkpoints) {
                if (k.position() < floor) {
                    store.delete(k.key());
                    deletedCheckpoints++;
                }
            }
            TreeMap<Long, String> segs = reader.segments();
            for (Map.Entry<Long, String> e : segs.entrySet()) {
                Long next = segs.higherKey(e.getKey());
                if (next == null || next > floor) {
                    break;
                }
                store.delete(e.getValue());
                segments++;
            }
        }
        int backups = 0;
        for (String key : store.list(ArchiveLayout.BACKUPS)) {
            Optional<String> id = ArchiveLayout.backupInfo(key);
            if (id.isEmpty()) {
                continue;
            }
            Optional<CheckpointMeta> meta = store.get(key).map(b -> header(b, reader.key(key)));
            if (meta.isPresent() && meta.get().kind() == CheckpointMeta.Kind.BACKUP_AUTOMATIC
                    && meta.get().createdAtMillis() < windowStart) {
                store.delete(key);
                store.delete(ArchiveLayout.backupKey(id.get()));
                backups++;
            }
        }
        List<String> writers = store.list(ArchiveLayout.WRITERS);
        int leases = 0;
        for (int i = 0; i < writers.size() - WRITER_LEASES_KEPT; i++) {
            store.delete(writers.get(i));
            leases++;
        }
        return new Collected(segments, deletedCheckpoints, backups, leases, Math.max(0, floor));
    }

    /** A checkpoint header from the bytes of an archived {@code .info} object. */
    static CheckpointMeta header(byte[] bytes, String key) {
        try {
            Path temp = Files.createTempFile("chronolog-header", ".info");
            try {
                Files.write(temp, bytes);
                return CheckpointStore.readHeader(temp);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new io.chronolog.engine.ArchiveException("archive object " + key + " is not a readable backup header: "
                    + e.getMessage(), e);
        }
    }
}
