package io.chronolog.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The bytes of {@code wal/log.state} (docs/FORMAT.md, "The log state file"): what the log's cycle
 * files cannot show once one of them is gone.
 *
 * <p>{@code firstPosition} is the first frame the log must hold: the first frame when the file was
 * created (1 for a new log), raised by {@link FrameLog#pruneBefore} <em>before</em> it deletes cycle
 * files. A log that starts later than that lost a cycle file; one that starts earlier was left so by
 * a crash-interrupted prune, which is harmless.
 *
 * <p>Version 2 adds {@code trustedEnd}: after a failed sync ({@link FrameLog#sync}) the last position a
 * sync made durable; the frames after it sat in the page cache when the kernel reported a failed
 * writeback, so the next open cuts them back. {@link #NONE} when every frame present is trusted.
 * Version 1 files (no such field) are still read, as "every frame trusted". Written as temp file,
 * fsync, rename, directory fsync. Stateless.
 */
final class LogStateFile {
    static final String FILE_NAME = "log.state";
    static final String DAMAGED_SUFFIX = ".damaged";
    static final int MAGIC = 0x434C4753; // "CLGS"
    static final short VERSION = 2;
    static final short OLDEST_VERSION = 1;
    static final int LENGTH_V1 = 20;
    static final int LENGTH = 28;
    /** {@code trustedEnd} when no failed sync is pending: every frame present is trusted. */
    static final long NONE = -1;

    /**
     * The file's content. Invariants: {@code firstPosition >= 1}; {@code trustedEnd} is {@link #NONE}
     * or {@code >= 0} (0: no frame was ever synced).
     */
    record State(long firstPosition, long trustedEnd) {
        State {
            if (firstPosition < 1) {
                throw new IllegalArgumentException("log state out of range: firstPosition=" + firstPosition);
            }
            if (trustedEnd < NONE) {
                throw new IllegalArgumentException("log state out of range: trustedEnd=" + trustedEnd);
            }
        }

        /** A state with no failed sync pending. */
        State(long firstPosition) {
            this(firstPosition, NONE);
        }

        /** Whether frames after {@link #trustedEnd} must not be trusted. */
        boolean syncFailed() {
            return trustedEnd != NONE;
        }

        State withTrustedEnd(long end) {
            return new State(firstPosition, end);
        }
    }

    /** A log state file that does not verify; carries the file and what failed. */
    static final class DamagedException extends IOException {
        DamagedException(Path file, String problem) {
            super("damaged log state file: " + problem + " (file=" + file + ")");
        }
    }

    private LogStateFile() {
    }

    static byte[] encode(State s) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(s.firstPosition()).putLong(s.trustedEnd());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, LENGTH - 4);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** Version 1 (20 bytes) and version 2 (28 bytes); the length is checked against the version read. */
    static State decode(Path file, byte[] bytes) throws DamagedException {
        if (bytes.length != LENGTH && bytes.length != LENGTH_V1) {
            throw new DamagedException(file, "length expected=" + LENGTH_V1 + " or " + LENGTH + " actual=" + bytes.length);
        }
        int length = bytes.length;
        ByteBuffer b = ByteBuffer.wrap(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length - 4);
        int stored = b.getInt(length - 4);
        if (stored != (int) crc.getValue()) {
            throw new DamagedException(file, String.format("CRC32C expected=%08x actual=%08x", (int) crc.getValue(), stored));
        }
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new DamagedException(file, String.format("magic expected=%08x actual=%08x", MAGIC, magic));
        }
        short version = b.getShort();
        if (version < OLDEST_VERSION || version > VERSION) {
            throw new DamagedException(file, "unsupported version " + version + " (supported " + OLDEST_VERSION + ".." + VERSION + ")");
        }
        int expectedLength = version == 1 ? LENGTH_V1 : LENGTH;
        if (length != expectedLength) {
            throw new DamagedException(file, "length of version " + version + " expected=" + expectedLength + " actual=" + length);
        }
        b.getShort();
        try {
            long first = b.getLong();
            return new State(first, version == 1 ? NONE : b.getLong());
        } catch (IllegalArgumentException e) {
            throw new DamagedException(file, e.getMessage());
        }
    }

    /** The state in {@code dir}, empty when there is no file. */
    static Optional<State> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        try {
            return Optional.of(decode(file, Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Replaces the state durably: temp file, fsync, rename, directory fsync. A failed fsync is thrown
     * after the rename (the new state is then visible, not known durable).
     */
    static void write(Path dir, State s) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        Path temp = dir.resolve(FILE_NAME + ".tmp");
        Files.deleteIfExists(temp);
        IOException forceFailed = null;
        try (FileChannel ch = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer b = ByteBuffer.wrap(encode(s));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            try {
                ch.force(true);
            } catch (IOException e) {
                forceFailed = e;
            }
        }
        // renamed even when the fsync failed: the file is then visible to every open until the
        // machine restarts, which is what a failed sync's record needs (the frames it distrusts
        // live in the same page cache); the failure is still thrown
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            if (forceFailed == null) {
                forceFailed = e;
            } else {
                forceFailed.addSuppressed(e);
            }
        }
        if (forceFailed != null) {
            throw forceFailed;
        }
    }

    /** Keeps a damaged file aside as {@code log.state.damaged} (diagnostics only). */
    static void keepAside(Path dir) throws IOException {
        Files.move(dir.resolve(FILE_NAME), dir.resolve(FILE_NAME + DAMAGED_SUFFIX), StandardCopyOption.REPLACE_EXISTING);
    }
}
