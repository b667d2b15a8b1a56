package io.chronolog.engine;

/**
 * What a restore from the archive did (or, for a dry run, would do). Immutable.
 *
 * @param name        the database restored (the new name for a fork)
 * @param directory   where it is (null for a dry run)
 * @param restoredTo  the bookmark its state is at (null for a dry run)
 * @param plan        one line: the checkpoint it starts from and the objects it downloads
 * @param frames      frames downloaded
 * @param checkpoints checkpoint objects downloaded
 * @param takeover    whether it became the archive's writer (no fork): the old writer is fenced
 * @param dryRun      whether nothing was written
 */
public record ArchiveRestoreResult(String name, String directory, Bookmark restoredTo, String plan, long frames, int checkpoints,
        boolean takeover, boolean dryRun) {
}
