package io.chronolog.engine;

import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.wal.Bookmark;
import io.chronolog.wal.Hash128;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    Backups(Database db) {
        this.db = db;
    }

    /** Takes a manual backup of the current state. */
    public BackupInfo create() {
        return info(db.takeBackup(CheckpointMeta.Kind.BACKUP_MANUAL, UUID.randomUUID().toString()));
    }

    /** Every backup, oldest first. */
    public List<BackupInfo> list() {
        List<BackupInfo> out = new ArrayList<>();
        for (CheckpointMeta m : db.checkpointsOfAnyKind()) {
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
        db.downloadBackup(find(id), file);
    }

    /** Restores the backup: a restore to its moment, with an undo bookmark, as {@link Database#restore(Bookmark)}. */
    public RestoreResult restore(String id) {
        return db.restoreBackup(find(id));
    }

    /** Deletes the backup. */
    public void delete(String id) {
        db.deleteBackup(find(id));
    }

    /**
     * Runs the automatic schedule now: takes an automatic backup if none was taken in the last
     * {@link Options#backupEvery()}, and deletes automatic backups older than
     * {@link Options#automaticBackupRetention()}. The background thread calls this; tests call it
     * with a moved clock. Returns the backup taken, if any.
     */
    public java.util.Optional<BackupInfo> runSchedule() {
        return db.runBackupSchedule().map(Backups::info);
    }

    private CheckpointMeta find(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            String shown = id == null ? "null" : "'" + (id.length() > 60 ? id.substring(0, 60) + "…" : id) + "'";
            throw new BackupNotFoundException("malformed backup id " + shown + ": ids are lower-case UUIDs like "
                    + "3f1c2a9e-8b7d-4c6e-9a1b-2d3e4f5a6b7c (see backup list)");
        }
        for (CheckpointMeta m : db.checkpointsOfAnyKind()) {
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
        return space < 0 ? new Bookmark(m.epoch(), 0, 0, Hash128.fromBytes(m.chainHash())) : Bookmark.parse(m.label().substring(space + 1));
    }

    static BackupInfo info(CheckpointMeta m) {
        Bookmark at = bookmarkOf(m);
        return new BackupInfo(idOf(m), Instant.ofEpochMilli(m.createdAtMillis()), m.tableCount(), m.compressedSize(),
                m.state() == CheckpointMeta.State.AVAILABLE ? "complete" : "missing",
                m.kind() == CheckpointMeta.Kind.BACKUP_AUTOMATIC, at);
    }
}
