package io.chronolog.snapshot.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The durable write sequence every file in a checkpoint directory goes through: write a temp
 * file, force it, rename it over the target, force the directory.
 *
 * <p>What it puts on disk: {@code <target>.tmp} for the moment of a write, then {@code target}.
 * Stateless and thread-safe; callers serialise writes to the same target. Invariant: after
 * {@link #writeAtomically} returns, {@code target} holds exactly the given bytes and survives a
 * power cut; before, it holds its old content or, if it had none, does not exist.
 */
public final class DurableFiles {

    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private DurableFiles() {
    }

    /** Creates a file {@code 0600} (with CREATE): checkpoints and the catalogue are readable by their owner only. */
    public static final java.nio.file.attribute.FileAttribute<?>[] PRIVATE_FILE =
            java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? new java.nio.file.attribute.FileAttribute<?>[] {java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))}
                    : new java.nio.file.attribute.FileAttribute<?>[0];
    /** Creates a directory {@code 0700}. */
    public static final java.nio.file.attribute.FileAttribute<?>[] PRIVATE_DIRECTORY =
            java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? new java.nio.file.attribute.FileAttribute<?>[] {java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"))}
                    : new java.nio.file.attribute.FileAttribute<?>[0];

    /** The temp file used while writing {@code target}: {@code <target>.tmp}. */
    public static Path tempOf(Path target) {
        return target.resolveSibling(target.getFileName() + CheckpointFormat.TEMP_SUFFIX);
    }

    /**
     * Replaces {@code target} with {@code bytes}: temp file, force, atomic rename, directory force.
     * Tells {@code steps} {@link StepListener#CATALOGUE_TEMP_SYNCED} and
     * {@link StepListener#CATALOGUE_RENAMED}. On an exception the temp file is removed.
     */
    public static void writeAtomically(Path target, byte[] bytes, StepListener steps) throws IOException {
        Path temp = tempOf(target);
        try {
            try (FileChannel ch = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING), PRIVATE_FILE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            steps.reached(StepListener.CATALOGUE_TEMP_SYNCED);
            move(temp, target);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp, e);
            throw e;
        }
        steps.reached(StepListener.CATALOGUE_RENAMED);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Renames {@code from} over {@code to} atomically. */
    public static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Forces a directory's entries (creations, renames, deletions) to disk. A no-op on Windows. */
    public static void syncDirectory(Path dir) throws IOException {
        if (WINDOWS) {
            return; // directories cannot be opened for force there; NTFS journals renames itself
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Deletes {@code file} if it exists; a failure is added to {@code primary} instead of thrown. */
    public static void deleteQuietly(Path file, Throwable primary) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }
}
