package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveException;
import io.chronolog.wal.CorruptFrameException;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameCodec;
import io.chronolog.wal.FrameCursor;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.Hash128;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Ships a database's log to its archive as {@link ArchiveSegment} objects, in order, without a gap
 * or an overlap: each segment starts right after the last archived frame and is anchored on its
 * hash, so the archived chain continues the log's. Where the archive ends is found once, when the
 * shipper starts (one LIST and one GET); after that it is tracked here, so shipping makes no
 * request but the creates. A create that finds its key taken is either this shipper's own earlier
 * upload (a retry after a crash that happened after the store kept it: the same bytes, accepted)
 * or another writer's (other bytes): then this shipper is fenced, says so, and ships nothing more.
 * An archive started on a pruned log begins after the log's first retained frame (the hash before
 * that frame is not in the log). Not thread-safe: one shipper per database, driven by one thread.
 */
public final class ArchiveShipper {
    /** Where the archive ends: the last archived position (0: nothing) and its chain hash. */
    public record Head(long position, Hash128 hash) {
    }

    private final String name;
    private final ObjectStore store;
    private final FrameLog log;
    private final int maxFrames;
    private final long maxBytes;
    private Head head;
    private ArchiveException fenced;

    /**
     * A shipper of {@code log} into {@code store}, cutting segments at {@code maxFrames} frames or
     * {@code maxBytes} bytes of frames, whichever comes first. Reads where the archive ends.
     */
    public ArchiveShipper(String name, ObjectStore store, FrameLog log, int maxFrames, long maxBytes) {
        this(name, store, log, maxFrames, maxBytes, null);
    }

    /** A shipper that continues after {@code head} (null: reads where the archive ends). */
    public ArchiveShipper(String name, ObjectStore store, FrameLog log, int maxFrames, long maxBytes, Head head) {
        if (maxFrames < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("segments hold at least one frame and one byte");
        }
        this.name = name;
        this.store = store;
        this.log = log;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.head = head != null ? head : findHead();
    }

    /** Where the archive ends, as this shipper knows it. */
    public Head head() {
        return head;
    }

    /**
     * Ships every frame up to {@code upTo} (at most the log's last) that the archive does not hold;
     * returns the new head. A failure leaves the archive as it was before the segment that failed
     * (objects are whole or absent), and the next call starts again from the head.
     *
     * @throws ArchiveException the store failed, or another writer holds the archive (fenced)
     */
    public Head shipUpTo(long upTo) {
        if (fenced != null) {
            throw fenced;
        }
        long last = Math.min(upTo, log.lastPosition());
        while (head.position() < last) {
            long from = Math.max(head.position() + 1, log.firstPosition());
            Hash128 anchor = head.hash();
            if (head.position() == 0 && from > 1) {
                // a pruned log: the hash before its first frame is not known, so the archive starts after it
                Frame first = read(from);
                head = new Head(first.position(), first.hash());
                continue;
            }
            if (from != head.position() + 1) {
                throw new ArchiveException("database " + name + ": the log no longer holds frame " + (head.position() + 1)
                        + ", the next one the archive " + store.describe() + " needs (the log starts at " + log.firstPosition()
                        + "): frames were pruned before they were archived");
            }
            List<Frame> frames = new ArrayList<>();
            long bytes = 0;
            try (FrameCursor cursor = log.readFrom(from)) {
                for (Frame f = cursor.next(); f != null && f.position() <= last; f = cursor.next()) {
                    frames.add(f);
                    bytes += FrameCodec.OVERHEAD_BYTES + f.payload().length;
                    if (frames.size() >= maxFrames || bytes >= maxBytes) {
                        break;
                    }
                }
            } catch (IOException e) {
                throw new ArchiveException("database " + name + ": cannot read the log to archive it: " + e.getMessage(), e);
            }
            if (frames.isEmpty()) {
                break;
            }
            ArchiveSegment segment = new ArchiveSegment(anchor, frames);
            byte[] body = segment.encode();
            String key = ArchiveSegment.key(segment.firstPosition());
            if (!store.createIfAbsent(key, body)) { // the same bytes there (this shipper's own upload before a crash) count as stored
                ArchiveSegment ours = thisLogsSegment(key);
                if (ours != null) {
                    // this log's own frames, cut differently (a listing that missed them, an earlier process): the archive
                    // is further on than this shipper knew; it continues after them (each such step moves forward)
                    Frame end = ours.frames().get(ours.frames().size() - 1);
                    head = new Head(end.position(), end.hash());
                    continue;
                }
                fenced = new ArchiveException("database " + name + ": fenced: another writer has archived frame "
                        + segment.firstPosition() + " to " + store.describe() + " (object " + key + " holds other frames);"
                        + " this process ships nothing more");
                throw fenced;
            }
            Frame lastFrame = frames.get(frames.size() - 1);
            head = new Head(lastFrame.position(), lastFrame.hash());
        }
        return head;
    }

    /** The segment under {@code key} when it holds exactly this log's frames (same positions, same chain hashes) after the head, else null. */
    private ArchiveSegment thisLogsSegment(String key) {
        byte[] there = store.get(key).orElse(null);
        ArchiveSegment s = there == null ? null : thisLogs(there);
        return s != null && s.anchor().equals(head.hash()) ? s : null;
    }

    /**
     * {@code body}, an archived segment, decoded when every frame it holds is this log's (same
     * position, same chain hash, so the same history up to it): this process's own upload, or an
     * earlier process's on this log, never another writer's. Null otherwise.
     */
    ArchiveSegment thisLogs(byte[] body) {
        try {
            ArchiveSegment s = ArchiveSegment.decode(body);
            if (s.lastPosition() > log.lastPosition()) {
                return null;
            }
            for (Frame f : s.frames()) {
                if (f.position() >= log.firstPosition() && !read(f.position()).hash().equals(f.hash())) {
                    return null;
                }
            }
            return s;
        } catch (CorruptFrameException e) {
            return null;
        }
    }

    /** Whether another writer has been found holding the archive. */
    public ArchiveException fenced() {
        return fenced;
    }

    /** One LIST of the segments and one GET of the newest: where the archive ends. */
    private Head findHead() {
        return findHead(name, store);
    }

    /** One LIST of the segments and one GET of the newest: where the archive of {@code name} in {@code store} ends. */
    public static Head findHead(String name, ObjectStore store) {
        List<String> keys = store.list("segments/");
        if (keys.isEmpty()) {
            return new Head(0, Hash128.ZERO);
        }
        String newest = keys.get(keys.size() - 1);
        byte[] bytes = store.get(newest).orElseThrow(() -> new ArchiveException("database " + name + ": archive object " + newest
                + " was listed but cannot be read from " + store.describe()));
        try {
            ArchiveSegment s = ArchiveSegment.decode(bytes);
            Frame lastFrame = s.frames().get(s.frames().size() - 1);
            return new Head(lastFrame.position(), lastFrame.hash());
        } catch (CorruptFrameException e) {
            throw new ArchiveException("database " + name + ": archive object " + newest + " in " + store.describe()
                    + " is damaged: " + e.getMessage(), e);
        }
    }

    private Frame read(long position) {
        try {
            return log.read(position);
        } catch (IOException e) {
            throw new ArchiveException("database " + name + ": cannot read frame " + position + " to archive it: " + e.getMessage(), e);
        }
    }
}
