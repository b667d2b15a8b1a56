package io.chronolog.engine.internal.open;

import io.chronolog.engine.Options;
import io.chronolog.engine.internal.clock.EngineClock;
import io.chronolog.engine.internal.history.BackupCatalog;
import io.chronolog.engine.internal.history.BookmarkResolver;
import io.chronolog.engine.internal.history.LogHistory;
import io.chronolog.engine.internal.history.Restorer;
import io.chronolog.engine.internal.history.Verifier;
import io.chronolog.engine.internal.read.ReadPath;
import io.chronolog.engine.internal.sql.StatementGuard;
import io.chronolog.wal.FrameLog;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What every open database reads with: the log, the history, the read path and the backups'
 * catalogue, built by an open sequence ({@link WritingOpen} or {@link ReadOnlyOpen}), and what to
 * close, in order, when the database closes. Immutable.
 *
 * @param closeInOrder closed one after the other at close, after any writing parts stopped
 */
public record ReadingParts(String name, Path directory, Options options, EngineClock time, FrameLog log, Restorer restorer, StatementGuard guard,
        ReadPath reads, BookmarkResolver bookmarks, LogHistory history, Supplier<Verifier> verifier, BackupCatalog backups,
        List<AutoCloseable> closeInOrder) {
    public ReadingParts {
        closeInOrder = List.copyOf(closeInOrder);
    }

    /** The live file's path. */
    public Path liveFile() {
        return directory.resolve(io.chronolog.engine.internal.directory.DatabaseDirectory.LIVE_FILE);
    }
}
