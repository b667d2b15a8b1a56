package io.chronolog.engine.internal.history;

import io.chronolog.engine.BackupInfo;
import io.chronolog.engine.BackupNotFoundException;
import io.chronolog.engine.ChronologException;
import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CheckpointStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The backups the checkpoint catalogue holds, as the API shows them: listing, finding one by id
 * (refusing a malformed id before any file is touched) and writing one out as a plain SQLite file.
 * Reads only; thread-safe.
 */
public final class BackupCatalog {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final String name;
    private final CheckpointStore store;
    private final Restorer restorer;

    public BackupCatalog(String name, CheckpointStore store, Restorer restorer) {
        this.name = name;
        this.store = store;
        this.restorer = restorer;
    }

    /** Every backup, oldest first. */
    public List<BackupInfo> list() {
        List<BackupInfo> out = new ArrayList<>();
        for (CheckpointMeta m : store.list()) {
            if (m.isBackup()) {
                out.add(info(m));
            }
        }
        return out;
    }

    /** The backup with this id. */
    public CheckpointMeta find(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            String shown = id == null ? "null" : "'" + (id.length() > 60 ? id.substring(0, 60) + "…" : id) + "'";
            throw new BackupNotFoundException("malformed backup id " + shown + ": ids are lower-case UUIDs like "
                    + "3f1c2a9e-8b7d-4c6e-9a1b-2d3e4f5a6b7c (see backup list)");
        }
        for (CheckpointMeta m : store.list()) {
            if (m.isBackup() && BackupLabel.idOf(m).equals(id)) {
                return m;
            }
        }
        throw new BackupNotFoundException("unknown backup id " + id + " for database " + name + " (see backup list)");
    }

    /** What the API shows of backup {@code m}. */
    public static BackupInfo info(CheckpointMeta m) {
        BackupLabel label = BackupLabel.of(m);
        return new BackupInfo(label.id(), Instant.ofEpochMilli(m.createdAtMillis()), m.tableCount(), m.compressedSize(),
                m.state() == CheckpointMeta.State.AVAILABLE ? "complete" : "missing",
                m.kind() == CheckpointMeta.Kind.BACKUP_AUTOMATIC, label.at());
    }

    /** Writes backup {@code id} to {@code file} as a plain SQLite 3 database of the user's schema and rows; never overwrites. */
    public void download(String id, Path file) {
        CheckpointMeta backup = find(id);
        Path out = Restorer.checkOutput(file, "download");
        Path temp = restorer.tempFile();
        try {
            restorer.extract(backup.number(), temp);
            Restorer.writePlainCopy(temp, out, "download");
        } catch (IOException | SQLException e) {
            throw new ChronologException("database " + name + ": download of backup " + BackupLabel.idOf(backup) + " to " + out
                    + " failed: " + e.getMessage(), e);
        } finally {
            Restorer.deleteQuietly(temp);
        }
    }
}
