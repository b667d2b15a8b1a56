package io.chronolog.engine.internal.open;

import io.chronolog.engine.ChronologException;
import io.chronolog.engine.internal.archive.Archiver;
import io.chronolog.engine.internal.history.BackupWriter;
import io.chronolog.engine.internal.history.Checkpointer;
import io.chronolog.engine.internal.history.Pruner;
import io.chronolog.engine.internal.history.Restores;
import io.chronolog.engine.internal.live.LiveDatabase;
import io.chronolog.engine.internal.live.LiveFileSwap;
import io.chronolog.engine.internal.schedule.BackgroundJobs;
import io.chronolog.engine.internal.write.Writer;
import java.io.IOException;
import java.sql.SQLException;

/**
 * The parts a writing open adds to {@link ReadingParts}: the writer and the live file it owns,
 * restores, checkpoints, pruning, the backup verbs, the background jobs and the archiver (null
 * when no archive is attached); and the close
 * sequence that keeps the log ahead of the live file to the end. Immutable.
 */
public record WritingParts(ReadingParts reading, LiveDatabase live, Writer writer, Restores restores, Checkpointer checkpointer,
        Pruner pruner, BackupWriter backups, BackgroundJobs jobs, LiveFileSwap swap, Archiver archiver, long replayedAtOpen) {

    /**
     * Stops the background jobs, finishes the writes already submitted, records the live file's
     * digest for the next open, makes the log durable after its last commit, then closes every
     * part. Throws the first failure, with the later ones suppressed.
     */
    public void close() {
        String name = reading.name();
        ChronologException failure = null;
        jobs.stop();
        writer.stop();
        if (archiver != null) {
            archiver.close(); // one last turn ships what it can in a bounded time; the rest ships at the next open
        }
        try {
            live.recordCleanClose(); // the next open checks the content against it, not only the structure
        } catch (SQLException | RuntimeException e) {
            System.getLogger(WritingParts.class.getName()).log(System.Logger.Level.WARNING, "database " + name
                    + ": could not record the live file's digest at close (" + e.getMessage()
                    + "); the next open checks its structure only");
        }
        try {
            reading.log().syncBarrier(); // closing the live file checkpoints its WAL: the log is durable first, after its last commit
        } catch (IOException | RuntimeException e) {
            failure = new ChronologException("database " + name + ": could not sync the log at close: " + e.getMessage(), e);
        }
        failure = Closing.closeAll(name, reading.closeInOrder(), failure);
        if (failure != null) {
            throw failure;
        }
    }
}
