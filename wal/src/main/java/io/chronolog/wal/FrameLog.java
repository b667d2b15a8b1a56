package io.chronolog.wal;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.chronolog.wal.internal.ChronicleNatives;
import io.chronolog.wal.internal.ChronicleStore;
import io.chronolog.wal.internal.PositionTable;
import io.chronolog.wal.internal.StoreFullException;
import io.chronolog.wal.internal.UnreachableEntryException;

/**
 * The write-ahead log: hash-chained frames at gap-free positions in a Chronicle Queue directory,
 * verified end to end when opened.
 *
 * <p>What it puts on disk: one Chronicle excerpt per frame (layout in {@code docs/FORMAT.md}) in
 * daily cycle files chosen by {@link LogOptions#timeMillis()}. Thread safety: {@link #append} and
 * {@link #sync} are called by one thread at a time, any thread (the engine calls them under its
 * writer lock, from whichever caller leads the current group of writes);
 * {@link #read}, {@link #readFrom}, {@link #positionAt} and the accessors may be called from any
 * thread concurrently with appends; {@link #close} and {@link #pruneBefore} wait for reads, appends
 * and syncs in progress (a cursor left open across a prune carries on, or fails cleanly if its next
 * frame was removed). Invariants:
 * positions run from {@link #firstPosition()} to {@link #lastPosition()} without gaps, each
 * frame's hash is {@code H(h(n-1) || frame n)}, timestamps never decrease, and a frame is never
 * changed once appended. After a failed {@link #sync} no frame after the last good sync is ever
 * served again: this log refuses writes, and the next open cuts them back.
 *
 * <p>{@link #openReadOnly} gives a log for tools that look at a database another process holds
 * open and writes: it writes to no file and takes no lock (the writer's appends go on undisturbed),
 * refuses {@link #append}, {@link #sync} and {@link #pruneBefore}, and takes in the frames appended
 * since with {@link #refresh}.
 */
public final class FrameLog implements Closeable {

    private final Path dir;
    private final LogOptions options;
    private final ChronicleStore store;
    private final PositionTable table;
    private final boolean readOnly;
    private final Recovery scan;                 // resumed by refresh()
    private volatile RecoveryReport recovery;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ReentrantLock writer = new ReentrantLock();
    private final Set<CursorSource> cursors = ConcurrentHashMap.newKeySet();
    private volatile Hash128 lastHash;
    private volatile boolean closed;
    private volatile CorruptFrameException failed;   // set when the log must stop accepting writes
    private volatile Throwable syncFailed;            // set by a failed sync: no append or sync after it
    private volatile long syncedPosition;             // the last position a sync (or the open) made durable
    private volatile long cutAfterFailedSync = -1;    // the trusted end this open cut the log back to, -1 if none

    private FrameLog(Path dir, LogOptions options, ChronicleStore store, PositionTable table, Recovery scan,
            Recovery.Result r) {
        this.dir = dir;
        this.options = options;
        this.store = store;
        this.table = table;
        this.readOnly = store.readOnly();
        this.scan = scan;
        this.recovery = r.report();
        this.lastHash = r.lastHash();
    }

    /**
     * Opens the log in {@code dir}, creating the directory if missing, and scans and verifies every
     * frame. A torn or garbled tail (invalid entries with no valid frame after them) is cut back and
     * reported in {@link #recovery()}; anything else that does not verify is refused.
     *
     * @throws CorruptFrameException naming the position and file of damage before the tail
     * @throws IOException           if the queue cannot be opened
     */
    public static FrameLog open(Path dir, LogOptions options) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        try {
            return scanned(dir, options, ChronicleStore.open(dir, options.timeMillis(), options.maxFrameBytes()));
        } catch (RuntimeException | AssertionError e) {
            throw unreadable(dir, e);
        }
    }

    /**
     * Opens the existing log in {@code dir} for reading only, while another process may hold it
     * open and keep appending: it writes to no file (Chronicle's read-only mode: no appender, no
     * write lock, {@code metadata.cq4t} and the cycle files mapped for reading), and scans and
     * verifies every frame as {@link #open} does. A torn tail is skipped in memory only, never
     * repaired. {@link #append}, {@link #sync} and {@link #pruneBefore} throw
     * {@link IllegalStateException}; {@link #refresh} takes in frames appended after the open.
     * A process whose first log is opened this way does without Chronicle's native POSIX binding
     * ({@code internal.ChronicleNatives}), which no log uses.
     *
     * @throws java.nio.file.NoSuchFileException if {@code dir} does not exist (it is never created)
     * @throws CorruptFrameException naming the position and file of damage before the tail
     * @throws IOException           if the queue cannot be opened
     */
    public static FrameLog openReadOnly(Path dir, LogOptions options) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        ChronicleNatives.withoutPosixBinding();
        try {
            return scanned(dir, options, ChronicleStore.openReadOnly(dir, options.timeMillis(), options.maxFrameBytes()));
        } catch (RuntimeException | AssertionError e) {
            throw unreadable(dir, e);
        }
    }

    /** Chronicle Queue itself failed on the log's files (a damaged cycle file header or index): refused, naming the directory. */
    private static CorruptFrameException unreadable(Path dir, Throwable e) {
        return new CorruptFrameException("Chronicle Queue cannot read the log's files, a cycle file header or index is damaged: "
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")),
                dir.toString(), 0, e);
    }

    private static FrameLog scanned(Path dir, LogOptions options, ChronicleStore store) throws IOException {
        try {
            PositionTable table = new PositionTable();
            Optional<LogStateFile.State> state = readState(dir, store.readOnly());
            Recovery scan = Recovery.begin(store, table);
            if (state.isPresent() && state.get().syncFailed()) {
                scan.trustUpTo(state.get().trustedEnd());
            }
            Recovery.Result r = scan.scan();
            FrameLog log = new FrameLog(dir, options, store, table, scan, r);
            log.checkFirstPosition(state);
            if (!log.readOnly) {
                if (state.isPresent() && state.get().syncFailed()) {
                    log.cutUntrusted(state.get());
                }
                store.forceAll(); // what an earlier process left unsynced is durable before the live file builds on it
                log.syncedPosition = table.lastPosition();
            }
            return log;
        } catch (IOException | RuntimeException | Error e) {
            try {
                store.close();
            } catch (IOException | RuntimeException s) {
                e.addSuppressed(s);
            }
            throw e;
        }
    }

    /**
     * Holds the log to the first position {@code log.state} records: a log that starts later lost a
     * cycle file and is refused, naming the frames missing. A writing open creates the file when
     * there is none (the first frame present, 1 for an empty log) and keeps a damaged one aside as
     * {@code log.state.damaged}, writing it again from the cycle files (which then are the only
     * witness); a read-only open writes nothing.
     */
    private void checkFirstPosition(Optional<LogStateFile.State> state) throws IOException {
        long first = table.size() == 0 ? 0 : table.firstPosition();
        if (state.isPresent()) {
            long expected = state.get().firstPosition();
            if (first > expected || (first == 0 && expected > 1)) {
                throw new CorruptFrameException("frames missing from the start of the log: expected first frame=" + expected
                        + " actual=" + (first == 0 ? "none" : first) + " (a cycle file"
                        + (first == 0 ? "" : " before " + store.fileOf(table.indexOf(first))) + " is gone)",
                        dir.toString(), expected, null);
            }
        } else if (!readOnly) {
            LogStateFile.write(dir, new LogStateFile.State(Math.max(1, first)));
        }
    }

    /** The state file, empty when missing or damaged (a writing open keeps a damaged one aside). */
    private static Optional<LogStateFile.State> readState(Path dir, boolean readOnly) throws IOException {
        try {
            return LogStateFile.read(dir);
        } catch (LogStateFile.DamagedException e) {
            System.getLogger(FrameLog.class.getName()).log(System.Logger.Level.WARNING, e.getMessage()
                    + (readOnly ? "" : ": kept as " + LogStateFile.FILE_NAME + LogStateFile.DAMAGED_SUFFIX + " and written again"));
            if (!readOnly) {
                LogStateFile.keepAside(dir);
            }
            return Optional.empty();
        }
    }

    /** The first bytes written over a frame cut back after a failed sync: {@code "CLGU"}, no frame's magic. */
    static final byte[] UNTRUSTED_MAGIC = {0x43, 0x4C, 0x47, 0x55};

    /**
     * A sync failed after position {@code state.trustedEnd()} (and the process stopped): the frames
     * after it were never acknowledged, and what the page cache shows of them may never reach the
     * disk (Linux may mark pages whose writeback failed clean, and report the error once). The scan
     * left them out as a torn tail; here each one's magic is overwritten, so that no later open
     * (without the record) reads them as frames and appends continue at {@code trustedEnd + 1} after
     * them, as after any torn tail; the cycle files holding them are written back whole and
     * fdatasynced (pages marked clean but never written are dirty again); only then is the record
     * cleared. A crash on the way leaves the record, and the next open does it again.
     */
    private void cutUntrusted(LogStateFile.State state) throws IOException {
        List<ChronicleStore.Entry> untrusted = scan.untrusted();
        java.util.Set<Integer> cycles = new java.util.TreeSet<>();
        for (ChronicleStore.Entry e : untrusted) {
            store.overwriteHead(e.index(), e.offset(), e.bytes(), UNTRUSTED_MAGIC);
            cycles.add(store.cycleOf(e.index()));
        }
        store.rewriteAndForce(cycles);
        LogStateFile.write(dir, state.withTrustedEnd(LogStateFile.NONE));
        cutAfterFailedSync = state.trustedEnd();
        if (!untrusted.isEmpty()) {
            System.getLogger(FrameLog.class.getName()).log(System.Logger.Level.WARNING, "log " + dir + ": cut back "
                    + untrusted.size() + (untrusted.size() == 1 ? " frame" : " frames") + " after position " + state.trustedEnd()
                    + ", the last a sync made durable before a sync failed: they were never acknowledged");
        }
    }

    /** What {@link #open} found (for a read-only log: what the open and the latest {@link #refresh} found). */
    public RecoveryReport recovery() {
        return recovery;
    }

    /** Whether this log was opened with {@link #openReadOnly}. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Read-only logs: takes in the frames another process appended since the open or the last
     * refresh, scanning and verifying them as {@link #open} does (positions, chain, timestamps),
     * so that {@link #lastPosition()}, {@link #read}, {@link #readFrom} and {@link #positionAt}
     * see them. When the writer pruned cycle files meanwhile, {@link #firstPosition()} moves up to
     * the first frame left (cursors that still needed a removed frame fail as after
     * {@link #pruneBefore}). Waits, like {@link #pruneBefore}, for reads in progress. A writable
     * log already sees everything: there it does nothing and returns 0.
     *
     * @return the number of frames added
     * @throws CorruptFrameException if a new frame does not verify; the log keeps the frames
     *     verified before it
     */
    public long refresh() throws IOException {
        lifecycle.writeLock().lock();
        try {
            requireOpen();
            if (!readOnly) {
                return 0;
            }
            long before = table.lastPosition();
            forgetPrunedCycles();
            store.floorTimeAtLastCycle();
            boolean wasEmpty = table.size() == 0;
            Optional<LogStateFile.State> state = readState(dir, true);
            scan.trustUpTo(state.isPresent() && state.get().syncFailed() ? state.get().trustedEnd() : Long.MAX_VALUE);
            Recovery.Result r = scan.scan();
            recovery = r.report();
            lastHash = r.lastHash();
            long after = table.lastPosition();
            return wasEmpty ? table.size() : Math.max(0, after - before);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /** Read-only: drops the positions whose cycle files the writing process deleted. Under the exclusive lock. */
    private void forgetPrunedCycles() throws IOException {
        if (table.size() == 0) {
            return;
        }
        List<Integer> remaining = store.cycles();
        long first = table.firstPosition();
        int firstCycle = store.cycleOf(table.indexOf(first));
        if (!remaining.isEmpty() && remaining.get(0) <= firstCycle) {
            return;
        }
        for (CursorSource c : cursors) {
            c.detach();
        }
        long newFirst = remaining.isEmpty() ? 0 : table.firstPositionAtOrAfter(store.firstIndexOf(remaining.get(0)));
        if (newFirst > first) {
            table.dropBefore(newFirst);
            store.forgetCyclesBefore(remaining.get(0));
            for (CursorSource c : cursors) {
                c.pruned(first, newFirst);
            }
        } else {
            // every frame known was in a removed file: start over from the oldest file left
            long last = table.lastPosition();
            table.clear();
            store.forgetCyclesBefore(Integer.MAX_VALUE);
            scan.restart();
            for (CursorSource c : cursors) {
                c.pruned(first, last + 1);
            }
        }
    }

    /** The directory holding the cycle files. */
    public Path directory() {
        return dir;
    }

    /** The options the log was opened with. */
    public LogOptions options() {
        return options;
    }

    /** Position of the first frame, 0 when the log is empty. */
    public long firstPosition() {
        return table.firstPosition();
    }

    /** Position of the last frame, 0 when the log is empty. */
    public long lastPosition() {
        return table.lastPosition();
    }

    /** Hash of the last frame, {@link Hash128#ZERO} when the log is empty. */
    public Hash128 lastHash() {
        return lastHash;
    }

    /** Commit timestamp of the last frame in epoch milliseconds, 0 when the log is empty. */
    public long lastTimestamp() {
        return table.lastTimestamp();
    }

    /** Commit timestamp of the frame at {@code position} without reading it from disk. */
    public long timestampOf(long position) {
        requireKnown(position);
        return table.timestampOf(position);
    }

    /**
     * Reads and verifies the frame at {@code position}: it must decode, carry that position and chain
     * from the frame before it.
     *
     * @throws IllegalArgumentException if no frame has that position
     * @throws CorruptFrameException    if the frame is damaged
     */
    public Frame read(long position) throws IOException {
        lifecycle.readLock().lock();
        try {
            requireOpen();
            requireKnown(position);
            try (CursorSource src = new CursorSource(position, position)) {
                return src.next();
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * A cursor over {@code position .. lastPosition()} (as of this call), confined to the calling
     * thread. {@code position == lastPosition()+1} gives an empty cursor.
     *
     * @throws IllegalArgumentException if {@code position} is outside {@code firstPosition() .. lastPosition()+1}
     */
    public FrameCursor readFrom(long position) throws IOException {
        lifecycle.readLock().lock();
        try {
            requireOpen();
            long last = table.lastPosition();
            if (position == last + 1 || (last == 0 && position == 1)) {
                return new FrameCursor(new EmptySource());
            }
            requireKnown(position);
            CursorSource src = new CursorSource(position, last);
            cursors.add(src);
            return new FrameCursor(src);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** The position of the last frame with timestamp {@code <= timestampMillis}, 0 if none; O(log n). */
    public long positionAt(long timestampMillis) {
        return table.positionAt(timestampMillis);
    }

    /**
     * Appends the next frame: position {@code lastPosition()+1}, hash chained from {@link #lastHash()}.
     * The frame is written but not yet durable: call {@link #sync()}.
     *
     * @throws IllegalArgumentException if {@code timestamp < lastTimestamp()}, a field is out of range,
     *     or the encoded frame exceeds {@link LogOptions#maxFrameBytes()}
     * @throws LogFullException         if the file system is full; nothing was appended, earlier frames
     *     are intact, and a later append may succeed once space is freed
     */
    public Frame append(int epoch, long checkpoint, long offset, long timestamp, FrameKind kind, byte[] payload)
            throws IOException {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
        requireWritable();
        lifecycle.readLock().lock();
        writer.lock();
        try {
            requireOpen();
            if (failed != null) {
                throw new CorruptFrameException("log refuses writes after damage: " + failed.problem(), failed.file(),
                        failed.position(), failed);
            }
            requireNoFailedSync();
            long lastTs = table.lastTimestamp();
            if (table.size() > 0 && timestamp < lastTs) {
                throw new IllegalArgumentException("frame timestamp goes backwards: expected>=" + lastTs
                        + " actual=" + timestamp);
            }
            long encodedSize = (long) FrameCodec.OVERHEAD_BYTES + payload.length;
            if (encodedSize > options.maxFrameBytes()) {
                throw new IllegalArgumentException("frame too large: " + encodedSize + " bytes (payload "
                        + payload.length + ") exceeds maxFrameBytes=" + options.maxFrameBytes());
            }
            long position = table.lastPosition() + 1;
            Hash128 hash = FrameCodec.chain(lastHash, position, epoch, checkpoint, offset, timestamp, kind, payload);
            Frame frame = new Frame(position, epoch, checkpoint, offset, timestamp, kind, payload, hash);
            byte[] bytes = FrameCodec.encode(frame);
            long index;
            try {
                index = store.append(bytes, position > 1 && table.size() > 0 ? table.indexOf(position - 1) : -1);
            } catch (StoreFullException e) {
                throw new LogFullException("disk full: could not append frame " + position + " to " + e.file(), e);
            } catch (UnreachableEntryException e) {
                failed = new CorruptFrameException("damaged entry header before the end of the log: " + e.getMessage(),
                        e.file(), position, e);
                throw failed;
            }
            table.add(position, index, timestamp);
            lastHash = hash;
            return frame;
        } finally {
            writer.unlock();
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Appends a copy of a frame read from another copy of this history (an archive): its position,
     * fields and hash are kept as they are. In a log that holds frames, {@code frame} must be the
     * next position and its hash must chain from {@link #lastHash()}; an empty log takes any first
     * position (its {@code log.state} then records that the log starts there, as after pruning) and
     * trusts the frame's stored hash as the start of its chain, as an open of a pruned log does.
     * The frame is written but not yet durable: call {@link #sync()}.
     *
     * @throws IllegalArgumentException the frame does not continue this log (position or hash)
     * @throws LogFullException         if the file system is full; nothing was appended
     */
    public Frame appendCopy(Frame frame) throws IOException {
        Objects.requireNonNull(frame, "frame");
        requireWritable();
        lifecycle.readLock().lock();
        writer.lock();
        try {
            requireOpen();
            requireNoFailedSync();
            boolean empty = table.size() == 0;
            if (!empty) {
                long expected = table.lastPosition() + 1;
                if (frame.position() != expected) {
                    throw new IllegalArgumentException("copied frame does not continue the log: expected position=" + expected
                            + " actual=" + frame.position());
                }
                Hash128 chained = FrameCodec.chain(lastHash, frame);
                if (!chained.equals(frame.hash())) {
                    throw new IllegalArgumentException("copied frame " + frame.position() + " does not chain from the log's last hash: expected="
                            + chained.toHex() + " actual=" + frame.hash().toHex());
                }
                if (frame.timestamp() < table.lastTimestamp()) {
                    throw new IllegalArgumentException("copied frame " + frame.position() + " goes back in time");
                }
            } else if (frame.position() < 1) {
                throw new IllegalArgumentException("copied frame position must be at least 1: " + frame.position());
            } else if (frame.position() > 1) {
                LogStateFile.write(dir, new LogStateFile.State(frame.position()));
            }
            long index;
            try {
                index = store.append(FrameCodec.encode(frame), empty ? -1 : table.indexOf(frame.position() - 1));
            } catch (StoreFullException e) {
                throw new LogFullException("disk full: could not append frame " + frame.position() + " to " + e.file(), e);
            }
            table.add(frame.position(), index, frame.timestamp());
            lastHash = frame.hash();
            return frame;
        } finally {
            writer.unlock();
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Retention: removes the oldest cycle files, each of them whole, when all of its frames have
     * positions {@code < position}. The cycle file holding {@link #lastPosition()} is always kept,
     * and so is every file holding a frame {@code >= position}. A file whose first entry is not a
     * frame (the leftovers of an earlier torn tail) is kept together with the file before it, so
     * that the oldest remaining file starts with a frame: the next {@link #open} takes that frame's
     * stored hash as the start of the chain.
     *
     * <p>Afterwards {@link #firstPosition()} is the first frame of the oldest remaining file;
     * {@link #read}, {@link #readFrom} and {@link #timestampOf} refuse removed positions,
     * {@link #positionAt} returns 0 for times before the first remaining frame, {@link #bytesOnDisk()}
     * no longer counts the removed files, and appends continue at the same positions. The files are
     * deleted oldest first, then the directory is fsync'd and the queue's directory listing
     * refreshed, so no removed cycle is ever opened again.
     *
     * <p>Concurrency: pruning takes the log's exclusive lock, so it waits until every
     * {@link #read}, {@link FrameCursor#next()}, {@link #append} and {@link #sync} in progress on
     * other threads has finished, and holds new ones back until the files are gone. Cursors left
     * open between calls are not waited for: a cursor whose next frame was removed fails its next
     * call with an {@link IllegalStateException} saying which positions were pruned; any other open
     * cursor carries on past the removed files.
     *
     * @param position frames below this position may be removed; {@code <= firstPosition()} removes nothing
     * @return the number of frames removed
     * @throws IOException if a cycle file cannot be deleted: those deleted before it stay deleted,
     *     and the log's first position and tables reflect them
     */
    public long pruneBefore(long position) throws IOException {
        requireWritable();
        lifecycle.writeLock().lock();
        try {
            requireOpen();
            requireNoFailedSync(); // it would rewrite log.state without the failed sync's record
            long first = table.firstPosition();
            if (table.size() == 0 || position <= first) {
                return 0;
            }
            int keep = oldestCycleToKeep(Math.min(position, table.lastPosition()));
            List<Integer> doomed = new ArrayList<>();
            for (int c : store.cycles()) {
                if (c < keep) {
                    doomed.add(c);
                }
            }
            if (doomed.isEmpty()) {
                return 0;
            }
            // recorded before any file goes: a log that later starts after this lost a file
            LogStateFile.write(dir, new LogStateFile.State(table.firstPositionAtOrAfter(store.firstIndexOf(keep))));
            for (CursorSource c : cursors) {
                c.detach();  // its tailer may sit in a file about to go
            }
            IOException failure = null;
            try {
                store.deleteCycles(doomed);
            } catch (IOException e) {
                failure = e;
            }
            List<Integer> remaining = store.cycles();
            long removed = 0;
            if (!remaining.isEmpty()) {
                long newFirst = table.firstPositionAtOrAfter(store.firstIndexOf(remaining.get(0)));
                if (newFirst > first) {
                    removed = table.dropBefore(newFirst);
                    for (CursorSource c : cursors) {
                        c.pruned(first, newFirst);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return removed;
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /**
     * The oldest cycle to keep so that {@code target} stays and the kept files start with a frame:
     * the cycle of {@code target}, or an earlier one when that cycle's first entry is not a frame.
     */
    private int oldestCycleToKeep(long target) {
        long p = target;
        while (true) {
            int cycle = store.cycleOf(table.indexOf(p));
            long cycleStart = store.firstIndexOf(cycle);
            long firstInCycle = table.firstPositionAtOrAfter(cycleStart);
            if (table.indexOf(firstInCycle) == cycleStart || firstInCycle == table.firstPosition()) {
                return cycle;
            }
            p = firstInCycle - 1;
        }
    }

    /**
     * Makes every frame appended so far durable: fsync of each cycle file written since the last sync
     * and, when a cycle file appeared, of the queue directory. A no-op when nothing was appended.
     *
     * <p>A failure is final: the frames after {@link #syncedPosition()} are recorded as untrusted in
     * {@code log.state} (docs/FORMAT.md, version 2), every later {@link #append}, {@link #sync} and
     * {@link #pruneBefore} throws, {@link #close} does not sync, and the next writing open cuts those
     * frames back.
     */
    public void sync() throws IOException {
        sync(false);
    }

    /**
     * {@link #sync()} that issues an fdatasync of the last cycle file appended to even when nothing
     * is left unsynced: at close, after the live file's last commit, so that nothing of the live
     * file is made durable after a commit the log has not been synced past.
     */
    public void syncBarrier() throws IOException {
        sync(true);
    }

    private void sync(boolean always) throws IOException {
        requireWritable();
        lifecycle.readLock().lock();
        writer.lock();
        try {
            requireOpen();
            requireNoFailedSync();
            long end = table.lastPosition();
            try {
                store.sync(always);
            } catch (IOException | RuntimeException | Error e) {
                syncFailed = e;
                recordFailedSync(e);
                throw e;
            }
            syncedPosition = end;
        } finally {
            writer.unlock();
            lifecycle.readLock().unlock();
        }
    }

    /**
     * After a failed sync nothing more may be appended or synced: a second fdatasync may succeed
     * without writing what the first failed to (the kernel reports a writeback error once), so it
     * would prove nothing.
     */
    private void requireNoFailedSync() throws IOException {
        Throwable f = syncFailed;
        if (f != null) {
            throw new IOException("log " + dir + " refuses writes after a failed sync (frames after position " + syncedPosition
                    + " may not be on the disk; reopening cuts them back): " + f, f);
        }
    }

    /**
     * Records in {@code log.state} that frames after {@link #syncedPosition} are not to be trusted.
     * The record is renamed into place even when its own fsync fails, so an open in this boot (while
     * the page cache still shows those frames) sees it; a failure to record it at all is added to
     * {@code failure} (the log refuses writes either way).
     */
    private void recordFailedSync(Throwable failure) {
        try {
            LogStateFile.State current;
            try {
                current = LogStateFile.read(dir).orElse(null);
            } catch (LogStateFile.DamagedException d) {
                current = null;
            }
            long first = Math.max(1, table.size() == 0 ? 1 : table.firstPosition());
            LogStateFile.State next = current == null ? new LogStateFile.State(first, syncedPosition)
                    : current.withTrustedEnd(current.syncFailed() ? Math.min(current.trustedEnd(), syncedPosition) : syncedPosition);
            LogStateFile.write(dir, next);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * The position this open cut the log back to because a sync had failed after it (a writing open
     * that found the record in {@code log.state}), empty otherwise. Frames after it were never
     * acknowledged in SYNC mode; a live file that applied them (ASYNC) is ahead of the log.
     */
    public java.util.OptionalLong cutAfterFailedSync() {
        long p = cutAfterFailedSync;
        return p < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(p);
    }

    /** The last position a sync (or the open) made durable in this process; frames after it may not be on the disk. */
    public long syncedPosition() {
        return syncedPosition;
    }

    /** Number of syncs that reached the disk (including the one at close). */
    public long syncCount() {
        return store.syncCount();
    }

    /**
     * Bytes the log occupies in its cycle files: per file, up to the end of its last entry.
     * Chronicle preallocates sparse space beyond that, which is not counted.
     */
    public long bytesOnDisk() {
        return store.usedBytes();
    }

    /** Syncs what was appended, releases open cursors and closes the queue. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            RuntimeException failure = null;
            writer.lock();
            try {
                if (syncFailed == null && !readOnly) {
                    store.sync(); // never after a failed sync: it could succeed and prove nothing
                }
            } catch (IOException e) {
                failure = new UncheckedIOException("could not sync the log in " + dir + " at close", e);
            } finally {
                writer.unlock();
            }
            for (CursorSource c : cursors) {
                c.close();
            }
            try {
                store.close();
            } catch (IOException e) {
                UncheckedIOException u = new UncheckedIOException("could not close the log in " + dir, e);
                if (failure == null) {
                    failure = u;
                } else {
                    failure.addSuppressed(u);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void requireWritable() {
        if (readOnly) {
            throw new IllegalStateException("log opened read-only: " + dir);
        }
    }

    /**
     * The error for a frame whose entry cannot be found: corruption, except on a read-only log
     * whose writer deleted the cycle file meanwhile, where it throws a state error asking for
     * {@link #refresh}.
     */
    private CorruptFrameException unreachable(String problem, long index, long position) {
        if (readOnly && !store.cycleFileExists(index)) {
            throw prunedByWriter(index, position, null);
        }
        return new CorruptFrameException(problem, store.fileOf(index), position, null);
    }

    private IllegalStateException prunedByWriter(long index, long position, Throwable cause) {
        return new IllegalStateException("frame " + position + " was pruned by the process writing " + dir
                + " (its file " + store.fileOf(index) + " is gone): refresh() the log", cause);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("log is closed: " + dir);
        }
    }

    private void requireKnown(long position) {
        if (!table.contains(position)) {
            long first = table.firstPosition();
            long last = table.lastPosition();
            throw new IllegalArgumentException("no frame at position " + position + ": "
                    + (last == 0 ? "the log is empty" : "the log holds positions " + first + ".." + last));
        }
    }

    private static final class EmptySource implements FrameCursor.Source {
        @Override
        public Frame next() {
            return null;
        }

        @Override
        public void close() {
        }
    }

    /** Reads frames {@code from..to} with one tailer, verifying positions and the chain. */
    private final class CursorSource implements FrameCursor.Source {
        private final long to;
        private ChronicleStore.Reader reader;
        private long nextPosition;
        private Hash128 previous;     // null when the predecessor's hash is unknown (first frame after pruning)
        private boolean started;
        private final long from;
        private long prunedFrom;      // > 0 once frames this cursor still needed were pruned: positions prunedFrom..prunedTo-1
        private long prunedTo;

        CursorSource(long from, long to) {
            this.from = from;
            this.to = to;
        }

        private void start() throws IOException {
            started = true;
            long first = table.firstPosition();
            long startAt = from > first ? from - 1 : from;
            long index = table.indexOf(startAt);
            reader = openReader(index, startAt);
            if (reader == null) {
                throw unreachable("frame unreachable: Chronicle has no entry 0x" + Long.toHexString(index), index, startAt);
            }
            if (from > first) {
                previous = readAt(from - 1, null).hash();
            } else {
                previous = from == 1 ? Hash128.ZERO : null;
            }
            nextPosition = from;
        }

        @Override
        public Frame next() throws IOException {
            lifecycle.readLock().lock();
            try {
                requireOpen();
                if (prunedTo > 0) {
                    throw new IllegalStateException("frames " + prunedFrom + ".." + (prunedTo - 1) + " were pruned from "
                            + dir + " while this cursor was open: its next frame " + (started ? nextPosition : from)
                            + " is gone");
                }
                if (!started) {
                    start();
                }
                if (nextPosition > to) {
                    return null;
                }
                if (reader == null) {
                    long index = table.indexOf(nextPosition);
                    reader = openReader(index, nextPosition);
                    if (reader == null) {
                        throw unreachable("frame unreachable: Chronicle has no entry 0x" + Long.toHexString(index),
                                index, nextPosition);
                    }
                }
                Frame f = readAt(nextPosition, previous);
                previous = f.hash();
                nextPosition++;
                return f;
            } finally {
                lifecycle.readLock().unlock();
            }
        }

        /** A reader at {@code index}, or null; a read-only log's pruned cycle file gives a state error, not an I/O one. */
        private ChronicleStore.Reader openReader(long index, long position) throws IOException {
            try {
                return store.reader(index);
            } catch (IOException e) {
                if (readOnly && !store.cycleFileExists(index)) {
                    throw prunedByWriter(index, position, e);
                }
                throw e;
            }
        }

        /** Reads forward to the entry of {@code position}, skipping entries the open scan found invalid. */
        private Frame readAt(long position, Hash128 prev) throws IOException {
            long index = table.indexOf(position);
            while (true) {
                ChronicleStore.Entry e = reader.next();
                if (e == null) {
                    throw unreachable("frame unreachable: reading ended before entry 0x" + Long.toHexString(index),
                            index, position);
                }
                if (e.index() < index) {
                    continue;
                }
                if (e.index() > index) {
                    throw new CorruptFrameException("frame missing: expected entry 0x" + Long.toHexString(index)
                            + " actual=0x" + Long.toHexString(e.index()), e.file(), position, null);
                }
                Frame f;
                try {
                    f = FrameCodec.decode(e.bytes());
                } catch (CorruptFrameException c) {
                    throw c.locate(e.file(), position);
                }
                if (f.position() != position) {
                    throw new CorruptFrameException("frame position mismatch: expected=" + position + " actual="
                            + f.position(), e.file(), position, null);
                }
                if (prev != null) {
                    Hash128 h = FrameCodec.chainEncoded(prev, e.bytes());
                    if (!h.equals(f.hash())) {
                        throw new CorruptFrameException("chain hash mismatch: expected=" + h.toHex() + " actual="
                                + f.hash().toHex(), e.file(), position, null);
                    }
                }
                return f;
            }
        }

        /** Releases the tailer before cycle files are deleted; the next call reopens one at its next frame. Under the exclusive lock. */
        void detach() {
            if (reader != null) {
                ChronicleStore.Reader r = reader;
                reader = null;
                r.close();
            }
        }

        /** Notes that positions {@code oldFirst .. newFirst-1} are gone. Under the exclusive lock. */
        void pruned(long oldFirst, long newFirst) {
            long next = started ? nextPosition : from;
            if (next <= to && next < newFirst) {
                prunedFrom = oldFirst;
                prunedTo = newFirst;
            }
        }

        @Override
        public void close() {
            cursors.remove(this);
            if (reader != null) {
                ChronicleStore.Reader r = reader;
                reader = null;
                r.close();
            }
        }
    }
}
