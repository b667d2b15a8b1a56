package io.chronolog.engine;

import io.chronolog.engine.internal.history.BackupCatalog;
import io.chronolog.engine.internal.history.BackupMaker;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The backups of one database (D1's backup verbs): named checkpoints that are not part of the log's
 * chain, so a manual backup outlives the retention window. Taking one reads a snapshot and never
 * blocks writers. Ids are UUIDs; anything else (empty, path-like, upper-case) is refused before any
 * file is touched. On a read-only open listing, reading and downloading work and the
 * verbs that change the database throw {@link ReadOnlyException}. Thread-safe. Obtained from
 * {@code backups()} of an open database; each verb first checks that it is still open.
 */
public final class Backups {
    private final Runnable checkOpen;
    private final BackupCatalog catalog;
    private final BackupMaker maker;

    Backups(Runnable checkOpen, BackupCatalog catalog, BackupMaker maker) {
        this.checkOpen = checkOpen;
        this.catalog = catalog;
        this.maker = maker;
    }

    /** Takes a manual backup of the current state. */
    public BackupInfo create() {
        checkOpen.run();
        return maker.create();
    }

    /** Every backup, oldest first. */
    public List<BackupInfo> list() {
        checkOpen.run();
        return catalog.list();
    }

    /** The backup with this id. */
    public BackupInfo get(String id) {
        checkOpen.run();
        return BackupCatalog.info(catalog.find(id));
    }

    /** Writes the backup to {@code file} as a plain SQLite 3 database of the user's schema and rows; never overwrites. */
    public void download(String id, Path file) {
        checkOpen.run();
        catalog.download(id, file);
    }

    /** Restores the backup: a restore to its moment, with an undo bookmark, as a restore to a bookmark does. */
    public RestoreResult restore(String id) {
        checkOpen.run();
        return maker.restore(id);
    }

    /** Deletes the backup. */
    public void delete(String id) {
        checkOpen.run();
        maker.delete(id);
    }

    /**
     * Runs the automatic schedule now: takes an automatic backup if none was taken in the last
     * {@link Options#backupEvery()}, and deletes automatic backups older than
     * {@link Options#automaticBackupRetention()}. The background thread calls this; tests call it
     * with a moved clock. Returns the backup taken, if any. A stepped wall clock neither stops nor
     * hurries the schedule, and nothing is deleted for age while it is stepped
     * ({@link Options#clockTolerance()}).
     */
    public Optional<BackupInfo> runSchedule() {
        checkOpen.run();
        return maker.runSchedule();
    }
}
