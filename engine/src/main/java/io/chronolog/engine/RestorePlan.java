package io.chronolog.engine;

import java.util.List;

/**
 * How a restore to {@code target} would run, computed without changing anything: load checkpoint
 * {@code checkpoint} (the state after frame {@code checkpointPosition}), replay
 * {@code framesToReplay} frames, and take back the writes in {@code undone} (those after the
 * target, oldest first). Immutable.
 */
public record RestorePlan(Bookmark target, long position, long checkpoint, long checkpointPosition, long framesToReplay,
        List<LoggedWrite> undone) {
    public RestorePlan {
        undone = List.copyOf(undone);
    }
}
