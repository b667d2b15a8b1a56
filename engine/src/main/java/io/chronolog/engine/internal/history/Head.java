package io.chronolog.engine.internal.history;

import io.chronolog.engine.Bookmark;
import java.util.function.LongSupplier;

/**
 * Where the log ends for one open database. A writing open answers from its writer (which stamps
 * the frames to come); a read-only open from the log's last frame as it was when opened.
 */
public interface Head {
    /** The bookmark of the latest frame. */
    Bookmark latest();

    /** The checkpoint new frames count from. */
    long checkpoint();

    /**
     * The log position {@code lookup} gives for time {@code millis}, made stable: no frame stamped
     * later may be stamped at or before {@code millis}.
     */
    long resolveTime(long millis, LongSupplier lookup);
}
