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

    private final LockedFiles.Handle handle;
    private final FileLock lock;

    private LockFile(LockedFiles.Handle handle, FileLock lock) {
        this.handle = handle;
        this.lock = lock;
    }

    public static LockFile acquire(Path directory, String name) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        LockedFiles.Handle handle = LockedFiles.claim(file, true);
        if (handle == null) {
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
