package io.chronolog.engine.internal.live;

import io.chronolog.engine.internal.directory.LockedFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Who may have a connection open on {@code live.sqlite3}, so that a restore can replace the file by
 * a rename only while nobody else has it open.
 *
 * <p>Invariant: while {@link #tryExclusive} holds, no reader connection of this process (query
 * pool, checkpointer, verify) is open, and no read-only open of another process (or of this JVM)
 * has one either. Readers of this process hold the shared side of an in-process read-write lock
 * from before they open a connection until after they close or pool it. Read-only opens hold, in
 * addition, a shared {@code fcntl} lock on one byte of the file {@code READERS} (a random byte, so
 * that several in one JVM do not overlap) for as long as they have any connection; the writer's
 * exclusive side locks the whole file. A writer that cannot get both at once does not rename: it
 * falls back to copying through SQLite's backup API. {@code READERS} is opened only through
 * {@link LockedFiles}: every gate of this process on one database shares one descriptor, closed when
 * the last gate closes, because closing any descriptor on the file would drop every lock this
 * process holds on it (a reader's byte, or the writer's whole-file lock). Thread-safe.
 */
public final class LiveFileGate implements AutoCloseable {
    public static final String FILE_NAME = "READERS";
    /** How long a read-only open waits for a rename in progress before its query fails. */
    private static final long READER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ReentrantReadWriteLock local = new ReentrantReadWriteLock();
    private final Path file;
    private final boolean readOnlyOpen;
    private LockedFiles.Handle handle;
    private FileLock shared;

    private LiveFileGate(Path file, boolean readOnlyOpen) {
        this.file = file;
        this.readOnlyOpen = readOnlyOpen;
    }

    /** The gate of the process that holds the database for writing; creates {@code READERS} ({@code 0600}). */
    public static LiveFileGate forWriter(Path directory) throws IOException {
        LiveFileGate gate = new LiveFileGate(directory.resolve(FILE_NAME), false);
        gate.handle = LockedFiles.share(gate.file, true);
        return gate;
    }

    /** The gate of a read-only open: it writes nothing; its readers lock {@code READERS} while they exist. */
    public static LiveFileGate forReadOnly(Path directory) {
        return new LiveFileGate(directory.resolve(FILE_NAME), true);
    }

    /**
     * Enters as a reader: after this returns, and until {@link #leaveShared}, no rename of the live
     * file happens. A read-only open waits up to 10 s for a rename in progress.
     *
     * @throws SQLException when a read-only open cannot get its lock in time
     */
    public void enterShared() throws SQLException {
        local.readLock().lock();
        if (!readOnlyOpen) {
            return;
        }
        try {
            lockFileShared();
        } catch (SQLException | RuntimeException e) {
            local.readLock().unlock();
            throw e;
        }
    }

    /** Leaves as a reader; a read-only open keeps its file lock until {@link #close}. */
    public void leaveShared() {
        local.readLock().unlock();
    }

    private synchronized void lockFileShared() throws SQLException {
        if (shared != null) {
            return;
        }
        long deadline = System.nanoTime() + READER_WAIT_NANOS;
        try {
            if (handle == null) {
                if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    return; // written by a version that never renames the live file
                }
                handle = LockedFiles.share(file, false);
            }
            FileChannel channel = handle.channel(false);
            long offset = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
            while (shared == null) {
                try {
                    shared = channel.tryLock(offset, 1, true);
                } catch (OverlappingFileLockException e) {
                    shared = null; // this JVM's writer is renaming the live file
                }
                if (shared == null) {
                    if (System.nanoTime() > deadline) {
                        throw new SQLException("live.sqlite3 is being replaced by a restore for over 10 s (lock on " + file
                                + "); try again");
                    }
                    Thread.onSpinWait();
                    Thread.sleep(1);
                }
            }
        } catch (IOException e) {
            throw new SQLException("cannot lock " + file + " for reading live.sqlite3: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a restore to finish replacing live.sqlite3", e);
        }
    }

    /**
     * Shuts every reader out, waiting up to {@code waitMillis} for readers of this process to
     * leave; false (and nothing held) when they do not, or when another process or open holds
     * {@code READERS}. Release with {@link #releaseExclusive}.
     */
    boolean tryExclusive(long waitMillis) throws IOException {
        try {
            if (!local.writeLock().tryLock(waitMillis, TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        boolean held = false;
        try {
            synchronized (this) {
                if (handle == null) {
                    handle = LockedFiles.share(file, true);
                }
                FileChannel channel = handle.channel(true);
                try {
                    shared = channel.tryLock(0, Long.MAX_VALUE, false);
                } catch (OverlappingFileLockException e) {
                    shared = null; // a read-only open in this JVM holds a byte
                }
                held = shared != null;
            }
            return held;
        } finally {
            if (!held) {
                local.writeLock().unlock();
            }
        }
    }

    /** Lets readers in again after {@link #tryExclusive} returned true. */
    void releaseExclusive() throws IOException {
        try {
            synchronized (this) {
                if (shared != null) {
                    FileLock l = shared;
                    shared = null;
                    l.release();
                }
            }
        } finally {
            local.writeLock().unlock();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (shared != null) {
            shared.release();
            shared = null;
        }
        if (handle != null) {
            handle.close();
            handle = null;
        }
    }
}
