package io.chronolog.engine.internal.directory;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The permissions of what Chronolog creates: directories {@code 0700}, files {@code 0600}, as
 * PostgreSQL keeps its data directory, whatever the process's umask. The log holds every statement
 * and its parameters in plain text, so nothing of a database is readable by other users.
 *
 * <p>Stateless and thread-safe. On a file system without POSIX permissions every method is a no-op
 * and the attributes are empty.
 */
public final class PrivateFiles {
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    /** Attributes that create a file {@code 0600}: pass to {@code FileChannel.open} or {@code Files.createFile}. */
    public static final FileAttribute<?>[] FILE_ATTRIBUTE =
            POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    /** Attributes that create a directory {@code 0700}. */
    public static final FileAttribute<?>[] DIRECTORY_ATTRIBUTE =
            POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY)} : new FileAttribute<?>[0];

    private PrivateFiles() {
    }

    /** Creates {@code file} empty with {@code 0600}; fails if anything is there. */
    public static void createFile(Path file) throws IOException {
        Files.createFile(file, FILE_ATTRIBUTE);
        restrict(file, FILE); // the attribute is filtered through the umask; a umask never adds bits, but be exact
    }

    /**
     * Sets {@code path} (not following a link) to {@code wanted} if it grants anything more or
     * differs; returns whether it changed.
     */
    static boolean restrict(Path path, Set<PosixFilePermission> wanted) throws IOException {
        if (!POSIX || Files.isSymbolicLink(path)) {
            return false;
        }
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        if (now.equals(wanted)) {
            return false;
        }
        Files.setPosixFilePermissions(path, wanted);
        return true;
    }

    /** {@code 0700} for a directory, {@code 0600} for anything else. */
    static Set<PosixFilePermission> wantedFor(Path path) {
        return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? DIRECTORY : FILE;
    }
}
