package io.chronolog.engine;


import io.chronolog.wal.LogFullException;
import io.chronolog.wal.NoSpaceLeft;
import java.util.Optional;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

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

    /**
     * Whether {@code failure} or one of its causes is a full disk, recognised by what it is, not by
     * its message: a {@link DiskFullException}, the log's {@link LogFullException}, SQLite's
     * {@code SQLITE_FULL} result code, or the JDK's report of ENOSPC ({@link NoSpaceLeft}, the one
     * place that has to read a message, as the JDK gives no other signal).
     */
    public static boolean isDiskFull(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DiskFullException || t instanceof LogFullException || NoSpaceLeft.is(t)
                    || t instanceof SQLiteException s && s.getResultCode() == SQLiteErrorCode.SQLITE_FULL) {
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
