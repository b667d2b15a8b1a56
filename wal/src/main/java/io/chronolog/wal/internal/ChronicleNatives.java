package io.chronolog.wal.internal;

import net.openhft.posix.PosixAPI;
import net.openhft.posix.internal.PosixAPIHolder;

/**
 * Which of Chronicle's native helpers a process loads. As its {@code Jvm} class initialises,
 * Chronicle loads a jnr-ffi binding to libc ahead of any use (running {@code /sbin/ldconfig -p}
 * and extracting a native stub into the temp directory: about a fifth of a second at every start).
 * The log calls none of what that binding offers: it syncs with {@code FileChannel.force}
 * ({@code SyncMode.NONE}, so Chronicle never msyncs), runs no pretoucher and pins no thread.
 *
 * <p>{@link #withoutPosixBinding()} is called by read-only opens, for processes that only look at
 * a log (the command line's reading verbs): it tells Chronicle to use its no-op binding, unless a
 * binding was chosen already. The choice holds for the whole process, which is safe for a writer
 * too for the reasons above, but a writing open leaves it to Chronicle. Puts nothing on disk;
 * thread-safe (idempotent).
 */
public final class ChronicleNatives {
    private ChronicleNatives() {
    }

    /** Chronicle's no-op POSIX binding from now on in this process, when none was loaded yet. */
    public static synchronized void withoutPosixBinding() {
        if (PosixAPIHolder.POSIX_API == null) {
            PosixAPI.useNoOpPosixApi();
        }
    }
}
