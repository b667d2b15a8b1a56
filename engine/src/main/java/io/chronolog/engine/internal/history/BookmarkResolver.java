package io.chronolog.engine.internal.history;

import io.chronolog.engine.internal.log.Frames;
import io.chronolog.engine.BookmarkException;
import io.chronolog.engine.CorruptionException;
import io.chronolog.engine.RetentionException;
import io.chronolog.engine.internal.clock.EngineClock;
import io.chronolog.engine.Bookmark;
import io.chronolog.wal.CorruptFrameException;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.Hash128;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns what a user names (a bookmark, a moment) into a log position, and refuses what the
 * database cannot restore: a bookmark the log does not hold as given, a moment in the future or
 * before the history, anything older than the retention window. The one owner of these answers
 * and of their messages. Thread-safe: it only reads the log and the checkpoint catalogue.
 */
public final class BookmarkResolver {
    private final String name;
    private final FrameLog log;
    private final Checkpoints checkpoints;
    private final EngineClock time;
    private final RetentionPolicy policy;
    private final Head head;

    public BookmarkResolver(String name, FrameLog log, Checkpoints checkpoints, EngineClock time, RetentionPolicy policy, Head head) {
        this.name = name;
        this.log = log;
        this.checkpoints = checkpoints;
        this.time = time;
        this.policy = policy;
        this.head = head;
    }

    /** The bookmark of the latest frame; a new, empty database's is position 0's. */
    public Bookmark latest() {
        return head.latest();
    }

    /**
     * The bookmark of the last frame committed at or before {@code moment}. Stable: frames written
     * afterwards are stamped after it, even if the wall clock steps back before it.
     */
    public Bookmark at(Instant moment) {
        long millis = moment.toEpochMilli();
        long now = time.millis();
        if (millis > Math.max(now, log.lastTimestamp())) {
            throw new BookmarkException("time " + moment + " is in the future: the latest moment is " + Instant.ofEpochMilli(now));
        }
        Optional<String> tooOld = policy.refuseTime(moment, time.millis());
        if (tooOld.isPresent()) {
            throw new RetentionException(tooOld.get());
        }
        long position = millis >= log.lastTimestamp() ? head.resolveTime(millis, () -> log.positionAt(millis)) : log.positionAt(millis);
        if (position == 0) {
            String first = log.lastPosition() == 0 ? "the database has no writes yet"
                    : "its first write was at " + Instant.ofEpochMilli(frame(log.firstPosition()).timestamp());
            throw new BookmarkException("time " + moment + " is before the history of database " + name + ": " + first);
        }
        return Frames.bookmark(frame(position));
    }

    /**
     * The log position {@code bookmark} names, after checking it against the log.
     *
     * @throws BookmarkException the log has no frame there, or the frame there has another epoch or hash
     */
    public long positionOf(Bookmark bookmark) {
        if (bookmark.checkpoint() == 0 && bookmark.offset() == 0) {
            if (!Frames.hash(bookmark).equals(Hash128.ZERO) || bookmark.epoch() != 0) {
                throw new BookmarkException("bookmark " + bookmark + " does not match this database: position 0 has hash "
                        + Hash128.ZERO.toHex() + " in epoch 0");
            }
            return 0;
        }
        Optional<Long> known = checkpoints.positionOf(bookmark.checkpoint());
        if (known.isEmpty()) {
            Optional<String> pruned = policy.refuseCheckpoint(bookmark.toString(), bookmark.checkpoint(), head.checkpoint());
            if (pruned.isPresent()) {
                throw new RetentionException(pruned.get());
            }
            throw new BookmarkException("bookmark " + bookmark + " names checkpoint " + bookmark.checkpoint()
                    + ", which this database does not have");
        }
        long position = known.get() + bookmark.offset();
        if (position < log.firstPosition() || position > log.lastPosition()) {
            throw new BookmarkException("bookmark " + bookmark + " names frame " + position + ", which the log does not have"
                    + " (it holds frames " + log.firstPosition() + " to " + log.lastPosition() + " in " + log.directory() + ")");
        }
        Frame frame = frame(position);
        if (!Frames.bookmark(frame).equals(bookmark)) {
            throw new BookmarkException("bookmark " + bookmark + " does not match the log at frame " + position
                    + ": expected=" + Frames.bookmark(frame) + " actual=" + bookmark);
        }
        return position;
    }

    /**
     * The position of {@code bookmark} when a restore may go there: checked against the log and
     * inside the retention window.
     */
    public long restorable(Bookmark bookmark) {
        long position = positionOf(bookmark);
        if (position == 0) {
            return 0;
        }
        long now = time.millis();
        Optional<String> tooOld = policy.refuseFrame(bookmark.toString(), position, frame(position).timestamp(), now);
        if (tooOld.isPresent()) {
            throw new RetentionException(tooOld.get());
        }
        return position;
    }

    /** The frame at {@code position}; a frame the log cannot read is a {@link CorruptionException}. */
    public Frame frame(long position) {
        try {
            return log.read(position);
        } catch (CorruptFrameException e) {
            throw new CorruptionException("database " + name + ": " + e.getMessage(), log.directory(), position, e);
        } catch (IOException e) {
            throw new CorruptionException("database " + name + ": cannot read frame " + position + ": " + e.getMessage(),
                    log.directory(), position, e);
        }
    }
}
