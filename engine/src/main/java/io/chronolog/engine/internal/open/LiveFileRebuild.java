package io.chronolog.engine.internal.open;

import io.chronolog.engine.internal.history.Restorer;
import io.chronolog.engine.internal.live.LiveDatabase;
import io.chronolog.engine.internal.live.LiveFileRepair;
import io.chronolog.engine.internal.live.LiveFileSwap;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;

/**
 * The open step that replaces a damaged or missing live file with the state at the end of the
 * log, built as a restore builds any past state. What counts as damaged is
 * {@link LiveFileRepair}'s decision; this only rebuilds. Stateless.
 */
final class LiveFileRebuild {
    private LiveFileRebuild() {
    }

    /** Where the damaged file went, and the frames replayed after the checkpoint the new file started from. */
    record Rebuilt(Path aside, long framesReplayed) {
    }

    /**
     * Moves the damaged live file (and its {@code -wal}, {@code -shm}) aside and writes the state
     * at the end of {@code log} in its place: the newest readable checkpoint of the last frame's
     * epoch (older ones when it is damaged) plus the frames after it, so it works on a pruned log.
     * The new file is forced before it is renamed into place, and the directory after. Returns
     * where the damaged file went and how many frames were replayed.
     */
    static Rebuilt rebuild(Path directory, FrameLog log, Restorer restorer, long nowMillis) throws IOException, SQLException {
        Path file = directory.resolve(LiveDatabase.FILE_NAME);
        Path aside = directory.resolve(LiveDatabase.FILE_NAME + LiveFileRepair.DAMAGED_INFIX + nowMillis);
        for (String suffix : LiveFileRepair.SIDE_FILES) {
            Path from = directory.resolve(LiveDatabase.FILE_NAME + suffix);
            if (Files.exists(from)) {
                Files.move(from, aside.resolveSibling(aside.getFileName() + suffix), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (log.lastPosition() == 0) {
            return new Rebuilt(aside, 0); // nothing was ever written: open creates an empty file
        }
        Frame last = log.read(log.lastPosition());
        Path temp = restorer.tempFile();
        long replayed;
        try {
            Restorer.Materialized state = restorer.materialize(last.epoch(), last.position(), temp);
            replayed = state.replayedNothing() ? 0 : last.position() - state.checkpointPosition();
            // the state is the one after the log's last frame: say so (an image stored by a restore that reused its
            // source's image still names the source's frame, which a log starting at the restore does not hold)
            LiveDatabase.writeAppliedInto(temp, last.position(), last.hash());
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            LiveFileSwap.syncDirectory(directory);
        } finally {
            Restorer.deleteQuietly(temp);
        }
        return new Rebuilt(aside, replayed);
    }
}
