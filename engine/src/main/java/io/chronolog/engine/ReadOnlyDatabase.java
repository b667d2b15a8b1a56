package io.chronolog.engine;

import io.chronolog.engine.internal.history.BackupMaker;
import io.chronolog.engine.internal.open.Closing;
import io.chronolog.engine.internal.open.ReadOnlyOpen;
import java.nio.file.Path;

/**
 * An existing database opened for reading only, beside a process that may hold it for writing:
 * the open takes no lock, writes no file and repairs nothing. Queries, bookmarks, the log,
 * history, plans, exports, backups' list and download, and verify work; the backup verbs that
 * change the database throw {@link ReadOnlyException}, and there is no write verb to call. The
 * view is the state when opened; reopen to see later writes. Thread-safe.
 */
public final class ReadOnlyDatabase extends ReadableDatabase {

    private ReadOnlyDatabase(io.chronolog.engine.internal.open.ReadingParts parts) {
        super(parts, BackupMaker.refusing(parts.name()));
    }

    /**
     * Opens the database in {@code directory} for reading only.
     *
     * @throws InvalidNameException the directory's name is not a valid database name
     * @throws ChronologException   there is no database in {@code directory}
     */
    public static ReadOnlyDatabase open(Path directory, Options options) {
        Path dir = directory.toAbsolutePath().normalize();
        String name = InvalidNameException.check(dir.getFileName() == null ? "" : dir.getFileName().toString());
        return new ReadOnlyDatabase(new ReadOnlyOpen(dir, name, options.toBuilder().background(false).build()).run());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ChronologException failure = Closing.closeAll(name(), parts.closeInOrder(), null);
        if (failure != null) {
            throw failure;
        }
    }
}
