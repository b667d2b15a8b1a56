package io.chronolog.engine;

import java.time.Instant;

/**
 * One restore in a database's history: it opened {@code epoch} at {@code at}, bringing back the
 * state at {@code target}; {@code previousBookmark} undoes it. Kept in the log, so it survives
 * restarts for as long as the retention window holds it.
 */
public record RestoreRecord(int epoch, Instant at, Bookmark target, Bookmark bookmark, Bookmark previousBookmark) {
}
