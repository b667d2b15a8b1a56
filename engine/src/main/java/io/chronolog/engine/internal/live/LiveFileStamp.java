package io.chronolog.engine.internal.live;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.sql.SQLException;
import java.util.Objects;

/**
 * What {@code live.sqlite3} looked like when a read-only open began to read it in place: its size,
 * modification time and file key, at a moment when {@code live.sqlite3-wal} did not exist. Writes
 * nothing.
 *
 * <p>Invariant of the check: every change a writer makes to the file's bytes happens while its
 * {@code -wal} exists (the engine keeps the file in WAL mode, and SQLite writes the database file
 * only by checkpointing that log), or, for a file SQLite has not yet switched to WAL mode (a new
 * database), changes its size. A writer's {@code -wal} is deleted only when its last connection
 * closes, after the checkpoint has written the file and set its modification time; a writer's open
 * takes far longer than the clock's step, so that time differs from the stamp's. Hence: if at
 * time {@code t} there is no {@code -wal} and size, modification time and file key equal the
 * stamp's, nothing has changed the file's bytes since the stamp, and any page read before
 * {@code t} was read from the state the stamp saw. (A clock set back to exactly the stamp's time
 * while a writer ran would defeat it: the same bound the copy it replaces had.) Immutable,
 * thread-safe.
 */
public final class LiveFileStamp {
    private final Path file;
    private final File wal;
    private final long size;
    private final FileTime modified;
    private final Object key;

    private LiveFileStamp(Path file, File wal, BasicFileAttributes a) {
        this.file = file;
        this.wal = wal;
        this.size = a.size();
        this.modified = a.lastModifiedTime();
        this.key = a.fileKey();
    }

    /** The stamp of {@code liveFile} now, or null when its {@code -wal} exists (a writer has it open, or crashed). */
    public static LiveFileStamp take(Path liveFile) throws IOException {
        File wal = walOf(liveFile);
        if (wal.exists()) {
            return null;
        }
        LiveFileStamp stamp = new LiveFileStamp(liveFile, wal, attributes(liveFile));
        return wal.exists() ? null : stamp;
    }

    /** The {@code -wal} beside {@code liveFile}. */
    static File walOf(Path liveFile) {
        return liveFile.resolveSibling(liveFile.getFileName() + "-wal").toFile();
    }

    /** Null when the file is as stamped and has no {@code -wal}; else what changed, for an error message. */
    public String change() {
        if (wal.exists()) {
            return wal.getName() + " appeared (a writer opened the database)";
        }
        BasicFileAttributes now;
        try {
            now = attributes(file);
        } catch (IOException e) {
            return "it cannot be read any more (" + e.getMessage() + ")";
        }
        if (!Objects.equals(key, now.fileKey())) {
            return "it was replaced (a restore or a repair renamed another file over it)";
        }
        if (size != now.size() || !modified.equals(now.lastModifiedTime())) {
            return "it was written: size " + size + " -> " + now.size() + ", modified " + modified + " -> " + now.lastModifiedTime();
        }
        return null;
    }

    /**
     * Throws when {@link #change()} finds one: the reads of a connection that trusted the stamp may
     * have seen a mix of two states, so they must fail rather than return rows.
     */
    public void check() throws SQLException {
        String change = change();
        if (change != null) {
            throw new SQLException(file + " changed while a read-only open read it in place: " + change
                    + "; its rows may mix two states, so the read failed: close and open the database read-only again");
        }
    }

    private static BasicFileAttributes attributes(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }
}
