package io.chronolog.wal.internal;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.chronolog.wal.ChronicleProperties;
import io.chronolog.wal.NoSpaceLeft;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The Chronicle Queue directory behind a log: opaque byte entries addressed by Chronicle index,
 * daily cycle files, explicit fsync.
 *
 * <p>What it puts on disk: Chronicle's {@code yyyyMMdd'F'.cq4} cycle files (roll cycle
 * {@code FAST_DAILY}) and {@code metadata.cq4t}; each of our entries is one data excerpt. Thread
 * safety: {@link #append}, {@link #sync} and {@link #deleteCycles} must be called by one thread at
 * a time (the owning {@code FrameLog} serialises them, and runs deletions with no reader open); {@link #readAt}, {@link #reader} and {@link #usedBytes} may
 * be called from any thread, each use of a tailer being confined to the calling thread. Invariant:
 * an entry's index never changes once written; indexes increase along the log. A store opened by
 * {@link #openReadOnly} writes nothing and refuses {@link #append} and {@link #deleteCycles}
 * ({@link #sync} does nothing), while another process may append to the same directory.
 */
public final class ChronicleStore implements Closeable {

    static {
        // Before the first Chronicle class loads (the fields below load them): Chronicle reads its
        // properties then.
        ChronicleProperties.apply();
    }

    /** Chronicle's smallest block size we use: 64 MiB. */
    static final long MIN_BLOCK_SIZE = 64L << 20;
    /** Room left for Chronicle's own headers in the largest excerpt. */
    static final long HEADROOM = 64L << 10;
    private static final RollCycle ROLL_CYCLE = RollCycles.FAST_DAILY;
    private static final String METADATA_FILE = "metadata.cq4t";

    private final Path dir;
    private final SingleChronicleQueue queue;
    private final boolean readOnly;
    private final ForwardTime time;
    private final ConcurrentHashMap<Integer, Long> usedByCycle = new ConcurrentHashMap<>();

    // Appending state: used by one thread at a time, any thread (the caller serialises append/sync/close).
    private ExcerptAppender appender;
    private Thread appenderThread;
    private final Set<File> unsynced = new LinkedHashSet<>();
    /** The cycle file this process appended to last; null before its first append. */
    private File lastAppended;
    private final Set<File> knownFiles = new java.util.HashSet<>();
    private boolean directoryUnsynced;
    private FileChannel channel;
    private File channelFile;
    private final AtomicLong syncs = new AtomicLong();
    private boolean verifyNextAppend = true;

    private ChronicleStore(Path dir, SingleChronicleQueue queue, boolean readOnly, ForwardTime time) {
        this.dir = dir;
        this.queue = queue;
        this.readOnly = readOnly;
        this.time = time;
    }

    /**
     * Opens (creating if missing) the queue in {@code dir}.
     *
     * @param timeMillis    chooses the cycle file; never allowed to move before the newest cycle
     * @param maxEntryBytes the largest entry that must fit (sizes Chronicle's block)
     */
    public static ChronicleStore open(Path dir, LongSupplier timeMillis, int maxEntryBytes) throws IOException {
        boolean created = !Files.isDirectory(dir);
        if (created) {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            Files.createDirectory(dir, privateAttribute("rwx------"));
        }
        if (created && dir.toAbsolutePath().getParent() != null) {
            fsyncDirectory(dir.toAbsolutePath().getParent());
        }
        ForwardTime time = new ForwardTime(timeMillis);
        SingleChronicleQueue q = build(dir, time, maxEntryBytes);
        releaseStaleLocks(q);
        if (!takesAppends(q)) {
            // Chronicle falls back to read-only when metadata.cq4t is damaged; the file holds nothing
            // the cycle files do not (it is rebuilt from the directory), so keep it aside and start a new one
            q.close();
            Path metadata = dir.resolve(METADATA_FILE);
            if (Files.exists(metadata)) {
                Files.move(metadata, dir.resolve(METADATA_FILE + ".damaged"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            q = build(dir, time, maxEntryBytes);
            if (!takesAppends(q)) {
                q.close();
                throw new IOException("could not open the log queue in " + dir + " for writing: Chronicle opened it read-only"
                        + " even with a new " + METADATA_FILE);
            }
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                makePrivate(p.toFile());
            }
        }
        ChronicleStore store = new ChronicleStore(dir, q, false, time);
        store.floorTimeAtLastCycle();
        try (var files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX))
                    .forEach(p -> store.knownFiles.add(p.toFile().getAbsoluteFile()));
        }
        // A queue just created (or a crash between file creation and the directory's fsync) leaves
        // directory entries that may not be durable yet.
        store.directoryUnsynced = true;
        return store;
    }

    /**
     * Releases Chronicle's own append and write locks in {@code metadata.cq4t}. A writing open holds
     * the database's process lock, so no other process can hold these: a value left there (by a
     * killed process, or a damaged byte naming a process id that never existed) is stale, and would
     * otherwise refuse every append.
     */
    private static void releaseStaleLocks(SingleChronicleQueue q) {
        try {
            if (q.appendLock() instanceof net.openhft.chronicle.queue.impl.single.TableStoreWriteLock lock && lock.locked()) {
                lock.forceUnlock();
            }
        } catch (RuntimeException e) {
            // a queue Chronicle opened read-only has no lock to release: takesAppends deals with it
        }
        try {
            java.lang.reflect.Method writeLock = SingleChronicleQueue.class.getDeclaredMethod("writeLock");
            writeLock.setAccessible(true);
            Object lock = writeLock.invoke(q);
            if (lock instanceof net.openhft.chronicle.queue.impl.single.TableStoreWriteLock w && w.locked()) {
                w.forceUnlock();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Chronicle frees a write lock whose holder is dead on its own; only a lock naming a live process stays
        }
    }

    /** Whether Chronicle gives {@code q} an appender: it refuses one when it fell back to read-only over a damaged metadata.cq4t. */
    private static boolean takesAppends(SingleChronicleQueue q) {
        try {
            q.createAppender().close();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static SingleChronicleQueue build(Path dir, ForwardTime time, int maxEntryBytes) throws IOException {
        try {
            return SingleChronicleQueueBuilder.binary(dir)
                    .rollCycle(ROLL_CYCLE)
                    .blockSize(blockSizeFor(maxEntryBytes))
                    .timeProvider(time::currentTimeMillis)
                    .syncMode(SyncMode.NONE)
                    .build();
        } catch (RuntimeException | InternalError e) {
            throw new IOException("could not open the log queue in " + dir + ": " + e, e);
        }
    }

    /**
     * Opens the existing queue in {@code dir} without writing to any file: Chronicle's read-only
     * mode maps the cycle files and {@code metadata.cq4t} for reading, takes no write lock and
     * creates no appender, so another process may keep appending. Entries it appends become
     * visible to later scans and readers, new cycle files included.
     *
     * @throws NoSuchFileException if {@code dir} does not exist (it is never created)
     */
    public static ChronicleStore openReadOnly(Path dir, LongSupplier timeMillis, int maxEntryBytes) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "log directory does not exist");
        }
        ForwardTime time = new ForwardTime(timeMillis);
        SingleChronicleQueue q;
        try {
            q = SingleChronicleQueueBuilder.binary(dir)
                    .rollCycle(ROLL_CYCLE)
                    .blockSize(blockSizeFor(maxEntryBytes))
                    .timeProvider(time::currentTimeMillis)
                    .readOnly(true)
                    .build();
        } catch (RuntimeException | InternalError e) {
            throw new IOException("could not open the log queue in " + dir + " read-only: " + e, e);
        }
        ChronicleStore store = new ChronicleStore(dir, q, true, time);
        store.floorTimeAtLastCycle();
        return store;
    }

    /** Keeps Chronicle's clock at or after the newest cycle, so that it never looks for entries in an older one. */
    public void floorTimeAtLastCycle() {
        int lastCycle = queue.lastCycle();
        if (lastCycle >= 0) {
            time.floor((long) lastCycle * ROLL_CYCLE.lengthInMillis());
        }
    }

    /** Whether this store was opened by {@link #openReadOnly}. */
    public boolean readOnly() {
        return readOnly;
    }

    private void requireWritable() {
        if (readOnly) {
            throw new IllegalStateException("log opened read-only: " + dir);
        }
    }

    /** Chronicle keeps one excerpt inside a quarter of a block, so the block is 4x the largest entry, a power of two. */
    static long blockSizeFor(int maxEntryBytes) {
        long need = Long.highestOneBit(maxEntryBytes + HEADROOM - 1) << 1;
        return Math.max(MIN_BLOCK_SIZE, need * 4);
    }

    /** One entry read back: its Chronicle index, bytes, the cycle file holding it and the entry's byte offset in that file. */
    public record Entry(long index, byte[] bytes, String file, long offset) {
    }

    /** What a full scan saw. */
    public record ScanEnd(long entries, long lastIndexRead, String lastFile, Throwable stoppedBy) {
    }

    /** Receives every data entry of a scan, in order. */
    @FunctionalInterface
    public interface EntryVisitor {
        /** Called once per entry. */
        void visit(Entry entry) throws IOException;
    }

    /** Reads every data entry from the first, in order, until the tailer finds no more or fails. */
    public ScanEnd scan(EntryVisitor visitor) throws IOException {
        return scanAfter(-1, visitor);
    }

    /**
     * Reads every data entry after the one at {@code after} (from the first when {@code after < 0}),
     * in order, until the tailer finds no more or fails. {@link ScanEnd#lastIndexRead()} is
     * {@code after} when nothing followed it.
     */
    public ScanEnd scanAfter(long after, EntryVisitor visitor) throws IOException {
        long count = 0;
        long last = after < 0 ? -1 : after;
        String lastFile = null;
        Throwable stoppedBy = null;
        try (ExcerptTailer tailer = queue.createTailer()) {
            if (after < 0) {
                tailer.toStart();
            } else {
                try {
                    Entry e = tailer.moveToIndex(after) ? next(tailer) : null;
                    if (e == null || e.index() != after) {
                        stoppedBy = new IllegalStateException("entry 0x" + Long.toHexString(after)
                                + " read before is no longer reachable in " + fileOf(after));
                    }
                } catch (RuntimeException | InternalError ex) {
                    stoppedBy = ex;
                }
            }
            while (stoppedBy == null) {
                Entry e;
                try {
                    e = next(tailer);
                } catch (RuntimeException | InternalError ex) {
                    stoppedBy = ex;
                    break;
                }
                if (e == null) {
                    break;
                }
                count++;
                last = e.index();
                lastFile = e.file();
                visitor.visit(e);
            }
        }
        return new ScanEnd(count, last, lastFile, stoppedBy);
    }

    /** The index of the last data entry Chronicle knows of, or -1 when there is none. */
    public long lastIndex() {
        long li = queue.lastIndex();
        return li < 0 || li == Long.MAX_VALUE ? -1 : li;
    }

    /** Paths of cycle files by cycle, so that reading an entry does not format a file name each time. */
    private final java.util.concurrent.ConcurrentHashMap<Integer, String> cycleFiles = new java.util.concurrent.ConcurrentHashMap<>();

    /** The cycle file name holding {@code index}, for messages. */
    public String fileOf(long index) {
        return cycleFiles.computeIfAbsent(ROLL_CYCLE.toCycle(index), c -> dir.resolve(fileNameOf(c)).toString());
    }

    private static String fileNameOf(int cycle) {
        java.time.LocalDate day = java.time.LocalDate.ofEpochDay(cycle);
        return String.format("%04d%02d%02dF%s", day.getYear(), day.getMonthValue(), day.getDayOfMonth(),
                SingleChronicleQueue.SUFFIX);
    }

    /**
     * Appends one entry and returns its index. The caller serialises calls.
     *
     * @param before index of the last entry the caller knows (its last frame), or -1
     *
     * @throws StoreFullException when the file system has no room (Chronicle's SIGBUS InternalError
     *     or an I/O error saying so); nothing was appended and a later call may succeed
     * @throws IOException for any other failure to append
     */
    public long append(byte[] bytes, long before) throws IOException {
        requireWritable();
        ExcerptAppender a = appender();
        try {
            try (DocumentContext dc = a.writingDocument()) {
                try {
                    Bytes<?> out = dc.wire().bytes();
                    out.write(bytes);
                    recordUse(a.cycle(), out.writePosition());
                } catch (Throwable t) {
                    dc.rollbackOnClose();
                    throw t;
                }
            }
            long index = a.lastIndexAppended();
            lastAppended = noteFile(a.currentFile());
            unsynced.add(lastAppended);
            if (verifyNextAppend) {
                verifyReachable(before, index, bytes);
                verifyNextAppend = false;
            }
            return index;
        } catch (RuntimeException | InternalError | AssertionError e) {
            dropAppender(e);
            long written = writtenDespite(before, bytes);
            if (written >= 0) {
                return written;
            }
            if (isNoSpace(e)) {
                throw new StoreFullException(currentFileName(), e);
            }
            throw new IOException("append failed in " + currentFileName() + ": " + e, e);
        }
    }

    /**
     * Reads the entry just appended back through a tailer, from the entry before it. Chronicle writes
     * after a damaged length header that its tailers cannot pass; this catches that on the first
     * append after each open instead of at the next open.
     */
    private void verifyReachable(long before, long index, byte[] bytes) throws IOException {
        try (Reader r = before >= 0 ? reader(before) : reader0()) {
            if (r != null) {
                Entry e;
                while ((e = r.next()) != null && e.index() < index) {
                    // entries before ours, including invalid ones the open scan counted
                }
                if (e != null && e.index() == index && java.util.Arrays.equals(e.bytes(), bytes)) {
                    return;
                }
            }
        }
        verifyNextAppend = true;
        throw new UnreachableEntryException("appended entry 0x" + Long.toHexString(index)
                + " cannot be read back: a damaged entry header precedes it", fileOf(index));
    }

    private Reader reader0() {
        ExcerptTailer tailer = queue.createTailer();
        tailer.toStart();
        return new Reader(tailer);
    }

    /** After a failed append: the index of our entry if Chronicle nevertheless committed it whole, else -1. */
    private long writtenDespite(long before, byte[] bytes) {
        try {
            long after = lastIndex();
            if (after > before) {
                Entry e = readAt(after);
                if (e != null && java.util.Arrays.equals(e.bytes(), bytes)) {
                    unsynced.add(noteFile(new File(e.file())));
                    return after;
                }
            }
        } catch (RuntimeException | InternalError | IOException ignored) {
            // Treat as not written: the entry, if any, is garbage that readers skip.
        }
        return -1;
    }

    /**
     * Whether a failed append ran out of space: Chronicle's {@link InternalError} (a SIGBUS on a
     * mapped page the file system could not back), or the JDK's ENOSPC among the causes.
     */
    private static boolean isNoSpace(Throwable e) {
        return e instanceof InternalError || NoSpaceLeft.inCauses(e);
    }

    private String currentFileName() {
        int cycle = queue.cycle();
        return dir.resolve(fileNameOf(cycle)).toString();
    }

    private ExcerptAppender appender() {
        Thread me = Thread.currentThread();
        if (appender == null) {
            appender = queue.createAppender();
            appenderThread = me;
        } else if (appenderThread != me) {
            appender.singleThreadedCheckReset();
            appenderThread = me;
        }
        return appender;
    }

    private void dropAppender(Throwable cause) {
        verifyNextAppend = true;
        ExcerptAppender a = appender;
        appender = null;
        appenderThread = null;
        if (a != null) {
            try {
                a.singleThreadedCheckReset();
                a.close();
            } catch (RuntimeException | InternalError e) {
                cause.addSuppressed(e);
            }
        }
    }

    private File noteFile(File f) {
        if (f.equals(lastAppended)) {
            return lastAppended; // the file of the last append, seen already: the common case
        }
        File abs = f.getAbsoluteFile();
        if (knownFiles.add(abs)) {
            directoryUnsynced = true;
            makePrivate(abs);
        }
        return abs;
    }

    /**
     * Chronicle creates its files with the process's umask: a new file of the log (statements and
     * parameters in plain text) is set to {@code 0600} when first seen; the directory is {@code 0700}.
     */
    private static void makePrivate(File f) {
        if (!POSIX || Files.isSymbolicLink(f.toPath())) {
            return;
        }
        try {
            Files.setPosixFilePermissions(f.toPath(), java.nio.file.attribute.PosixFilePermissions.fromString(
                    f.isDirectory() ? "rwx------" : "rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            // the directory is private already; a file left looser is tightened at the next open
        }
    }

    private static final boolean POSIX = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private static java.nio.file.attribute.FileAttribute<?>[] privateAttribute(String perms) {
        return POSIX ? new java.nio.file.attribute.FileAttribute<?>[] {java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString(perms))} : new java.nio.file.attribute.FileAttribute<?>[0];
    }

    private void recordUse(int cycle, long endOffset) {
        usedByCycle.merge(cycle, endOffset, Math::max);
    }

    /** Reads the entry at {@code index} with a tailer of the calling thread, or null if there is none. */
    public Entry readAt(long index) throws IOException {
        try (Reader r = reader(index)) {
            return r == null ? null : r.next();
        }
    }

    /** A sequential reader positioned at {@code index}, confined to the calling thread; null if the index does not exist. */
    public Reader reader(long index) throws IOException {
        ExcerptTailer tailer = queue.createTailer();
        try {
            if (!tailer.moveToIndex(index)) {
                tailer.close();
                return null;
            }
        } catch (RuntimeException | InternalError e) {
            tailer.close();
            throw new IOException("could not move to entry 0x" + Long.toHexString(index) + " in " + fileOf(index) + ": " + e, e);
        }
        return new Reader(tailer);
    }

    /** A thread-confined sequential reader over entries. */
    public final class Reader implements Closeable {
        private final ExcerptTailer tailer;

        private Reader(ExcerptTailer tailer) {
            this.tailer = tailer;
        }

        /** The next data entry, or null at the end. */
        public Entry next() throws IOException {
            try {
                return ChronicleStore.this.next(tailer);
            } catch (RuntimeException | InternalError e) {
                throw new IOException("could not read the log after entry 0x" + Long.toHexString(tailer.index()) + ": " + e, e);
            }
        }

        /** Closes the tailer; may be called from another thread once reading has stopped. */
        @Override
        public void close() {
            tailer.singleThreadedCheckReset();
            tailer.close();
        }
    }

    private Entry next(ExcerptTailer tailer) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return null;
            }
            Bytes<?> in = dc.wire().bytes();
            long remaining = in.readRemaining();
            if (remaining > queue.overlapSize()) {
                // Chronicle never writes an excerpt larger than the overlap: the length header is damaged.
                throw new IllegalStateException("damaged entry header: length " + remaining
                        + " exceeds the largest possible entry of " + queue.overlapSize() + " bytes at offset "
                        + in.readPosition() + " of " + fileOf(dc.index()));
            }
            long offset = in.readPosition();
            byte[] b = new byte[(int) remaining];
            in.read(b);
            long index = dc.index();
            int cycle = ROLL_CYCLE.toCycle(index);
            recordUse(cycle, in.readLimit());
            return new Entry(index, b, fileOf(index), offset);
        }
    }

    /**
     * Makes every appended entry durable: fdatasync of each cycle file written since the last sync
     * (Linux writes back pages dirtied through the mapping; fdatasync also flushes a size change,
     * and skips only the modification time), then fsync of the directory and metadata file when a
     * cycle file appeared. Returns false if there was nothing to sync.
     */
    public boolean sync() throws IOException {
        return sync(false);
    }

    /**
     * {@link #sync()}, and with {@code always} an fdatasync of the last cycle file appended to even
     * when nothing is unsynced: a barrier that orders what follows after every appended entry.
     */
    public boolean sync(boolean always) throws IOException {
        if (readOnly) {
            return false;
        }
        if (unsynced.isEmpty() && !directoryUnsynced) {
            if (!always || lastAppended == null) {
                return false;
            }
            unsynced.add(lastAppended);
        }
        List<File> files = new ArrayList<>(unsynced);
        for (File f : files) {
            try {
                channelFor(f).force(false);
            } catch (java.nio.channels.ClosedByInterruptException e) {
                // the interrupt closed the channel, not the data: fdatasync through a fresh descriptor
                boolean interrupted = Thread.interrupted();
                try {
                    channelFor(f).force(false);
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            unsynced.remove(f);
        }
        if (directoryUnsynced) {
            Path meta = dir.resolve(METADATA_FILE);
            if (Files.exists(meta)) {
                try (FileChannel ch = FileChannel.open(meta, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
            fsyncDirectory(dir);
            directoryUnsynced = false;
        }
        syncs.incrementAndGet();
        return true;
    }

    /**
     * fdatasync of every cycle file, whoever wrote it: entries a crashed process left in the page
     * cache become durable before anything is built on them.
     */
    public void forceAll() throws IOException {
        requireWritable();
        for (int cycle : cycles()) {
            try (FileChannel ch = FileChannel.open(dir.resolve(fileNameOf(cycle)), StandardOpenOption.WRITE)) {
                ch.force(false);
            }
        }
    }

    /**
     * Overwrites the first bytes of the entry at {@code index} (at {@code offset} of its cycle file)
     * with {@code replacement}, after checking that they still read {@code expected}: the entry then
     * no longer decodes, and readers skip it as they skip a torn tail. Not durable until
     * {@link #rewriteAndForce}.
     */
    public void overwriteHead(long index, long offset, byte[] expected, byte[] replacement) throws IOException {
        requireWritable();
        Path file = dir.resolve(fileNameOf(ROLL_CYCLE.toCycle(index)));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer found = java.nio.ByteBuffer.allocate(expected.length);
            while (found.hasRemaining() && ch.read(found, offset + found.position()) >= 0) {
                // read on
            }
            if (!java.util.Arrays.equals(found.array(), expected)) {
                throw new IOException("entry 0x" + Long.toHexString(index) + " is not where it was read: expected its first "
                        + expected.length + " bytes at offset " + offset + " of " + file);
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(replacement);
            while (b.hasRemaining()) {
                ch.write(b, offset + b.position());
            }
        }
    }

    /**
     * Writes every byte in use in the cycle files of {@code cycles} back to where it is (read from
     * the page cache, written again), then fdatasyncs each file. After a failed writeback the kernel
     * may have marked pages clean that never reached the disk, and a later fdatasync would not write
     * them; written again, they are dirty, so the disk ends up holding exactly what the open read.
     */
    public void rewriteAndForce(Set<Integer> cycles) throws IOException {
        requireWritable();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 20);
        for (int cycle : cycles) {
            Path file = dir.resolve(fileNameOf(cycle));
            long end = usedByCycle.getOrDefault(cycle, 0L);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                end = Math.min(end, ch.size());
                for (long at = 0; at < end; ) {
                    buf.clear();
                    buf.limit((int) Math.min(buf.capacity(), end - at));
                    int n = ch.read(buf, at);
                    if (n <= 0) {
                        break;
                    }
                    buf.flip();
                    while (buf.hasRemaining()) {
                        ch.write(buf, at + buf.position());
                    }
                    at += n;
                }
                ch.force(false);
            }
        }
    }

    /** Number of syncs that reached the disk. */
    public long syncCount() {
        return syncs.get();
    }

    private FileChannel channelFor(File f) throws IOException {
        if (channel != null && f.equals(channelFile) && channel.isOpen()) {
            return channel;
        }
        if (channel != null) {
            channel.close();
            channel = null;
        }
        channel = FileChannel.open(f.toPath(), StandardOpenOption.WRITE);
        channelFile = f;
        return channel;
    }

    static void fsyncDirectory(Path d) throws IOException {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** The cycle (UTC day number since the epoch) holding {@code index}. */
    public int cycleOf(long index) {
        return ROLL_CYCLE.toCycle(index);
    }

    /** The index the first data entry of {@code cycle} has. */
    public long firstIndexOf(int cycle) {
        return ROLL_CYCLE.toIndex(cycle, 0);
    }

    /** The cycles that have a cycle file in the directory, oldest first. */
    public List<Integer> cycles() throws IOException {
        List<Integer> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.map(p -> cycleOfFileName(p.getFileName().toString()))
                    .filter(c -> c != null)
                    .sorted()
                    .forEach(out::add);
        }
        return out;
    }

    /** The cycle a {@code yyyyMMdd'F'.cq4} name stands for, or null for any other name. */
    static Integer cycleOfFileName(String name) {
        if (name.length() != 13 || name.charAt(8) != 'F' || !name.endsWith(SingleChronicleQueue.SUFFIX)) {
            return null;
        }
        for (int i = 0; i < 8; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            long day = java.time.LocalDate.parse(name.substring(0, 8), java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                    .toEpochDay();
            return fileNameOf((int) day).equals(name) ? Integer.valueOf((int) day) : null;
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /**
     * Deletes the cycle files of {@code cycles} (oldest first), then fsyncs the directory and
     * refreshes Chronicle's cached directory listing so that no tailer or appender opens them again.
     * The caller guarantees that none of its appenders or tailers uses these cycles and that no
     * append, sync or read runs meanwhile; the newest cycle is never deleted.
     *
     * @return the number of files deleted; when deleting one fails, the ones before it stay deleted,
     *     the directory is still fsync'd and the listing refreshed, and the failure is thrown
     */
    public int deleteCycles(List<Integer> cycles) throws IOException {
        requireWritable();
        if (cycles.isEmpty()) {
            return 0;
        }
        List<Integer> sorted = cycles.stream().sorted().toList();
        int newest = queue.lastCycle();
        // Chronicle unmaps the stores of closed tailers in the background: let it finish, so the
        // space of the deleted files is freed now rather than at the next unmap.
        BackgroundResourceReleaser.releasePendingResources();
        int deleted = 0;
        IOException failure = null;
        try {
            for (int cycle : sorted) {
                Path file = dir.resolve(fileNameOf(cycle));
                if (cycle >= newest) {
                    throw new IllegalArgumentException("refusing to delete the newest cycle file " + file);
                }
                File abs = file.toFile().getAbsoluteFile();
                if (abs.equals(channelFile) && channel != null) {
                    channel.close();
                    channel = null;
                    channelFile = null;
                }
                Files.deleteIfExists(file);
                unsynced.remove(abs);
                knownFiles.remove(abs);
                usedByCycle.remove(cycle);
                deleted++;
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            if (deleted > 0) {
                try {
                    fsyncDirectory(dir);
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
                try {
                    queue.refreshDirectoryListing();
                } catch (RuntimeException e) {
                    IOException io = new IOException("could not refresh the queue's directory listing in " + dir + ": " + e, e);
                    if (failure == null) {
                        failure = io;
                    } else {
                        failure.addSuppressed(io);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return deleted;
    }

    /** Whether the cycle file of {@code index} is still in the directory (another process may have pruned it). */
    public boolean cycleFileExists(long index) {
        return Files.exists(dir.resolve(fileNameOf(ROLL_CYCLE.toCycle(index))));
    }

    /** Forgets the bytes counted for cycles before {@code cycle} (removed by the process that writes the log). */
    public void forgetCyclesBefore(int cycle) {
        usedByCycle.keySet().removeIf(c -> c < cycle);
    }

    /** Bytes in use in the cycle files: per file, up to the end of its last entry (Chronicle preallocates sparse space beyond). */
    public long usedBytes() {
        long total = 0;
        for (long v : usedByCycle.values()) {
            total += v;
        }
        return total;
    }

    /** The queue directory. */
    public Path directory() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            failure = e;
        }
        channel = null;
        ExcerptAppender a = appender;
        appender = null;
        try {
            if (a != null) {
                a.singleThreadedCheckReset();
                a.close();
            }
            queue.close();
        } catch (RuntimeException | InternalError e) {
            IOException io = new IOException("could not close the log queue in " + dir + ": " + e, e);
            if (failure != null) {
                io.addSuppressed(failure);
            }
            failure = io;
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Chronicle's time source: the caller's clock, never earlier than the newest cycle or any earlier reading. */
    static final class ForwardTime {
        private final LongSupplier source;
        private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

        ForwardTime(LongSupplier source) {
            this.source = source;
        }

        void floor(long millis) {
            last.accumulateAndGet(millis, Math::max);
        }

        long currentTimeMillis() {
            return last.accumulateAndGet(source.getAsLong(), Math::max);
        }
    }
}
