package io.chronolog.engine;

import java.time.Instant;

/**
 * One database as its archive holds it: the first and last archived frames' bookmarks and times.
 * Immutable.
 *
 * @param name        the database's name
 * @param first       the first archived frame's bookmark (null: no frames yet)
 * @param last        the last archived frame's bookmark (null: no frames yet)
 * @param firstTime   when the first archived frame was committed (null: none)
 * @param lastTime    when the last archived frame was committed (null: none)
 * @param firstPosition the first archived frame's position (0: none)
 * @param lastPosition  the last archived frame's position (0: none)
 * @param checkpoints checkpoints archived
 * @param backups     backups archived
 */
public record ArchivedDatabase(String name, Bookmark first, Bookmark last, Instant firstTime, Instant lastTime, long firstPosition,
        long lastPosition, int checkpoints, int backups) {
}
