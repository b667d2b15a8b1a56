package io.chronolog.engine.internal.history;

import io.chronolog.engine.internal.log.Frames;
import io.chronolog.engine.CheckpointInfo;
import io.chronolog.engine.CorruptionException;
import io.chronolog.engine.LoggedFrame;
import io.chronolog.engine.LoggedWrite;
import io.chronolog.engine.RestoreRecord;
import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameCursor;
import io.chronolog.wal.FrameKind;
import io.chronolog.wal.FrameLog;
import io.chronolog.engine.internal.log.RestoreMarker;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What the log and the checkpoint catalogue hold, shown as the API's values: the writes in a
 * time range, the restores, the frames, the stored states. Reads only; thread-safe.
 */
public final class LogHistory {
    private final String name;
    private final FrameLog log;
    private final Checkpoints checkpoints;
    private final BookmarkResolver bookmarks;

    public LogHistory(String name, FrameLog log, Checkpoints checkpoints, BookmarkResolver bookmarks) {
        this.name = name;
        this.log = log;
        this.checkpoints = checkpoints;
        this.bookmarks = bookmarks;
    }

    /**
     * The writes whose commit time is in {@code [since, until]} (either may be null: unbounded),
     * oldest first, at most {@code limit} of them (the newest ones when there are more).
     *
     * <p>Reads from the end: the last {@code limit} frames of the range first, then, while fewer
     * than {@code limit} writes were found, a span before those twice as long, and so on. So the
     * newest writes cost frames in proportion to {@code limit} (plus the checkpoint and restore
     * frames among them), not to the log. Each span is read with the log's cursor, which checks
     * positions and the hash chain from the frame before the span, as a read from the start does.
     */
    public List<LoggedWrite> writes(Instant since, Instant until, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        long from = since == null ? log.firstPosition() : Math.max(log.firstPosition(), log.positionAt(since.toEpochMilli() - 1) + 1);
        long to = until == null ? log.lastPosition() : log.positionAt(until.toEpochMilli());
        if (log.lastPosition() == 0 || from > to) {
            return List.of();
        }
        ArrayDeque<LoggedWrite> newestFirst = new ArrayDeque<>();
        long end = to;
        long span = limit;
        while (end >= from && newestFirst.size() < limit) {
            long start = Math.max(from, end - span + 1);
            List<LoggedWrite> found = writesIn(start, end);
            for (int i = found.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
                newestFirst.addLast(found.get(i));
            }
            end = start - 1;
            span = Math.min(span * 2, 1L << 20);
        }
        List<LoggedWrite> out = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(out);
        return List.copyOf(out);
    }

    /** The writes (statement frames) at positions {@code start..end}, oldest first. */
    private List<LoggedWrite> writesIn(long start, long end) {
        List<LoggedWrite> out = new ArrayList<>();
        try (FrameCursor cursor = log.readFrom(start)) {
            for (Frame f = cursor.next(); f != null && f.position() <= end; f = cursor.next()) {
                if (f.kind() == FrameKind.STATEMENTS) {
                    out.add(new LoggedWrite(Frames.bookmark(f), Instant.ofEpochMilli(f.timestamp()), Restorer.statements(f)));
                }
            }
        } catch (IOException e) {
            throw new CorruptionException("database " + name + ": cannot read the log: " + e.getMessage(), log.directory(), start, e);
        }
        return out;
    }

    /** Every restore still in the log, oldest first. */
    public List<RestoreRecord> restores() {
        List<RestoreRecord> out = new ArrayList<>();
        for (CheckpointMeta m : checkpoints.restores()) {
            if (m.position() < log.firstPosition() || m.position() > log.lastPosition()) {
                continue;
            }
            Frame f = bookmarks.frame(m.position());
            if (f.kind() != FrameKind.RESTORE) {
                continue;
            }
            try {
                RestoreMarker marker = RestoreMarker.decode(f.payload());
                out.add(new RestoreRecord(f.epoch(), Instant.ofEpochMilli(f.timestamp()), marker.target(), Frames.bookmark(f),
                        marker.previous()));
            } catch (IOException e) {
                throw new CorruptionException("database " + name + ": restore frame " + f.position() + " is unreadable: "
                        + e.getMessage(), log.directory(), f.position(), e);
            }
        }
        return out;
    }

    /** The frame at {@code position}. */
    public LoggedFrame frame(long position) {
        Frame f = bookmarks.frame(position);
        LoggedFrame.Kind kind = switch (f.kind()) {
            case STATEMENTS -> LoggedFrame.Kind.STATEMENTS;
            case CHECKPOINT -> LoggedFrame.Kind.CHECKPOINT;
            case RESTORE -> LoggedFrame.Kind.RESTORE;
        };
        return new LoggedFrame(f.position(), Frames.bookmark(f), f.timestamp(), kind);
    }

    /** The stored states the catalogue holds, oldest first. */
    public List<CheckpointInfo> checkpoints() {
        return checkpoints.store().list().stream().map(LogHistory::info).toList();
    }

    /** What the API shows of stored state {@code m}. */
    public static CheckpointInfo info(CheckpointMeta m) {
        CheckpointInfo.Kind kind = switch (m.kind()) {
            case CHECKPOINT -> Checkpoints.RESTORE_LABEL.equals(m.label()) ? CheckpointInfo.Kind.RESTORE : CheckpointInfo.Kind.CHECKPOINT;
            case BACKUP_MANUAL -> CheckpointInfo.Kind.MANUAL_BACKUP;
            case BACKUP_AUTOMATIC -> CheckpointInfo.Kind.AUTOMATIC_BACKUP;
        };
        return new CheckpointInfo(m.number(), kind, m.epoch(), m.position(), Instant.ofEpochMilli(m.createdAtMillis()),
                m.tableCount(), m.rawSize(), m.compressedSize(), m.state() == CheckpointMeta.State.AVAILABLE);
    }
}
