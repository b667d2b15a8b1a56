package io.chronolog.engine;

import java.util.Optional;

/**
 * An operation failed because a disk the database writes to (its log, its live file, its
 * checkpoints, or an export's target) is full. Everything acknowledged before is intact, and the
 * operation succeeds again once space is freed.
 *
 * <p>Invariant: {@link #logged()} is empty when nothing of the failed operation reached the log
 * (it was rolled back and will never apply); it holds the bookmark of the operation's frame when
 * the frame is durable in the log but the live file could not take it yet. Such a frame is
 * applied before the next write or restore once space allows, or when the database is reopened:
 * it is never lost.
 */
public class DiskFullException extends ChronologException {
    private static final long serialVersionUID = 1L;

    private final transient Bookmark logged;

    public DiskFullException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** A failure after the operation's frame, {@code logged}, was made durable in the log. */
    public DiskFullException(String message, Throwable cause, Bookmark logged) {
        super(message, cause);
        this.logged = logged;
    }

    /** The bookmark of the operation's frame when it is in the log and will still be applied; empty when it was not logged. */
    public Optional<Bookmark> logged() {
        return Optional.ofNullable(logged);
    }

    /** Whether {@code failure} or one of its causes says a disk is full (ENOSPC, {@code SQLITE_FULL}, a full log). */
    public static boolean isDiskFull(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.chronolog.wal.LogFullException || t instanceof DiskFullException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("SQLITE_FULL") || m.contains("No space left on device") || m.contains("disk is full"))) {
                return true;
            }
        }
        return false;
    }

    /** A {@link DiskFullException} when {@code cause} is a full disk, otherwise a plain {@link ChronologException}. */
    public static ChronologException of(String message, Throwable cause) {
        return isDiskFull(cause) ? new DiskFullException(message, cause) : new ChronologException(message, cause);
    }
}
