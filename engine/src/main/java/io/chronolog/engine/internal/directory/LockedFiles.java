package io.chronolog.engine.internal.directory;

import io.chronolog.engine.SymbolicLinkException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The one holder, per process, of each file Chronolog locks with {@code fcntl} ({@code LOCK} and
 * {@code READERS}).
 *
 * <p>POSIX drops every lock a process holds on a file as soon as the process closes <em>any</em>
 * descriptor on that file, and a {@link FileChannel} lock is such a lock. So the engine opens each of
 * these files through this registry only: one entry per file, keyed by the real path of its
 * directory plus its name, holding the channels opened on it (one for reading, one for writing when
 * needed) and a count of users. Channels are closed only when the last user leaves, when no lock of
 * this process is on the file any more. {@link #claim} gives a file to one user only and refuses a
 * second one without opening anything. Files are opened without following a symbolic link and
 * created {@code 0600}. Writes nothing but the files themselves. Thread-safe: all state is guarded
 * by the class's lock. Invariant: while an entry exists, no code of this process opens or closes
 * another descriptor on its file.
 */
public final class LockedFiles {
    private static final Map<Path, Entry> OPEN = new HashMap<>();

    private LockedFiles() {
    }

    /** The channels this process has on one file, and how many users share them. */
    private static final class Entry {
        final Path key;
        final boolean claimed;
        FileChannel read;
        FileChannel write;
        int users;

        Entry(Path key, boolean claimed) {
            this.key = key;
            this.claimed = claimed;
        }
    }

    /** A user's share of one registered file. Close it once; the last close closes the channels. */
    public static final class Handle implements AutoCloseable {
        private final Entry entry;
        private final Path file;
        private boolean closed;

        private Handle(Entry entry, Path file) {
            this.entry = entry;
            this.file = file;
        }

        /** The file as the caller named it. */
        Path file() {
            return file;
        }

        /** A channel on the file: one open for writing if {@code writable}, else any of the entry's. */
        public FileChannel channel(boolean writable) throws IOException {
            synchronized (LockedFiles.class) {
                if (closed) {
                    throw new IOException(file + ": handle closed");
                }
                if (entry.write != null) {
                    return entry.write;
                }
                if (!writable && entry.read != null) {
                    return entry.read;
                }
                entry.write = open(file, true, false);
                return entry.write;
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (LockedFiles.class) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--entry.users > 0) {
                    return;
                }
                OPEN.remove(entry.key);
                IOException failure = null;
                for (FileChannel c : new FileChannel[] {entry.read, entry.write}) {
                    try {
                        if (c != null) {
                            c.close();
                        }
                    } catch (IOException e) {
                        if (failure == null) {
                            failure = e;
                        } else {
                            failure.addSuppressed(e);
                        }
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            }
        }
    }

    /**
     * Gives {@code file} to one user: null, having opened nothing, when this process already holds
     * it. {@code create} creates a missing file (0600); the channel is open for reading and writing.
     */
    static Handle claim(Path file, boolean create) throws IOException {
        Path key = keyOf(file);
        synchronized (LockedFiles.class) {
            if (OPEN.containsKey(key)) {
                return null;
            }
            Entry e = new Entry(key, true);
            e.write = open(file, true, create);
            e.users = 1;
            OPEN.put(key, e);
            return new Handle(e, file);
        }
    }

    /**
     * Shares {@code file} with every other user of this process: the same channels, closed when
     * the last user closes. {@code writable} opens it for writing (creating it, 0600, when
     * missing); otherwise for reading only, which needs no write permission.
     */
    public static Handle share(Path file, boolean writable) throws IOException {
        Path key = keyOf(file);
        synchronized (LockedFiles.class) {
            Entry e = OPEN.get(key);
            if (e != null && e.claimed) {
                throw new IOException(file + " is claimed by another user in this process");
            }
            if (e == null) {
                Entry fresh = new Entry(key, false);
                if (writable) {
                    fresh.write = open(file, true, true);
                } else {
                    fresh.read = open(file, false, false);
                }
                OPEN.put(key, fresh);
                e = fresh;
            } else if (writable && e.write == null) {
                e.write = open(file, true, true);
            }
            e.users++;
            return new Handle(e, file);
        }
    }

    /** Whether this process holds {@code file} through the registry. */
    static boolean held(Path file) throws IOException {
        Path key = keyOf(file);
        synchronized (LockedFiles.class) {
            return OPEN.containsKey(key);
        }
    }

    private static Path keyOf(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        return dir.toRealPath().resolve(file.getFileName().toString());
    }

    private static FileChannel open(Path file, boolean writable, boolean create) throws IOException {
        Set<OpenOption> opts = new HashSet<>();
        opts.add(LinkOption.NOFOLLOW_LINKS);
        opts.add(StandardOpenOption.READ);
        if (writable) {
            opts.add(StandardOpenOption.WRITE);
        }
        if (create) {
            opts.add(StandardOpenOption.CREATE);
        }
        try {
            return FileChannel.open(file, opts, PrivateFiles.FILE_ATTRIBUTE);
        } catch (FileSystemException e) {
            if (java.nio.file.Files.isSymbolicLink(file)) {
                throw new SymbolicLinkException(file);
            }
            throw e;
        }
    }
}
