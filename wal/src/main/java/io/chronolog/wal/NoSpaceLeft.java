package io.chronolog.wal;

import java.io.IOException;
import java.nio.file.FileSystemException;

/**
 * Recognises the file system's "no space left on device" (ENOSPC) in an I/O failure.
 *
 * <p>The JDK gives ENOSPC neither an exception type nor an errno: a write through a
 * {@code FileChannel} or a stream throws a plain {@link IOException} whose message is the C
 * library's text for the error, and a {@code Files} operation a {@link FileSystemException} whose
 * {@linkplain FileSystemException#getReason() reason} is that text. That text is the only signal,
 * so this is the one place that reads it; every other full disk is recognised by type (a
 * {@link LogFullException}) or by result code (SQLite's {@code SQLITE_FULL}). The text is the C
 * library's English one, {@value #TEXT}; where the C library translates its messages into the
 * process's locale, an ENOSPC from the JDK is not recognised. Stateless and thread-safe.
 */
public final class NoSpaceLeft {
    /** The C library's text for ENOSPC ({@code strerror(ENOSPC)}), as the JDK puts it into an {@link IOException}. */
    static final String TEXT = "No space left on device";

    private NoSpaceLeft() {
    }

    /**
     * Whether {@code failure} itself (not its causes) is the JDK's report of ENOSPC: a
     * {@link FileSystemException} with that reason, or another {@link IOException} whose message
     * says it.
     */
    public static boolean is(Throwable failure) {
        if (failure instanceof FileSystemException fs) {
            return fs.getReason() != null && fs.getReason().contains(TEXT);
        }
        return failure instanceof IOException && failure.getMessage() != null && failure.getMessage().contains(TEXT);
    }

    /** Whether {@code failure} or one of its causes {@linkplain #is is} the JDK's report of ENOSPC. */
    public static boolean inCauses(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (is(t)) {
                return true;
            }
        }
        return false;
    }
}
