package io.chronolog.engine;



/**
 * One frame of the log as tools show it: its position, bookmark, commit time (epoch
 * milliseconds, never decreasing along the log) and what it records. Immutable.
 */
public record LoggedFrame(long position, Bookmark bookmark, long timestamp, Kind kind) {

    /** What a frame records. */
    public enum Kind {
        /** A write: a batch of statements. */
        STATEMENTS,
        /** A checkpoint was taken: replay may start here. */
        CHECKPOINT,
        /** A restore: the state became a past one, opening a new epoch. */
        RESTORE
    }

    /** The epoch the frame belongs to. */
    public int epoch() {
        return bookmark.epoch();
    }

    /** The checkpoint the frame counts from. */
    public long checkpoint() {
        return bookmark.checkpoint();
    }
}
