package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveException;
import io.chronolog.engine.ArchiveOptions;
import io.chronolog.engine.ArchiveStatus;
import io.chronolog.engine.ChronologException;
import io.chronolog.snapshot.CheckpointMeta;
import io.chronolog.snapshot.CheckpointStore;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.Hash128;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Ships a writing open's history to its archive in the background, on one thread: log frames as
 * segments once the oldest unshipped frame has waited {@link ArchiveOptions#lag()} or
 * {@link ArchiveOptions#lagBytes()} of them are waiting (at once when an {@link
 * io.chronolog.engine.Durability#ARCHIVED} write or a {@link #sync} waits), then every checkpoint
 * whose frames are archived, then every backup (image, then its header as the commit point).
 * Nothing is requested while nothing is new: the thread sleeps until a commit wakes it.
 *
 * <p>The first turn reads the archive (manifest, where it ends, what it holds) and takes a writer
 * lease; an archive that holds another database, or frames this log does not have, is refused
 * (the latter fences this writer: another one took over). A failure is kept as the last error and
 * the turn is tried again after a backoff (1 s doubling to 30 s); writes go on meanwhile, and the
 * local files the archive lacks are kept ({@link #archivedPosition}, {@link #isArchived}).
 * Thread-safe.
 */
public final class Archiver implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Archiver.class.getName());
    private static final int SEGMENT_FRAMES = 100_000;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /** Longest a status waits for its question to the archive (whether another writer took the next frame). */
    private static final long PROBE_WAIT_MILLIS = 2_000;

    /** The archived collection of garbage, run after shipping when due. */
    public interface Collector {
        void collect(ArchiveReader reader);
    }

    private final String name;
    private final ArchiveOptions options;
    private final byte[] archiveId;
    private final CountingObjectStore counting;
    private final DatabaseObjects objects;
    private final FrameLog log;
    private final CheckpointStore checkpoints;
    private final LongSupplier millis;
    private final LongSupplier bytesLogged;
    private final Consumer<ChronologException> onFenced;
    private final Collector collector;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread thread;
    private final Timer uploadTimer;

    // guarded by lock
    private boolean stopping;
    private long syncRequests;
    private long syncsDone;
    /** The newest sync request a failed turn was serving: those waiting on it hear of the failure at once. */
    private long syncsFailed;
    private int archivedWaiters;
    private long pendingSinceNanos = -1;
    /** After a failure: when the next try is due (0: no failure waiting to be retried). */
    private long retryAtNanos;
    private long bytesAtShip;

    private volatile boolean initialized;
    private volatile ArchiveShipper shipper;
    private volatile ArchiveShipper.Head head = new ArchiveShipper.Head(0, Hash128.ZERO);
    private volatile String lastError;
    private volatile ArchiveException fenced;
    private volatile ArchiveLease lease;
    private volatile String writer = "";
    /** The status's question to the archive in flight, if any (guarded by this). */
    private java.util.concurrent.CompletableFuture<Boolean> probing;
    private String probingKey;
    private final Set<Long> archivedCheckpoints = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<String> archivedBackups = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<String> backupDeletes = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile long objectCount;
    private volatile long bytesStored;
    private volatile long lastCollectMillis;
    private volatile boolean shippedSinceCollect;

    public Archiver(String name, ArchiveOptions options, byte[] archiveId, ObjectStore store, MeterRegistry registry, FrameLog log,
            CheckpointStore checkpoints, LongSupplier millis, LongSupplier bytesLogged, Consumer<ChronologException> onFenced,
            Collector collector) {
        this.name = name;
        this.options = options;
        this.archiveId = archiveId.clone();
        this.counting = new CountingObjectStore(store, registry, name);
        this.objects = new DatabaseObjects(counting, name);
        this.log = log;
        this.checkpoints = checkpoints;
        this.millis = millis;
        this.bytesLogged = bytesLogged;
        this.onFenced = onFenced;
        this.collector = collector;
        this.lastCollectMillis = millis.getAsLong();
        this.uploadTimer = registry == null ? null : Timer.builder("chronolog.archive.upload").tag("database", name).register(registry);
        if (registry != null) {
            Gauge.builder("chronolog.archive.lag.frames", this, a -> a.lagFrames()).tag("database", name).register(registry);
            Gauge.builder("chronolog.archive.lag.seconds", this, a -> a.lagMillis() / 1000.0).tag("database", name).register(registry);
            Gauge.builder("chronolog.archive.position", this, a -> a.head.position()).tag("database", name).register(registry);
        }
        this.thread = new Thread(this::run, "chronolog-archive-" + name);
        this.thread.setDaemon(true);
    }

    /** Starts shipping. */
    public void start() {
        thread.start();
    }

    /** The requests made so far, per kind. */
    public CountingObjectStore requests() {
        return counting;
    }

    /** The last position the archive holds, as far as known (0 before the first turn read it). */
    public long archivedPosition() {
        return head.position();
    }

    /** Whether checkpoint or backup {@code m} is in the archive (local retention keeps it until it is). */
    public boolean isArchived(CheckpointMeta m) {
        return m.isBackup() ? archivedBackups.contains(io.chronolog.engine.internal.history.BackupLabel.idOf(m))
                : archivedCheckpoints.contains(m.number());
    }

    /** Told after frames were appended: wakes the thread when the lag bound may be reached. */
    public void appended() {
        lock.lock();
        try {
            if (pendingSinceNanos < 0) {
                pendingSinceNanos = System.nanoTime();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Told that a backup was deleted locally: it is deleted from the archive too. */
    public void backupDeleted(String id) {
        backupDeletes.add(id);
        wake();
    }

    /** Told that a checkpoint or backup was stored: it is shipped at the next turn. */
    public void stored() {
        wake();
    }

    /**
     * Waits until the archive holds frame {@code position}, up to {@link ArchiveOptions#archivedWait()}.
     *
     * @throws ArchiveException it did not in time (naming the last error), or this writer is fenced
     */
    public void awaitArchived(long position) {
        long deadline = System.nanoTime() + options.archivedWait().toNanos();
        lock.lock();
        try {
            archivedWaiters++;
            changed.signalAll();
            while (head.position() < position) {
                if (fenced != null) {
                    throw new ArchiveException(fenced.getMessage(), fenced);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || stopping) {
                    throw new ArchiveException("database " + name + ": frame " + position + " is logged but not archived within "
                            + options.archivedWait().toMillis() + " ms" + (lastError == null ? "" : " (" + lastError + ")")
                            + "; it stays in the local log and ships when the archive " + options.url() + " takes it");
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArchiveException("database " + name + ": interrupted while waiting for frame " + position + " to be archived", e);
        } finally {
            archivedWaiters--;
            lock.unlock();
        }
    }

    /**
     * Ships everything now (frames to the log's end, checkpoints, backups) and returns the status
     * once the archive holds them, waiting up to {@code timeoutMillis}.
     *
     * @throws ArchiveException the archive did not take them in time (naming the last error), or this writer is fenced
     */
    public ArchiveStatus sync(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            long ticket = ++syncRequests;
            changed.signalAll();
            while (syncsDone < ticket) {
                if (fenced != null) {
                    throw new ArchiveException(fenced.getMessage(), fenced);
                }
                if (syncsFailed >= ticket) {
                    throw new ArchiveException("database " + name + ": the archive " + options.url() + " did not take everything: "
                            + lastError + "; shipping is tried again in the background");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || stopping) {
                    throw new ArchiveException("database " + name + ": the archive " + options.url() + " did not take everything within "
                            + timeoutMillis + " ms" + (lastError == null ? "" : ": " + lastError));
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArchiveException("database " + name + ": interrupted while syncing the archive", e);
        } finally {
            lock.unlock();
        }
        return status();
    }

    /**
     * The status, once the first turn has read the archive (waiting up to 10 s for it): asks the
     * archive whether the next frame's object was taken by another writer (one request), so a
     * fenced writer hears of it here even before it ships again.
     */
    public ArchiveStatus checkedStatus() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        lock.lock();
        try {
            while (!initialized && fenced == null && lastError == null && System.nanoTime() < deadline) {
                changed.awaitNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        if (initialized && fenced == null) {
            String next = ArchiveLayout.segmentKey(head.position() + 1);
            Boolean taken = probe(next);
            if (Boolean.TRUE.equals(taken) && fenced == null && !next.equals(ArchiveLayout.segmentKey(head.position() + 1))) {
                taken = null; // this process shipped that frame meanwhile
            }
            if (Boolean.TRUE.equals(taken) && fenced == null) {
                fence(new ArchiveException("archive object " + next + " was written by another writer"));
            }
        }
        if (fenced != null) {
            throw new ArchiveException(fenced.getMessage(), fenced);
        }
        return status();
    }

    /**
     * Whether the archive holds {@code key} with frames that are not this log's (another writer's),
     * asked on a thread of its own and waited for at most
     * {@link #PROBE_WAIT_MILLIS}: a status never hangs on an archive that does not answer (one probe
     * at a time; a slow one is left to finish). Null when no answer came in time or the store failed.
     */
    private Boolean probe(String key) {
        java.util.concurrent.CompletableFuture<Boolean> p;
        synchronized (this) {
            p = probing;
            if (p != null && !p.isDone() && !key.equals(probingKey)) {
                return null; // a question about an earlier frame is still out: no second one
            }
            if (p != null && !p.isDone()) {
                return null; // the last question is still out (the archive is slow): this status does not wait for it again
            }
            if (p == null || p.isDone() || !key.equals(probingKey)) {
                probingKey = key;
                // an object holding this log's own frames is this process's upload that landed before it heard so
                p = java.util.concurrent.CompletableFuture.supplyAsync(() -> objects.get(key).map(body -> {
                    ArchiveShipper s = shipper;
                    return s == null || s.thisLogs(body) == null;
                }).orElse(false), runnable -> {
                    Thread t = new Thread(runnable, "chronolog-archive-probe-" + name);
                    t.setDaemon(true);
                    t.start();
                });
                probing = p;
            }
        }
        try {
            return p.get(PROBE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The status as this process knows it (no request). */
    public ArchiveStatus status() {
        ArchiveShipper.Head h = head;
        io.chronolog.engine.Bookmark archived = null;
        if (h.position() > 0 && h.position() >= log.firstPosition()) {
            try {
                archived = io.chronolog.engine.internal.log.Frames.bookmark(log.read(h.position()));
            } catch (IOException | RuntimeException e) {
                archived = null; // pruned meanwhile: the position is still in lagFrames' reckoning
            }
        }
        long lagFrames = lagFrames();
        long lagBytes = Math.max(0, bytesLogged.getAsLong() - bytesAtShipVolatile());
        return new ArchiveStatus(options.url(), archived, lagFrames, lagFrames == 0 ? 0 : lagBytes, lagMillis(), objectCount,
                bytesStored, lagFrames == 0 ? 0 : lagBytes, fenced != null ? fenced.getMessage() : lastError, fenced != null, writer);
    }

    private long bytesAtShipVolatile() {
        lock.lock();
        try {
            return bytesAtShip;
        } finally {
            lock.unlock();
        }
    }

    private long lagFrames() {
        return Math.max(0, log.lastPosition() - head.position());
    }

    private long lagMillis() {
        long h = head.position();
        long last = log.lastPosition();
        if (last <= h) {
            return 0;
        }
        try {
            long from = Math.max(h + 1, log.firstPosition());
            return Math.max(0, millis.getAsLong() - log.timestampOf(from));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Whether another writer took over. */
    public ArchiveException fenced() {
        return fenced;
    }

    /** Stops the thread after one last turn (bounded by {@code timeoutMillis}) that ships what it can. */
    @Override
    public void close() {
        close(10_000);
    }

    public void close(long timeoutMillis) {
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            LOG.log(System.Logger.Level.WARNING, "database " + name + ": the archive " + options.url() + " did not take the last "
                    + lagFrames() + " frames before close; they ship at the next open");
        }
        counting.close();
    }

    private void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        long backoff = 0;
        while (true) {
            boolean stop;
            long ticket;
            lock.lock();
            try {
                stop = stopping;
                ticket = syncRequests;
            } finally {
                lock.unlock();
            }
            try {
                boolean tried = fenced == null && turn(stop || ticket > syncsDone);
                if (tried || (head.position() >= log.lastPosition() && nothingLeft())) {
                    // a turn that tried nothing (not due, or waiting out the backoff) says nothing of the last failure
                    lastError = null;
                    backoff = 0;
                    retryAt(-1);
                }
                lock.lock();
                try {
                    if (syncsDone < ticket && head.position() >= log.lastPosition() && nothingLeft()) {
                        syncsDone = ticket;
                    }
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            } catch (ArchiveException e) {
                if (e != fenced) {
                    lastError = e.getMessage();
                }
                failed(ticket);
                if (e == fenced) {
                    LOG.log(System.Logger.Level.ERROR, e.getMessage());
                    wake();
                } else {
                    LOG.log(System.Logger.Level.WARNING, "database " + name + ": archiving failed, tried again later: " + e.getMessage());
                    backoff = backoff == 0 ? 1000 : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                    retryAt(backoff);
                }
            } catch (RuntimeException | IOException e) {
                lastError = e.toString();
                failed(ticket);
                LOG.log(System.Logger.Level.WARNING, "database " + name + ": archiving failed, tried again later: " + e, e);
                backoff = backoff == 0 ? 1000 : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                retryAt(backoff);
            }
            if (stop) {
                return;
            }
            lock.lock();
            try {
                long wait = nextWaitNanos(backoff);
                if (!stopping && syncRequests == ticket && wait != 0) {
                    if (wait < 0) {
                        changed.await();
                    } else {
                        changed.awaitNanos(wait);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * After a failure: appends do not bring the next try forward (a sync, a close or an ARCHIVED
     * write does), and once the backoff is over the try is due whatever the lag; -1: no failure to retry.
     */
    private void retryAt(long backoffMillis) {
        lock.lock();
        try {
            retryAtNanos = backoffMillis < 0 ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
        } finally {
            lock.unlock();
        }
    }

    /** A turn serving sync requests up to {@code ticket} failed: they fail now (with the last error) rather than wait. */
    private void failed(long ticket) {
        lock.lock();
        try {
            syncsFailed = Math.max(syncsFailed, ticket);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: how long to sleep (-1: until woken, 0: not at all). */
    private long nextWaitNanos(long backoffMillis) {
        if (fenced != null) {
            return -1;
        }
        if (backoffMillis > 0) {
            return Math.max(1, retryAtNanos - System.nanoTime());
        }
        if (!initialized) {
            return 0;
        }
        if (head.position() >= log.lastPosition() && nothingLeft()) {
            pendingSinceNanos = -1;
            return -1;
        }
        if (archivedWaiters > 0) {
            return 0;
        }
        if (pendingSinceNanos < 0) {
            pendingSinceNanos = System.nanoTime();
        }
        long due = pendingSinceNanos + options.lag().toNanos() - System.nanoTime();
        if (bytesLogged.getAsLong() - bytesAtShip >= options.lagBytes()) {
            return 0;
        }
        return Math.max(1, due);
    }

    /** Whether every checkpoint and backup is archived and no deletion waits. */
    private boolean nothingLeft() {
        if (!backupDeletes.isEmpty()) {
            return false;
        }
        for (CheckpointMeta m : checkpoints.list()) {
            if (shippable(m)) {
                return false;
            }
        }
        return true;
    }

    private boolean shippable(CheckpointMeta m) {
        return m.state() == CheckpointMeta.State.AVAILABLE && !isArchived(m) && m.position() <= head.position()
                && (m.isBackup() || m.position() > 0);
    }

    /** One turn: read the archive if not yet, ship what is due, collect garbage when due. */
    private boolean turn(boolean everything) throws IOException {
        boolean waiting;
        lock.lock();
        try {
            waiting = !everything && archivedWaiters == 0 && retryAtNanos != 0 && System.nanoTime() - retryAtNanos < 0;
        } finally {
            lock.unlock();
        }
        if (waiting) {
            return false;
        }
        boolean tried = !initialized;
        if (!initialized) {
            initialize();
        }
        boolean due;
        long pendingSince;
        long last = log.syncedPosition(); // never ship a frame a power cut could still take from the local log
        lock.lock();
        try {
            pendingSince = pendingSinceNanos;
            due = everything || archivedWaiters > 0 || retryAtNanos != 0 || (pendingSince >= 0
                    && System.nanoTime() - pendingSince >= options.lag().toNanos())
                    || bytesLogged.getAsLong() - bytesAtShip >= options.lagBytes();
            if (due) {
                pendingSinceNanos = -1; // frames appended from now on wait from their own append
            }
        } finally {
            lock.unlock();
        }
        try {
            return shipDue(due, last) || tried;
        } catch (IOException | RuntimeException e) {
            lock.lock();
            try {
                if (due && pendingSince >= 0 && (pendingSinceNanos < 0 || pendingSince < pendingSinceNanos)) {
                    pendingSinceNanos = pendingSince; // what failed to ship is still waiting, since then
                }
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    /** The shipping part of a turn: frames when due, then checkpoints, backups, deletions, collection. */
    private boolean shipDue(boolean due, long last) throws IOException {
        boolean tried = false;
        if (due && head.position() < log.lastPosition() && last < log.lastPosition()) {
            log.sync(); // ASYNC frames, or a group between its append and its sync: made durable here first
            last = log.syncedPosition();
        }
        if (due && head.position() < last) {
            tried = true;
            // a frame never reaches the archive before the checkpoints it may name (its epoch's base, a restore's state):
            // every checkpoint at or before the frames about to ship goes first, so the archive restores at every moment
            for (CheckpointMeta m : checkpoints.list()) {
                if (!m.isBackup() && m.state() == CheckpointMeta.State.AVAILABLE && m.position() > 0 && m.position() <= last
                        && !isArchived(m)) {
                    ship(m);
                }
            }
            long shippedBytes = bytesLogged.getAsLong();
            long started = System.nanoTime();
            try {
                head = shipper.shipUpTo(last);
            } catch (ArchiveException e) {
                head = shipper.head();
                if (shipper.fenced() != null) {
                    throw fence(shipper.fenced());
                }
                throw e;
            }
            if (uploadTimer != null) {
                uploadTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
            lock.lock();
            try {
                bytesAtShip = shippedBytes;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            shippedSinceCollect = true;
        }
        for (CheckpointMeta m : checkpoints.list()) {
            if (shippable(m)) {
                tried = true;
                ship(m);
            }
        }
        for (String id : List.copyOf(backupDeletes)) {
            tried = true;
            objects.delete(ArchiveLayout.backupInfoKey(id));
            objects.delete(ArchiveLayout.backupKey(id));
            archivedBackups.remove(id);
            backupDeletes.remove(id);
        }
        long now = millis.getAsLong();
        if (collector != null && shippedSinceCollect && now - lastCollectMillis >= TimeUnit.HOURS.toMillis(1)) {
            lastCollectMillis = now;
            shippedSinceCollect = false;
            collector.collect(new ArchiveReader(objects));
            tried = true;
        }
        return tried;
    }

    private void ship(CheckpointMeta m) throws IOException {
        byte[] body = Files.readAllBytes(checkpoints.fileOf(m.number()));
        if (m.isBackup()) {
            String id = io.chronolog.engine.internal.history.BackupLabel.idOf(m);
            create(ArchiveLayout.backupKey(id), body);
            create(ArchiveLayout.backupInfoKey(id), checkpoints.headerBytes(m.number()));
            archivedBackups.add(id);
        } else {
            var key = new ArchiveLayout.CheckpointKey(m.position(), m.epoch(), m.number(), m.createdAtMillis(),
                    io.chronolog.engine.internal.history.Checkpoints.RESTORE_LABEL.equals(m.label()));
            create(key.key(), body);
            archivedCheckpoints.add(m.number());
        }
    }

    private void create(String key, byte[] body) {
        if (!objects.createIfAbsent(key, body)) {
            throw fence(new ArchiveException("database " + name + ": fenced: archive object " + objects.describe() + " " + key
                    + " holds other bytes than this process's; another writer ships to this archive"));
        }
        objectCount++;
        bytesStored += body.length;
    }

    /** Records that this writer is fenced, names who took over, stops writes; returns the error. */
    private ArchiveException fence(ArchiveException cause) {
        String who = "";
        try {
            who = new ArchiveReader(objects).newestWriter().filter(l -> lease == null || l.number() != lease.number())
                    .map(l -> " (the archive's newest writer: " + l.describe() + ")").orElse("");
        } catch (RuntimeException e) {
            // the message stays without the name
        }
        ArchiveException f = new ArchiveException("database " + name + " is fenced: another writer has taken over its archive "
                + options.url() + who + "; this process writes and ships nothing more (" + cause.getMessage() + ")", cause);
        fenced = f;
        onFenced.accept(f);
        return f;
    }

    /** The first turn: the manifest, where the archive ends, whether it continues this log, a writer lease, what it holds. */
    private void initialize() throws IOException {
        ArchiveReader reader = new ArchiveReader(objects);
        var manifest = reader.manifest();
        if (manifest.isEmpty()) {
            ArchiveManifest m = new ArchiveManifest(name, archiveId, millis.getAsLong());
            if (!objects.createIfAbsent(ArchiveLayout.MANIFEST, m.encode())) {
                manifest = reader.manifest();
            }
        }
        if (manifest.isPresent() && !java.util.Arrays.equals(manifest.get().archiveId(), archiveId)) {
            throw new ArchiveException("database " + name + ": the archive " + options.url() + " holds another database named " + name
                    + " (archive id " + manifest.get().idHex() + ", this database's is " + java.util.HexFormat.of().formatHex(archiveId)
                    + "): archive to another URL, or restore that one with chronolog archive restore");
        }
        ArchiveShipper.Head found = ArchiveShipper.findHead(name, objects);
        if (found.position() > 0) {
            if (found.position() > log.lastPosition()) {
                throw fence(new ArchiveException("the archive holds frames up to " + found.position() + ", beyond this log's last frame "
                        + log.lastPosition()));
            }
            if (found.position() >= log.firstPosition()) {
                Frame mine = log.read(found.position());
                if (!mine.hash().equals(found.hash())) {
                    throw fence(new ArchiveException("the archive's frame " + found.position() + " differs from this log's"));
                }
            }
        }
        ArchiveLease mine = null;
        List<String> writers = objects.list(ArchiveLayout.WRITERS);
        long next = writers.stream().map(ArchiveLayout::writer).flatMap(java.util.Optional::stream).mapToLong(Long::longValue).max()
                .orElse(0) + 1;
        for (int attempt = 0; attempt < 20 && mine == null; attempt++, next++) {
            ArchiveLease l = ArchiveLease.forThisProcess(ArchiveLease.Kind.WRITER, next, found.position() + 1, millis.getAsLong(), 0);
            if (objects.createIfAbsent(ArchiveLayout.writerKey(next), l.encode())) {
                mine = l;
            }
        }
        lease = mine;
        writer = mine == null ? "" : mine.describe();
        Set<Long> cps = new HashSet<>();
        long count = 0;
        long bytes = 0;
        for (ObjectStore.Listed listed : objects.listSized("")) {
            String k = listed.key();
            count++;
            bytes += Math.max(0, listed.size());
            ArchiveLayout.checkpoint(k).ifPresent(c -> cps.add(c.number()));
            ArchiveLayout.backupInfo(k).ifPresent(archivedBackups::add);
        }
        archivedCheckpoints.addAll(cps);
        objectCount = count;
        bytesStored = bytes;
        shipper = new ArchiveShipper(name, objects, log, SEGMENT_FRAMES, options.lagBytes(), found);
        head = found;
        initialized = true;
    }
}
