package io.chronolog.engine.internal.history;

import io.chronolog.engine.internal.log.Frames;
import io.chronolog.engine.DiskFullException;
import io.chronolog.engine.RestoreResult;
import io.chronolog.engine.internal.live.LiveDatabase;
import io.chronolog.engine.internal.live.LiveFileSwap;
import io.chronolog.engine.internal.live.ReaderPool;
import io.chronolog.engine.internal.metrics.EngineMetrics;
import io.chronolog.engine.internal.write.Writer;
import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.engine.Bookmark;
import io.chronolog.wal.Frame;
import io.chronolog.engine.internal.log.RestoreMarker;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * Makes a past state current in a writing open: builds it along its route (or takes a backup's
 * image), then has the writer commit it as a restore frame and install it. The restore's
 * metrics are recorded here. Thread-safe: restores are serialised by the writer lock.
 */
public final class Restores {
    private final String name;
    private final Restorer restorer;
    private final Writer writer;
    private final LiveDatabase live;
    private final ReaderPool readers;
    private final LiveFileSwap swap;
    private final EngineMetrics metrics;

    public Restores(String name, Restorer restorer, Writer writer, LiveDatabase live, ReaderPool readers, LiveFileSwap swap,
            EngineMetrics metrics) {
        this.name = name;
        this.restorer = restorer;
        this.writer = writer;
        this.live = live;
        this.readers = readers;
        this.swap = swap;
        this.metrics = metrics;
    }

    /** Restores to {@code target} along {@code route}, the plan computed for it. */
    public RestoreResult restore(Bookmark target, Restorer.Route route) {
        long started = System.nanoTime();
        Path temp = restorer.tempFile();
        try {
            Restorer.Materialized state = restorer.materialize(route, temp);
            return commit(state, target, started, route.position() - state.checkpointPosition());
        } catch (IOException | SQLException e) {
            throw DiskFullException.of("database " + name + ": restore to " + target + " failed: " + e.getMessage()
                    + "; the database is unchanged", e);
        } finally {
            Restorer.deleteQuietly(temp);
        }
    }

    /** Restores backup {@code backup}: its image becomes current, with nothing replayed. */
    public RestoreResult restoreBackup(CheckpointMeta backup) {
        long started = System.nanoTime();
        Bookmark target = BackupLabel.of(backup).at();
        Path temp = restorer.tempFile();
        try {
            restorer.extract(backup.number(), temp);
            Restorer.Materialized state = new Restorer.Materialized(temp, backup.position(), backup.number(), backup.position(),
                    backup.contentDigest(), backup.tableCount(), true);
            return commit(state, target, started, 0);
        } catch (IOException | SQLException e) {
            throw DiskFullException.of("database " + name + ": restore of backup " + BackupLabel.idOf(backup) + " failed: "
                    + e.getMessage(), e);
        } finally {
            Restorer.deleteQuietly(temp);
        }
    }

    /** Makes {@code state}, built by another database's restorer, this (new, empty) database's first frame: a fork. */
    public void install(Restorer.Materialized state, Bookmark target) throws IOException, SQLException {
        writer.restore(restorer.stepsFor(live, state, target, () -> { }, swap));
    }

    private RestoreResult commit(Restorer.Materialized state, Bookmark target, long started, long framesReplayed)
            throws IOException, SQLException {
        Frame frame = writer.restore(restorer.stepsFor(live, state, target, readers::cancelQueries, swap));
        metrics.restoreTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        metrics.restoreFrames.record(framesReplayed);
        return new RestoreResult(Frames.bookmark(frame), RestoreMarker.decode(frame.payload()).previous());
    }
}
