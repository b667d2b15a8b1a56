package io.chronolog.engine.internal.live;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Makes a materialised image the live file by renaming it over {@code live.sqlite3}, once nobody
 * has the live file open; the one pass a restore's install costs is the image's own fsync.
 *
 * <p>Protocol (run after the RESTORE frame is durable, which is what commits the restore): force
 * the image (its meta row already names the RESTORE frame, and it has no {@code -wal}); shut
 * every reader out through the {@link LiveFileGate}; close the pooled readers and the write
 * connection, so that SQLite checkpoints {@code live.sqlite3-wal} into the file and deletes it; if
 * a {@code -wal} with content is still there, something else has the file open: undo nothing,
 * reopen and report {@code false} (the caller then copies through the backup API). Otherwise
 * delete {@code -wal} and {@code -shm}, rename the image over {@code live.sqlite3}, force the
 * directory, reopen. A crash before the rename leaves the old, whole live file a frame behind the
 * log; open replays the RESTORE frame. A crash after it leaves the new file, whose meta row names
 * the RESTORE frame. Either way the file is never renamed over while its {@code -wal} is hot, and
 * a {@code -wal} is deleted only when it is empty or SQLite deleted it already. Stateless apart
 * from its test hook; callers serialise it under the writer lock.
 */
public final class LiveFileSwap {
    /** How long a restore waits for queries of this process to give their connections back. */
    static final long READER_WAIT_MILLIS = 5_000;

    /** A point in the protocol, for tests that stop it there as a crash would. */
    public enum Step { IMAGE_FORCED, LIVE_CLOSED, RENAMED }

    /** Told each step; a test hook may throw an {@link Error} there to stop the protocol as a crash would. */
    public interface Hook {
        void reached(Step step);
    }

    private final Path liveFile;
    private final LiveFileGate gate;
    private final ReaderPool readers;
    private volatile Hook hook = step -> { };

    public LiveFileSwap(Path liveFile, LiveFileGate gate, ReaderPool readers) {
        this.liveFile = liveFile;
        this.gate = gate;
        this.readers = readers;
    }

    /** Test seam: {@code h} is told every step. */
    public void hook(Hook h) {
        this.hook = Objects.requireNonNull(h, "hook");
    }

    /**
     * Installs {@code image} as the live file; false, with nothing changed, when the live file
     * could not be had alone (the caller copies instead).
     *
     * @throws IOException  the rename or a sync failed; the live connection is open again on whichever file is in place
     * @throws SQLException closing or reopening a connection failed
     */
    public boolean install(LiveDatabase live, Path image) throws IOException, SQLException {
        if (nonEmpty(sidecar(image, "-wal"))) {
            return false; // the image's last commit is still in its own -wal: a rename would lose it
        }
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        hook.reached(Step.IMAGE_FORCED);
        if (!gate.tryExclusive(READER_WAIT_MILLIS)) {
            return false;
        }
        boolean[] swapped = {false};
        try {
            readers.closeConnections();
            live.reopenAround(() -> {
                Path wal = sidecar(liveFile, "-wal");
                if (nonEmpty(wal)) {
                    return; // another connection kept the file: never rename over a hot -wal
                }
                hook.reached(Step.LIVE_CLOSED);
                Files.deleteIfExists(wal);
                Files.deleteIfExists(sidecar(liveFile, "-shm"));
                Files.move(image, liveFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                swapped[0] = true;
                hook.reached(Step.RENAMED);
                syncDirectory(liveFile.toAbsolutePath().getParent());
            });
        } finally {
            gate.releaseExclusive();
        }
        return swapped[0];
    }

    static Path sidecar(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static boolean nonEmpty(Path file) throws IOException {
        return Files.exists(file) && Files.size(file) > 0;
    }

    public static void syncDirectory(Path directory) throws IOException {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
