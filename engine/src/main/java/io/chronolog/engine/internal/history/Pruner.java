package io.chronolog.engine.internal.history;

import io.chronolog.engine.ChronologException;
import io.chronolog.engine.internal.clock.EngineClock;
import io.chronolog.engine.internal.write.Writer;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameLog;
import java.io.IOException;
import java.sql.SQLException;

/**
 * Removes history older than the retention window, as {@link RetentionPolicy#prunePlan} decides: whole log cycle files and the checkpoints no
 * bookmark inside the window needs, so every moment inside the window stays restorable. Runs
 * under the writer lock. Removes nothing while the wall clock disagrees with the time elapsed
 * since its last trusted reading: a clock stepped either way never deletes history that is inside
 * the window by a correct clock. With an archive attached, nothing the archive does not hold yet is
 * removed ({@link ArchiveFloor}). Thread-safe.
 */
public final class Pruner {
    private final String name;
    private final FrameLog log;
    private final Checkpoints checkpoints;
    private final Writer writer;
    private final EngineClock time;
    private final RetentionPolicy policy;
    private final BookmarkResolver bookmarks;
    private final ArchiveFloor archive;

    public Pruner(String name, FrameLog log, Checkpoints checkpoints, Writer writer, EngineClock time, RetentionPolicy policy,
            BookmarkResolver bookmarks, ArchiveFloor archive) {
        this.archive = archive;
        this.name = name;
        this.log = log;
        this.checkpoints = checkpoints;
        this.writer = writer;
        this.time = time;
        this.policy = policy;
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

    /** What pruning now would remove, computed by the policy from the log's and the catalogue's plain values. */
    public RetentionPolicy.PrunePlan plan() {
        return policy.prunePlan(time.millisForDeletion(), log.firstPosition(), log.lastPosition(), log::positionAt, p -> {
            Frame f = bookmarks.frame(p);
            return new RetentionPolicy.FrameRef(f.position(), f.epoch(), f.checkpoint(), f.timestamp());
        }, checkpoints.forRetention());
    }

    private long pruneLocked() throws IOException {
        RetentionPolicy.PrunePlan plan = plan();
        if (plan.keepLogFrom().isEmpty()) {
            return 0;
        }
        long before = log.bytesOnDisk() + checkpoints.store().bytesOnDisk();
        for (long number : plan.deleteCheckpoints()) {
            var m = checkpoints.store().get(number);
            if (m.isPresent() && !archive.isArchived(m.get())) {
                continue; // kept until the archive holds it
            }
            checkpoints.store().delete(number);
        }
        long archived = archive.archivedPosition();
        log.pruneBefore(Math.min(plan.keepLogFrom().getAsLong(), archived == Long.MAX_VALUE ? Long.MAX_VALUE : archived + 1));
        return Math.max(0, before - log.bytesOnDisk() - checkpoints.store().bytesOnDisk());
    }
}
