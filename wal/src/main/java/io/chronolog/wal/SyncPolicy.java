package io.chronolog.wal;

/**
 * When an appended frame is made durable: before the caller is acknowledged ({@link #SYNC}) or
 * later, by a periodic or group {@link FrameLog#sync()} ({@link #ASYNC}).
 *
 * <p>It puts nothing on disk itself: the log never syncs on its own except in
 * {@link FrameLog#sync()} and {@link FrameLog#close()}; the caller applies the policy. Enum
 * constants are immutable and thread-safe.
 */
public enum SyncPolicy {
    /** Call {@link FrameLog#sync()} before acknowledging a write: survives power loss. */
    SYNC,
    /** Acknowledge after the append; the frame survives a process crash but not a power cut until the next sync. */
    ASYNC
}
