package io.chronolog.wal;

/**
 * What {@link FrameLog#open} found when it scanned and verified the log.
 *
 * <p>It puts nothing on disk. Immutable and thread-safe. Invariant: {@code frames} is the number
 * of verified frames and {@code lastPosition} the position of the last of them (0 when empty).
 *
 * @param frames               frames that decoded and chained
 * @param lastPosition         position of the last whole frame, 0 if none
 * @param discardedTailEntries invalid entries after the last whole frame (a torn or garbled
 *                             tail) that were cut back in this open; they stay in the file and
 *                             are skipped by readers
 * @param untrustedFrames      of those, whole frames after the last position a sync made durable
 *                             before a sync failed ({@code wal/log.state} version 2): never
 *                             acknowledged, cut back as a torn tail is
 * @param detail               one human-readable sentence about what was found
 */
public record RecoveryReport(long frames, long lastPosition, long discardedTailEntries, long untrustedFrames, String detail) {
    /** Validates the fields. */
    public RecoveryReport {
        if (frames < 0 || lastPosition < 0 || discardedTailEntries < 0 || untrustedFrames < 0
                || untrustedFrames > discardedTailEntries) {
            throw new IllegalArgumentException("recovery counts must be >= 0, untrusted frames <= discarded entries");
        }
        detail = detail == null ? "" : detail;
    }

    /** A report with no untrusted frames. */
    public RecoveryReport(long frames, long lastPosition, long discardedTailEntries, String detail) {
        this(frames, lastPosition, discardedTailEntries, 0, detail);
    }
}
