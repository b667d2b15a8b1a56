package io.chronolog.engine.internal.directory;

import io.chronolog.engine.DatabaseInUseException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code LOCK} file that makes one process the database's only writer.
 *
 * <p>On disk: a file ({@code 0600}) holding the decimal process id of the holder and a newline,
 * under an exclusive {@code fcntl} lock for as long as the database is open. The lock, not the text,
 * is the truth: the operating system drops it when the holder dies, so a stale id after a crash is
 * ignored. The file is opened only through {@link LockedFiles}, never through a symbolic link, and
 * a second open in this process is refused by that registry before any descriptor is opened on the
 * file (closing one would drop this process's lock). Thread-safe by confinement: acquired once,
 * released once.
 */
public final class LockFile implements AutoCloseable {
    public static final String FILE_NAME = "LOCK";
    /** How long {@link #acquire} retries a refused lock, which a {@link #probe} may hold for microseconds. */
    static final long PROBE_GRACE_MILLIS = 50;

    private final LockedFiles.Handle handle;
    private final FileLock lock;

    private LockFile(LockedFiles.Handle handle, FileLock lock) {
        this.handle = handle;
        this.lock = lock;
    }

    /**
     * Takes the lock, or throws {@link DatabaseInUseException}. A {@link #probe} holds the file for
     * microseconds, so a refusal is retried for up to {@value #PROBE_GRACE_MILLIS} ms before it is
     * believed: a probe never makes a writer's open fail.
     */
    public static LockFile acquire(Path directory, String name) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        long deadline = System.nanoTime() + PROBE_GRACE_MILLIS * 1_000_000L;
        while (true) {
            LockFile taken = tryAcquire(file, name, System.nanoTime() > deadline);
            if (taken != null) {
                return taken;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DatabaseInUseException("database " + name + ": interrupted while waiting for " + file);
            }
        }
    }

    /** The lock, or null to try again (only before {@code last}); throws when the database is in use. */
    private static LockFile tryAcquire(Path file, String name, boolean last) throws IOException {
        LockedFiles.Handle handle = LockedFiles.claim(file, true);
        if (handle == null) {
            if (!last && !LockedFiles.claimed(file)) {
                return null; // a probe of this process has the file open
            }
            throw new DatabaseInUseException("database " + name + " is in use by process "
                    + ProcessHandle.current().pid() + " (this process: it is already open here)");
        }
        try {
            FileChannel channel = handle.channel(true);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                handle.close(); // this process holds no lock on the file, so closing drops nothing
                if (!last) {
                    return null; // perhaps a probe's shared lock, held for microseconds
                }
                throw new DatabaseInUseException("database " + name + " is in use by process " + holder(file));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
            return new LockFile(handle, lock);
        } catch (IOException | RuntimeException e) {
            try {
                handle.close();
            } catch (IOException second) {
                e.addSuppressed(second);
            }
            throw e;
        }
    }

    /** Whether a writer holds a database's {@code LOCK}, as far as a reader can tell. */
    public enum Writer {
        /** A process (this one, or another) holds the lock: a writer is open or opening. */
        PRESENT,
        /** Nobody held the lock at the moment of the probe (or there is no {@code LOCK}: never opened for writing). */
        ABSENT,
        /** The file cannot be read (another user's database): nothing is known. */
        UNKNOWN
    }

    /**
     * Whether a writer holds {@code directory}'s lock, writing nothing: opens {@code LOCK} for
     * reading (through {@link LockedFiles}, so no lock of this process is dropped), takes a shared
     * lock on the whole file and lets it go at once. A writer opening at that moment waits for it
     * ({@link #acquire} retries), so the probe takes nothing a writer would miss. The answer is
     * already old when returned: a writer may start just after.
     */
    public static Writer probe(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        try {
            if (LockedFiles.claimed(file)) {
                return Writer.PRESENT;
            }
            if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return Writer.ABSENT;
            }
            try (LockedFiles.Handle handle = LockedFiles.share(file, false)) {
                FileLock shared;
                try {
                    shared = handle.channel(false).tryLock(0, Long.MAX_VALUE, true);
                } catch (OverlappingFileLockException e) {
                    return Writer.PRESENT; // this process holds it (its writer, or another probe at this instant)
                }
                if (shared == null) {
                    return Writer.PRESENT;
                }
                shared.release();
                return Writer.ABSENT;
            }
        } catch (IOException e) {
            return Writer.UNKNOWN; // unreadable, or claimed by this process's writer meanwhile: the reader's checks decide
        }
    }

    /** The process id written by the current holder, or "unknown" when the file does not say. */
    static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return text.matches("[0-9]{1,19}") ? text : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            handle.close();
        }
    }
}
