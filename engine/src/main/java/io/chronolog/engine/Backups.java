package io.chronolog.engine;

import io.chronolog.engine.internal.clock.EngineClock;
import io.chronolog.engine.internal.history.Checkpointer;
import io.chronolog.engine.internal.history.Restorer;
import io.chronolog.engine.internal.log.Frames;

import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CheckpointStore;
import io.chronolog.wal.Hash128;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The backups of one database (D1's backup verbs): named checkpoints that are not part of the log's
 * chain, so a manual backup outlives the retention window. Taking one reads a snapshot and never
 * blocks writers. Ids are UUIDs; anything else (empty, path-like, upper-case) is refused before any
 * file is touched. Thread-safe. Obtained from {@link Database#backups()}.
 */
public final class Backups {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Database db;
    private final CheckpointStore store;
    private final Checkpointer checkpointer;
    private final Restorer restorer;
    private final Options options;
    private final EngineClock time;

    Backups(Database db, CheckpointStore store, Checkpointer checkpointer, Restorer restorer, Options options, EngineClock time) {
        this.time = time;
        this.db = db;
        this.store = store;
        this.checkpointer = checkpointer;
        this.restorer = restorer;
        this.options = options;
    }

    /** Takes a manual backup of the current state. */
    public BackupInfo create() {
        return info(takeBackup(CheckpointMeta.Kind.BACKUP_MANUAL, UUID.randomUUID().toString()));
    }

    /** Every backup, oldest first. */
    public List<BackupInfo> list() {
        List<BackupInfo> out = new ArrayList<>();
        for (CheckpointMeta m : all()) {
            if (m.isBackup()) {
                out.add(info(m));
            }
        }
        return out;
    }

    /** The backup with this id. */
    public BackupInfo get(String id) {
        return info(find(id));
    }

    /** Writes the backup to {@code file} as a plain SQLite 3 database of the user's schema and rows; never overwrites. */
    public void download(String id, Path file) {
        downloadBackup(find(id), file);
    }

    /** Restores the backup: a restore to its moment, with an undo bookmark, as {@link Database#restore(Bookmark)}. */
    public RestoreResult restore(String id) {
        return restoreBackup(find(id));
    }

    /** Deletes the backup. */
    public void delete(String id) {
        deleteBackup(find(id));
    }

    /**
     * Runs the automatic schedule now: takes an automatic backup if none was taken in the last
     * {@link Options#backupEvery()}, and deletes automatic backups older than
     * {@link Options#automaticBackupRetention()}. The background thread calls this; tests call it
     * with a moved clock. Returns the backup taken, if any. The schedule runs on the engine's time
     * (the wall clock checked against elapsed monotonic time), so a stepped wall clock neither stops
     * nor hurries it; a time that moved back by more than {@code backupEvery} (a trusted correction)
     * counts as time passed. Nothing is deleted for age while the wall clock is stepped
     * ({@link Options#clockTolerance()}), and a backup stamped after the engine's time never is.
     */
    public java.util.Optional<BackupInfo> runSchedule() {
        return runBackupSchedule().map(Backups::info);
    }

    private CheckpointMeta find(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            String shown = id == null ? "null" : "'" + (id.length() > 60 ? id.substring(0, 60) + "…" : id) + "'";
            throw new BackupNotFoundException("malformed backup id " + shown + ": ids are lower-case UUIDs like "
                    + "3f1c2a9e-8b7d-4c6e-9a1b-2d3e4f5a6b7c (see backup list)");
        }
        for (CheckpointMeta m : all()) {
            if (m.isBackup() && idOf(m).equals(id)) {
                return m;
            }
        }
        throw new BackupNotFoundException("unknown backup id " + id + " for database " + db.name() + " (see backup list)");
    }

    /** A backup's label is "{@code <id> <bookmark>}" (docs/FORMAT.md). */
    static String idOf(CheckpointMeta m) {
        int space = m.label().indexOf(' ');
        return space < 0 ? m.label() : m.label().substring(0, space);
    }

    static Bookmark bookmarkOf(CheckpointMeta m) {
        int space = m.label().indexOf(' ');
        return space < 0 ? Frames.bookmark(m.epoch(), 0, 0, Hash128.fromBytes(m.chainHash())) : Bookmark.parse(m.label().substring(space + 1));
    }

    static BackupInfo info(CheckpointMeta m) {
        Bookmark at = bookmarkOf(m);
        return new BackupInfo(idOf(m), Instant.ofEpochMilli(m.createdAtMillis()), m.tableCount(), m.compressedSize(),
                m.state() == CheckpointMeta.State.AVAILABLE ? "complete" : "missing",
                m.kind() == CheckpointMeta.Kind.BACKUP_AUTOMATIC, at);
    }

    private List<CheckpointMeta> all() {
        db.checkOpen();
        return store.list();
    }

    private CheckpointMeta takeBackup(CheckpointMeta.Kind kind, String id) {
        db.checkOpen();
        db.requireWritable("backup create");
        try {
            return checkpointer.backup(kind, id);
        } catch (IOException | SQLException e) {
            throw DiskFullException.of("database " + db.name() + ": backup failed: " + e.getMessage(), e);
        }
    }

    private void downloadBackup(CheckpointMeta backup, Path file) {
        Path out = Restorer.checkOutput(file, "download");
        Path temp = restorer.tempFile();
        try {
            restorer.extract(backup.number(), temp);
            Restorer.writePlainCopy(temp, out, "download");
        } catch (IOException | SQLException e) {
            throw new ChronologException("database " + db.name() + ": download of backup " + Backups.idOf(backup) + " to " + out
                    + " failed: " + e.getMessage(), e);
        } finally {
            Restorer.deleteQuietly(temp);
        }
    }

    private RestoreResult restoreBackup(CheckpointMeta backup) {
        db.checkOpen();
        db.requireWritable("backup restore");
        long started = System.nanoTime();
        Bookmark target = Backups.bookmarkOf(backup);
        Path temp = restorer.tempFile();
        try {
            restorer.extract(backup.number(), temp);
            Restorer.Materialized state = new Restorer.Materialized(temp, backup.position(), backup.number(), backup.position(),
                    backup.contentDigest(), backup.tableCount(), true);
            return db.commitRestore(state, target, started, 0);
        } catch (IOException | SQLException e) {
            throw DiskFullException.of("database " + db.name() + ": restore of backup " + Backups.idOf(backup) + " failed: "
                    + e.getMessage(), e);
        } finally {
            Restorer.deleteQuietly(temp);
        }
    }

    private void deleteBackup(CheckpointMeta backup) {
        db.checkOpen();
        db.requireWritable("backup delete");
        try {
            store.delete(backup.number());
        } catch (IOException e) {
            throw new ChronologException("database " + db.name() + ": deleting backup " + Backups.idOf(backup) + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** The engine's time when this instance last took an automatic backup; MIN_VALUE before the first. */
    private long lastScheduledAt = Long.MIN_VALUE;

    private synchronized Optional<CheckpointMeta> runBackupSchedule() {
        db.checkOpen();
        db.requireWritable("the backup schedule");
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
            taken = Optional.of(takeBackup(CheckpointMeta.Kind.BACKUP_AUTOMATIC, java.util.UUID.randomUUID().toString()));
            lastScheduledAt = now;
        }
        java.util.OptionalLong trusted = time.millisForDeletion();
        if (trusted.isEmpty()) {
            return taken; // the wall clock is stepped: no backup is old by its reading
        }
        for (CheckpointMeta m : store.list()) {
            if (m.kind() == CheckpointMeta.Kind.BACKUP_AUTOMATIC
                    && trusted.getAsLong() - m.createdAtMillis() >= options.automaticBackupRetention().toMillis()) {
                deleteBackup(m);
            }
        }
        return taken;
    }

}
