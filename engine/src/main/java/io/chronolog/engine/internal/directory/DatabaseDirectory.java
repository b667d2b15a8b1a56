package io.chronolog.engine.internal.directory;

import io.chronolog.engine.SymbolicLinkException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The rules a database directory's own entries follow, checked when it is opened: none is a
 * symbolic link, and (for a writing open) the directory and its subdirectories are {@code 0700}
 * and its files {@code 0600}.
 *
 * <p>The engine owns every entry of the directory and of its {@code wal/} and {@code checkpoints/}
 * subdirectories; a link among them is refused ({@link SymbolicLinkException}) rather than
 * followed. The directory itself may be reached through links in its parents, or be a link. A
 * writing open tightens anything looser (logging one line saying what it changed); a read-only
 * open only checks, and writes nothing. Stateless and thread-safe.
 */
public final class DatabaseDirectory {
    /** The live SQLite file: the current state. */
    public static final String LIVE_FILE = "live.sqlite3";
    /** The log's directory (docs/FORMAT.md). */
    public static final String WAL_DIRECTORY = "wal";
    /** The checkpoint store's directory (docs/FORMAT.md). */
    public static final String CHECKPOINT_DIRECTORY = "checkpoints";
    /** The archive this database ships to, when one is enabled ({@code internal.archive.ArchiveSettingsFile}). */
    public static final String ARCHIVE_SETTINGS = "archive.settings";
    private static final System.Logger LOG = System.getLogger(DatabaseDirectory.class.getName());

    private DatabaseDirectory() {
    }

    /** For a writing open, before it takes {@code LOCK}: creates {@code dir} ({@code 0700}) if missing, refuses links in it. */
    public static void prepareForWriting(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PrivateFiles.DIRECTORY_ATTRIBUTE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
            }
        }
        refuseLinks(dir);
    }

    /**
     * For a writing open holding {@code LOCK}: makes the directory and everything in it private,
     * and creates an empty {@code live.sqlite3} ({@code 0600}) if it is missing, so SQLite's
     * {@code -wal} and {@code -shm}, which copy its mode, are private too.
     */
    public static void makePrivate(Path dir, String name) throws IOException {
        tighten(dir, name);
        Path live = dir.resolve(LIVE_FILE);
        if (!Files.exists(live, LinkOption.NOFOLLOW_LINKS)) {
            PrivateFiles.createFile(live);
        }
    }

    /** Refuses a symbolic link among the engine's entries (the directory's, {@code wal/}'s, {@code checkpoints/}'s). */
    public static void refuseLinks(Path dir) throws IOException {
        for (Path p : entries(dir)) {
            if (Files.isSymbolicLink(p)) {
                throw new SymbolicLinkException(p);
            }
        }
    }

    /** Every entry the engine owns: the directory's, and those of {@code wal/} and {@code checkpoints/}. */
    private static List<Path> entries(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> top = Files.list(dir)) {
            top.forEach(out::add);
        }
        for (String sub : new String[] {WAL_DIRECTORY, CHECKPOINT_DIRECTORY}) {
            Path d = dir.resolve(sub);
            if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> inner = Files.list(d)) {
                    inner.forEach(out::add);
                }
            }
        }
        return out;
    }

    /**
     * Sets the directory to {@code 0700} and every entry to {@code 0600} (subdirectories
     * {@code 0700}), logging one line when anything was looser. Returns how many it changed.
     */
    static int tighten(Path dir, String name) throws IOException {
        if (!PrivateFiles.POSIX) {
            return 0;
        }
        String before = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS));
        int changed = 0;
        boolean dirChanged = PrivateFiles.restrict(dir.toRealPath(), PrivateFiles.DIRECTORY);
        for (Path p : entries(dir)) {
            if (PrivateFiles.restrict(p, PrivateFiles.wantedFor(p))) {
                changed++;
            }
        }
        if (dirChanged || changed > 0) {
            LOG.log(System.Logger.Level.WARNING, "database " + name + ": " + dir + " was " + before + (changed > 0 ? " with "
                    + changed + " entries readable or writable by others" : "") + "; set to rwx------ (files rw-------)");
        }
        return (dirChanged ? 1 : 0) + changed;
    }
}
