package io.chronolog.engine.internal.history;

import io.chronolog.engine.ChronologException;
import io.chronolog.engine.internal.clock.EngineClock;
import io.chronolog.engine.internal.write.Writer;
import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameLog;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * Removes history older than the retention window: whole log cycle files and the checkpoints no
 * bookmark inside the window needs, so every moment inside the window stays restorable. Runs
 * under the writer lock. Removes nothing while the wall clock disagrees with the time elapsed
 * since its last trusted reading: a clock stepped either way never deletes history that is inside
 * the window by a correct clock. Thread-safe.
 */
public final class Pruner {
    private final String name;
    private final FrameLog log;
    private final Checkpoints checkpoints;
    private final Writer writer;
    private final EngineClock time;
    private final Duration retention;
    private final BookmarkResolver bookmarks;

    public Pruner(String name, FrameLog log, Checkpoints checkpoints, Writer writer, EngineClock time, Duration retention,
            BookmarkResolver bookmarks) {
        this.name = name;
        this.log = log;
        this.checkpoints = checkpoints;
        this.writer = writer;
        this.time = time;
        this.retention = retention;
        this.bookmarks = bookmarks;
    }

    /** Prunes now; returns the bytes freed. */
    public long prune() {
        try {
            return writer.exclusive(this::pruneLocked);
        } catch (IOException | SQLException e) {
            throw new ChronologException("database " + name + ": pruning failed: " + e.getMessage(), e);
        }
    }

    private long pruneLocked() throws IOException {
        long last = log.lastPosition();
        OptionalLong now = time.millisForDeletion();
        if (last == 0 || now.isEmpty()) {
            return 0;
        }
        long windowStart = now.getAsLong() - retention.toMillis();
        long oldest = Math.min(log.positionAt(windowStart - 1) + 1, last);   // first frame inside the window
        if (oldest <= log.firstPosition()) {
            return 0;
        }
        Frame first = bookmarks.frame(oldest);
        List<CheckpointMeta> candidates = checkpoints.candidates(first.epoch(), oldest);
        if (candidates.isEmpty()) {
            return 0; // epoch 0 with no checkpoint yet: replay needs the log from frame 1
        }
        CheckpointMeta base = candidates.get(0);
        long referenced = Math.min(first.checkpoint(), base.number()); // frames in the window still name this checkpoint
        long before = log.bytesOnDisk() + checkpoints.store().bytesOnDisk();
        for (CheckpointMeta m : checkpoints.store().list()) {
            if (m.kind() == CheckpointMeta.Kind.CHECKPOINT && m.number() < referenced && m.position() < base.position()) {
                checkpoints.store().delete(m.number());
            }
        }
        log.pruneBefore(base.position());
        return Math.max(0, before - log.bytesOnDisk() - checkpoints.store().bytesOnDisk());
    }
}
