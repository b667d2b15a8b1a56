package io.chronolog.engine;

/**
 * What an acknowledged write survives.
 *
 * <ul>
 *   <li>{@link #SYNC} (default): the write's frame has been forced to stable storage (an
 *       {@code fsync}/{@code msync(MS_SYNC)} of the log file that returned) before the caller is
 *       acknowledged. It survives a killed process, a kernel panic and a power cut, provided the
 *       disk honours flushes. Concurrent writers share one sync (group commit). With an archive
 *       attached, the loss of the machine loses what was not yet archived (at most the archive's
 *       lag bound).
 *   <li>{@link #ASYNC}: the frame is in the operating system's page cache when the caller is
 *       acknowledged. It survives a killed process (SIGKILL, an OOM kill, a JVM crash), not a power
 *       cut or kernel panic: the last writes before one may be lost, never reordered, and the
 *       database reopens at a consistent earlier frame.
 *   <li>{@link #ARCHIVED}: as {@link #SYNC}, and the frame is in the archive (an object the store
 *       acknowledged) before the caller is acknowledged, so the write survives the loss of the
 *       machine. Needs {@link Options#archive()} or an archive enabled on the database. Concurrent
 *       writers share uploads. When the archive does not take the frame within
 *       {@link ArchiveOptions#archivedWait()}, the write fails with an {@link ArchiveException}: it
 *       is then in the local log (and applied) but not acknowledged as archived, and shipping
 *       goes on in the background.
 * </ul>
 */
public enum Durability {
    SYNC,
    ASYNC,
    ARCHIVED;

    /** Whether a write's frame is forced to the local disk before it is acknowledged. */
    public boolean forcesLog() {
        return this != ASYNC;
    }
}
