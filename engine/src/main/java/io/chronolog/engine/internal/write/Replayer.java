package io.chronolog.engine.internal.write;

import io.chronolog.engine.DiskFullException;
import io.chronolog.engine.ReplayDivergenceException;
import io.chronolog.engine.Statement;
import io.chronolog.engine.internal.live.LiveDatabase;
import io.chronolog.engine.internal.log.Effect;
import io.chronolog.engine.internal.log.Frames;
import io.chronolog.engine.internal.log.StatementBatch;
import io.chronolog.engine.internal.sql.StatementRunner;

import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameCursor;
import io.chronolog.wal.FrameKind;
import io.chronolog.wal.FrameLog;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/**
 * Applies logged frames to a live file, checking that each reproduces the effects it recorded.
 *
 * <p>Frames are applied in transactions of up to {@value #FRAMES_PER_TRANSACTION}; each
 * transaction also records the last applied position and hash, so a crash mid-replay resumes
 * where the last commit left off. A frame whose statements fail, or change a different number of
 * rows, or leave a different last row id, stops replay with a {@link ReplayDivergenceException}
 * naming it; frames before it stay applied. Not thread-safe.
 */
public final class Replayer {
    static final int FRAMES_PER_TRANSACTION = 1000;

    /** Replays a {@link FrameKind#RESTORE} frame: replaces the whole live file with the checkpoint it names. */
    public interface RestoreLoader {
        void load(LiveDatabase live, Frame restoreFrame) throws IOException, SQLException;
    }

    private final FrameLog log;
    private final Path logDirectory;
    private final RestoreLoader restores;

    public Replayer(FrameLog log, Path logDirectory, RestoreLoader restores) {
        this.log = log;
        this.logDirectory = logDirectory;
        this.restores = restores;
    }

    /** Applies frames {@code from..to} (inclusive) to {@code live}; returns how many were applied. */
    public long replay(LiveDatabase live, long from, long to) throws IOException, SQLException {
        long applied = 0;
        try (FrameCursor cursor = log.readFrom(from)) {
            Frame frame = cursor.next();
            while (frame != null && frame.position() <= to) {
                if (frame.kind() == FrameKind.RESTORE) {
                    restores.load(live, frame);
                    applied++;
                    frame = cursor.next();
                    continue;
                }
                live.begin();
                try {
                    Frame last = null;
                    for (int n = 0; n < FRAMES_PER_TRANSACTION && frame != null && frame.position() <= to
                            && frame.kind() != FrameKind.RESTORE; n++) {
                        applyOne(live, frame);
                        last = frame;
                        applied++;
                        frame = cursor.next();
                    }
                    live.writeApplied(last.position(), last.hash());
                    live.commit();
                } catch (IOException | SQLException | RuntimeException e) {
                    live.rollbackQuietly(e);
                    throw e;
                }
            }
        }
        live.forgetPrepared(); // statements checked before the replay were analysed against an older schema
        return applied;
    }

    private void applyOne(LiveDatabase live, Frame frame) throws IOException, SQLException {
        if (frame.kind() != FrameKind.STATEMENTS) {
            return;
        }
        StatementBatch batch = StatementBatch.decode(frame.payload());
        List<Statement> statements = batch.statements();
        LiveDatabase.FrameOutcome applied;
        try {
            applied = live.apply(batch.seed(), frame.timestamp(), statements, StatementRunner.Purpose.REPLAY);
        } catch (LiveDatabase.FrameStatementException e) {
            if (DiskFullException.isDiskFull(e.getCause())) {
                throw e.getCause(); // a full disk is not a divergence: the frame applies once there is space
            }
            throw new ReplayDivergenceException("replay diverged: frame " + frame.position() + " (bookmark "
                    + Frames.bookmark(frame) + ") statement " + (e.index() + 1) + " failed on replay but succeeded when written: "
                    + e.getMessage() + " (sql: " + StatementRunner.abbreviate(statements.get(e.index()).sql())
                    + ", file=" + logDirectory + ", position=" + frame.position() + ")", logDirectory, frame.position(), e.getCause());
        }
        List<StatementRunner.Outcome> outcomes = applied.outcomes();
        for (int i = 0; i < outcomes.size(); i++) {
            Effect want = batch.effects().get(i);
            StatementRunner.Outcome got = outcomes.get(i);
            if (want.changes() != got.changes() || want.lastRowId() != got.lastRowId()) {
                throw new ReplayDivergenceException("replay diverged: frame " + frame.position() + " (bookmark "
                        + Frames.bookmark(frame) + ") statement " + (i + 1) + ": expected changes=" + want.changes()
                        + " lastRowId=" + want.lastRowId() + " actual changes=" + got.changes() + " lastRowId="
                        + got.lastRowId() + " (sql: " + StatementRunner.abbreviate(statements.get(i).sql())
                        + ", file=" + logDirectory + ", position=" + frame.position() + ")", logDirectory, frame.position(), null);
            }
        }
        if (batch.digest().isPresent() && batch.digest().getAsLong() != applied.digest()) {
            throw new ReplayDivergenceException("replay diverged: frame " + frame.position() + " (bookmark "
                    + Frames.bookmark(frame) + ") changed different rows or values than when it was written: change digest expected="
                    + Long.toHexString(batch.digest().getAsLong()) + " actual=" + Long.toHexString(applied.digest())
                    + " (file=" + logDirectory + ", position=" + frame.position() + ")", logDirectory, frame.position(), null);
        }
    }
}