package io.chronolog.cli;

import io.chronolog.engine.ReadableDatabase;
import io.chronolog.engine.Database;
import io.chronolog.engine.PointInTime;
import io.chronolog.engine.Bookmark;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A moment named on the command line: a bookmark ({@code --bookmark}), a time ({@code --timestamp}:
 * Unix seconds or RFC 3339), or either ({@code diff --from/--to}, told apart by shape: a bookmark
 * starts with eight hex digits and a dash, a time never does). Parsing is pure and checks only the
 * text; {@link #resolve} checks it against a database. Immutable.
 */
record Moment(String text, Bookmark bookmark, Instant time) {
    private static final Pattern BOOKMARK_START = Pattern.compile("^[0-9a-fA-F]{8}-.*");

    /** {@code --bookmark B}. */
    static Moment bookmark(String text) {
        try {
            return new Moment(text, Bookmark.parse(text), null);
        } catch (IllegalArgumentException e) {
            throw new Errors.CliException(e.getMessage());
        }
    }

    /** {@code --timestamp T}. */
    static Moment time(String text) {
        return new Moment(text, null, PointInTime.parse(text));
    }

    /** A bookmark or a time, by shape. */
    static Moment either(String text) {
        return text != null && BOOKMARK_START.matcher(text).matches() ? bookmark(text) : time(text);
    }

    /** {@code --bookmark} if given, else {@code --timestamp} if given, else null. */
    static Moment of(String bookmark, String timestamp) {
        return bookmark != null ? bookmark(bookmark) : timestamp != null ? time(timestamp) : null;
    }

    /**
     * The bookmark this moment names in {@code db}: a bookmark after checking it matches the log, a
     * time as the last write at or before it.
     */
    Bookmark resolve(ReadableDatabase db) {
        if (bookmark != null) {
            db.positionOf(bookmark);
            return bookmark;
        }
        return db.bookmarkAt(time);
    }

    /** How the moment reads in a sentence. */
    String describe() {
        return bookmark != null ? "bookmark " + bookmark : "time " + time;
    }
}
