package io.chronolog.engine.internal.history;

import io.chronolog.engine.BackupInfo;
import io.chronolog.engine.ChronologException;
import io.chronolog.engine.DiskFullException;
import io.chronolog.engine.RestoreResult;
import io.chronolog.engine.internal.clock.EngineClock;
import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CheckpointStore;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The backup verbs of a writing open; the schedule's decisions are {@link RetentionPolicy}'s. A backup is a checkpoint outside the log's chain, labelled
 * by {@link BackupLabel}; taking one reads a snapshot and never blocks writers. The automatic
 * schedule runs on the engine's time (the wall clock checked against elapsed monotonic time), so
 * a stepped wall clock neither stops nor hurries it; a time that moved back by more than
 * {@code backupEvery} (a trusted correction) counts as time passed. Nothing is deleted for age
 * while the wall clock is stepped, and a backup stamped after the engine's time never is.
 * Thread-safe.
 */
public final class BackupWriter implements BackupMaker {
    private final String name;
    private final CheckpointStore store;
    private final BackupCatalog catalog;
    private final Checkpointer checkpointer;
    private final Restores restores;
    private final Checkpoints checkpoints;
    private final RetentionPolicy policy;
    private final EngineClock time;
    private final ArchiveFloor archive;
    /** The engine's time when this instance last took an automatic backup; MIN_VALUE before the first. */
    private long lastScheduledAt = Long.MIN_VALUE;

    public BackupWriter(String name, Checkpoints checkpoints, BackupCatalog catalog, Checkpointer checkpointer, Restores restores,
            RetentionPolicy policy, EngineClock time, ArchiveFloor archive) {
        this.archive = archive;
        this.name = name;
        this.checkpoints = checkpoints;
        this.store = checkpoints.store();
        this.catalog = catalog;
        this.checkpointer = checkpointer;
        this.restores = restores;
        this.policy = policy;
        this.time = time;
    }

    @Override
    public BackupInfo create() {
        return BackupCatalog.info(take(CheckpointMeta.Kind.BACKUP_MANUAL));
    }

    @Override
    public RestoreResult restore(String id) {
        return restores.restoreBackup(catalog.find(id));
    }

    @Override
    public void delete(String id) {
        CheckpointMeta backup = catalog.find(id);
        delete(backup);
        archive.backupDeleted(BackupLabel.idOf(backup));
    }

    @Override
    public synchronized Optional<BackupInfo> runSchedule() {
        long now = time.millis();
        Optional<CheckpointMeta> taken = Optional.empty();
        OptionalLong last = lastScheduledAt == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(lastScheduledAt);
        if (policy.backupDue(now, last, checkpoints.forRetention())) {
            taken = Optional.of(take(CheckpointMeta.Kind.BACKUP_AUTOMATIC));
            lastScheduledAt = now;
        }
        // asked again over the catalogue holding the backup just taken; empty while the wall clock is stepped
        java.util.Set<Long> expired = new java.util.HashSet<>(policy.expiredAutomaticBackups(time.millisForDeletion(),
                checkpoints.forRetention()));
        for (CheckpointMeta m : store.list()) {
            if (expired.contains(m.number()) && archive.isArchived(m)) { // the archive keeps its copy by its own retention
                delete(m);
            }
        }
        return taken.map(BackupCatalog::info);
    }

    private CheckpointMeta take(CheckpointMeta.Kind kind) {
        try {
            CheckpointMeta taken = checkpointer.backup(kind, UUID.randomUUID().toString());
            archive.stored();
            return taken;
        } catch (IOException | SQLException e) {
            throw DiskFullException.of("database " + name + ": backup failed: " + e.getMessage(), e);
        }
    }

    private void delete(CheckpointMeta backup) {
        try {
            store.delete(backup.number());
        } catch (IOException e) {
            throw new ChronologException("database " + name + ": deleting backup " + BackupLabel.idOf(backup) + " failed: "
                    + e.getMessage(), e);
        }
    }
}
