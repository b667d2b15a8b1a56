package io.chronolog.engine.internal.history;

import io.chronolog.engine.BackupInfo;
import io.chronolog.engine.ChronologException;
import io.chronolog.engine.DiskFullException;
import io.chronolog.engine.Options;
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
 * The backup verbs of a writing open. A backup is a checkpoint outside the log's chain, labelled
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
    private final Options options;
    private final EngineClock time;
    /** The engine's time when this instance last took an automatic backup; MIN_VALUE before the first. */
    private long lastScheduledAt = Long.MIN_VALUE;

    public BackupWriter(String name, CheckpointStore store, BackupCatalog catalog, Checkpointer checkpointer, Restores restores,
            Options options, EngineClock time) {
        this.name = name;
        this.store = store;
        this.catalog = catalog;
        this.checkpointer = checkpointer;
        this.restores = restores;
        this.options = options;
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
        delete(catalog.find(id));
    }

    @Override
    public synchronized Optional<BackupInfo> runSchedule() {
        long now = time.millis();
        Optional<CheckpointMeta> taken = Optional.empty();
        long latest = lastScheduledAt;
        if (latest == Long.MIN_VALUE) {
            for (CheckpointMeta m : store.list()) {
                if (m.kind() == CheckpointMeta.Kind.BACKUP_AUTOMATIC) {
                    latest = Math.max(latest, m.createdAtMillis());
                }
            }
        }
        // the distance either way: a clock stepped back before the last backup must not stop the schedule
        if (latest == Long.MIN_VALUE || Math.abs(now - latest) >= options.backupEvery().toMillis()) {
            taken = Optional.of(take(CheckpointMeta.Kind.BACKUP_AUTOMATIC));
            lastScheduledAt = now;
        }
        OptionalLong trusted = time.millisForDeletion();
        if (trusted.isEmpty()) {
            return taken.map(BackupCatalog::info); // the wall clock is stepped: no backup is old by its reading
        }
        for (CheckpointMeta m : store.list()) {
            if (m.kind() == CheckpointMeta.Kind.BACKUP_AUTOMATIC
                    && trusted.getAsLong() - m.createdAtMillis() >= options.automaticBackupRetention().toMillis()) {
                delete(m);
            }
        }
        return taken.map(BackupCatalog::info);
    }

    private CheckpointMeta take(CheckpointMeta.Kind kind) {
        try {
            return checkpointer.backup(kind, UUID.randomUUID().toString());
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
