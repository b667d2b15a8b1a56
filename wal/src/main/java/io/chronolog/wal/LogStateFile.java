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
 * a crash-interrupted prune, which is harmless. Written as temp file, fsync, rename, directory
 * fsync. Stateless.
 */
final class LogStateFile {
    static final String FILE_NAME = "log.state";
    static final String DAMAGED_SUFFIX = ".damaged";
    static final int MAGIC = 0x434C4753; // "CLGS"
    static final short VERSION = 1;
    static final int LENGTH = 20;

    /** The file's content. Invariant: {@code firstPosition >= 1}. */
    record State(long firstPosition) {
        State {
            if (firstPosition < 1) {
                throw new IllegalArgumentException("log state out of range: firstPosition=" + firstPosition);
            }
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
        b.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(s.firstPosition());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, LENGTH - 4);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    static State decode(Path file, byte[] bytes) throws DamagedException {
        if (bytes.length != LENGTH) {
            throw new DamagedException(file, "length expected=" + LENGTH + " actual=" + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, LENGTH - 4);
        int stored = b.getInt(LENGTH - 4);
        if (stored != (int) crc.getValue()) {
            throw new DamagedException(file, String.format("CRC32C expected=%08x actual=%08x", (int) crc.getValue(), stored));
        }
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new DamagedException(file, String.format("magic expected=%08x actual=%08x", MAGIC, magic));
        }
        short version = b.getShort();
        if (version != VERSION) {
            throw new DamagedException(file, "version expected=" + VERSION + " actual=" + version);
        }
        b.getShort();
        try {
            return new State(b.getLong());
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

    /** Replaces the state durably: temp file, fsync, rename, directory fsync. */
    static void write(Path dir, State s) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        Path temp = dir.resolve(FILE_NAME + ".tmp");
        Files.deleteIfExists(temp);
        try (FileChannel ch = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer b = ByteBuffer.wrap(encode(s));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Keeps a damaged file aside as {@code log.state.damaged} (diagnostics only). */
    static void keepAside(Path dir) throws IOException {
        Files.move(dir.resolve(FILE_NAME), dir.resolve(FILE_NAME + DAMAGED_SUFFIX), StandardCopyOption.REPLACE_EXISTING);
    }
}
