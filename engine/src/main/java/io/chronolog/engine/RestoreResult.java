package io.chronolog.engine;


/**
 * What a restore did: {@code bookmark} names the restored state (the restore's own frame, which
 * opens a new epoch); {@code previousBookmark} names the state just before it, so restoring to it
 * undoes the restore.
 */
public record RestoreResult(Bookmark bookmark, Bookmark previousBookmark) {
}
