package io.chronolog.engine;

/**
 * What an acknowledged write survives.
 *
 * <ul>
 *   <li>{@link #SYNC} (default): the write's frame has been forced to stable storage (an
 *       {@code fsync}/{@code msync(MS_SYNC)} of the log file that returned) before the caller is
 *       acknowledged. It survives a killed process, a kernel panic and a power cut, provided the
 *       disk honours flushes. Concurrent writers share one sync (group commit).
 *   <li>{@link #ASYNC}: the frame is in the operating system's page cache when the caller is
 *       acknowledged. It survives a killed process (SIGKILL, an OOM kill, a JVM crash), not a power
 *       cut or kernel panic: the last writes before one may be lost, never reordered, and the
 *       database reopens at a consistent earlier frame.
 * </ul>
 */
public enum Durability {
    SYNC,
    ASYNC
}
