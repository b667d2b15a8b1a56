package io.chronolog.engine.internal.write;

import io.chronolog.engine.CorruptionException;
import io.chronolog.engine.internal.live.LiveDatabase;

import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CheckpointStore;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.Hash128;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * What opening a database repairs: checkpoints stored but never recorded by a frame (a crash came
 * between) are deleted, and the live file is brought up to the end of the log by replay. A live
 * file ahead of the log, or holding another history, is refused: the live file commits a frame only
 * after the log has it (synced, in SYNC mode), so a frame the live file holds was acknowledged, and
 * a log that cut it back as a torn tail lost it to damage (the refusal names the cut-back entries'
 * file and problem). Stateless.
 */
public final class Recovery {
    private Recovery() {
    }

    /** Checkpoints numbered after the log's last one were stored but never recorded by a frame: a crash came between. */
    public static void dropUncommittedCheckpoints(CheckpointStore store, long lastRecorded) throws IOException {
        for (CheckpointMeta m : store.list()) {
            if (m.kind() == CheckpointMeta.Kind.CHECKPOINT && m.number() > lastRecorded) {
                store.delete(m.number());
            }
        }
    }

    /** Brings the live file up to the end of the log; returns the number of frames replayed. */
    public static long recover(String name, FrameLog log, Path walDir, LiveDatabase live, Replayer.RestoreLoader restores)
            throws IOException, SQLException {
        LiveDatabase.Applied applied = live.applied();
        if (applied.position() > log.lastPosition()) {
            throw new CorruptionException("database " + name + ": live.sqlite3 has applied frame " + applied.position()
                    + " but the log ends at frame " + log.lastPosition() + ": the log lost frames it had acknowledged "
                    + "(expected=" + applied.position() + " actual=" + log.lastPosition() + ", file=" + walDir + ")"
                    + (log.recovery().discardedTailEntries() > 0 ? "; the log's open " + log.recovery().detail() : ""),
                    walDir, applied.position(), null);
        }
        if (applied.position() > 0) {
            Hash128 logged = log.read(applied.position()).hash();
            if (!logged.equals(applied.hash())) {
                throw new CorruptionException("database " + name + ": live.sqlite3 and the log disagree at frame "
                        + applied.position() + ": expected=" + logged.toHex() + " actual=" + applied.hash().toHex()
                        + " (file=" + live.file() + ", position=" + applied.position() + ")", live.file(), applied.position(), null);
            }
        }
        if (applied.position() == log.lastPosition()) {
            return 0;
        }
        return new Replayer(log, walDir, restores).replay(live, applied.position() + 1, log.lastPosition());
    }

}
