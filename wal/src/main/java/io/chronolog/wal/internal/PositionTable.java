package io.chronolog.wal.internal;

import java.util.Arrays;

/**
 * In-memory map from frame position to Chronicle index and commit timestamp, for O(1) lookup by
 * position and O(log n) lookup by time.
 *
 * <p>It puts nothing on disk; it is rebuilt by the open scan and extended on append. Memory: two
 * longs per frame (16 bytes), up to twice that while the arrays grow. Thread-safe (every method
 * synchronises on the table). Invariant: positions are {@code first .. first+size-1} without gaps,
 * indexes strictly increase and timestamps never decrease.
 */
public final class PositionTable {
    private long first;
    private int size;
    private long[] indexes = new long[1024];
    private long[] timestamps = new long[1024];

    /** Adds the next frame; {@code position} must be {@code lastPosition()+1} (or anything when empty). */
    public synchronized void add(long position, long index, long timestamp) {
        if (size == 0) {
            first = position;
        } else if (position != first + size) {
            throw new IllegalStateException("position table: expected=" + (first + size) + " actual=" + position);
        }
        if (size == indexes.length) {
            int n = size >= (Integer.MAX_VALUE - 8) / 2 ? Integer.MAX_VALUE - 8 : size * 2;
            if (n <= size) {
                throw new IllegalStateException("position table full at " + size + " frames");
            }
            indexes = Arrays.copyOf(indexes, n);
            timestamps = Arrays.copyOf(timestamps, n);
        }
        indexes[size] = index;
        timestamps[size] = timestamp;
        size++;
    }

    /** First position, 0 when empty. */
    public synchronized long firstPosition() {
        return size == 0 ? 0 : first;
    }

    /** Last position, 0 when empty. */
    public synchronized long lastPosition() {
        return size == 0 ? 0 : first + size - 1;
    }

    /** Number of frames. */
    public synchronized long size() {
        return size;
    }

    /** Whether {@code position} is in the table. */
    public synchronized boolean contains(long position) {
        return size > 0 && position >= first && position < first + size;
    }

    /** Chronicle index of {@code position}, which must be in the table. */
    public synchronized long indexOf(long position) {
        return indexes[slot(position)];
    }

    /** Timestamp of {@code position}, which must be in the table. */
    public synchronized long timestampOf(long position) {
        return timestamps[slot(position)];
    }

    /** Timestamp of the last frame, 0 when empty. */
    public synchronized long lastTimestamp() {
        return size == 0 ? 0 : timestamps[size - 1];
    }

    /** The last position whose timestamp is {@code <= t}, or 0 if none: binary search. */
    public synchronized long positionAt(long t) {
        int lo = 0;
        int hi = size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (timestamps[mid] <= t) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? 0 : first + found;
    }

    /** The first position whose Chronicle index is {@code >= index}, or 0 if none: binary search. */
    public synchronized long firstPositionAtOrAfter(long index) {
        int lo = 0;
        int hi = size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (indexes[mid] >= index) {
                found = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return found < 0 ? 0 : first + found;
    }

    /**
     * Forgets every position before {@code position}, which must be in the table; the table then
     * starts at {@code position}. Returns the number of positions forgotten.
     */
    public synchronized long dropBefore(long position) {
        int from = slot(position);
        if (from == 0) {
            return 0;
        }
        int n = size - from;
        int capacity = n >= 1 << 29 ? n : Math.max(1024, Integer.highestOneBit(Math.max(n, 1)) << 1);
        long[] ix = new long[capacity];
        long[] ts = new long[capacity];
        System.arraycopy(indexes, from, ix, 0, n);
        System.arraycopy(timestamps, from, ts, 0, n);
        indexes = ix;
        timestamps = ts;
        first = position;
        size = n;
        return from;
    }

    /** Forgets every position; the next {@link #add} may start anywhere. */
    public synchronized void clear() {
        size = 0;
        first = 0;
        indexes = new long[1024];
        timestamps = new long[1024];
    }

    private int slot(long position) {
        if (size == 0 || position < first || position >= first + size) {
            throw new IllegalArgumentException("no frame at position " + position);
        }
        return (int) (position - first);
    }
}
