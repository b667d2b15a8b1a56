package io.chronolog.engine;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One injected fault: a file of a database directory (relative to it) and what is done to it at
 * which byte. {@code offset} is the flipped byte, the first zeroed byte or the new length;
 * {@code length} the zeroed bytes; {@code bit} the flipped bit. Immutable.
 */
record Damage(String kind, Fault fault, Path file, long offset, int length, int bit) {

    /** What is done to the file. */
    enum Fault {
        FLIP_BIT, ZERO_RANGE, TRUNCATE, DELETE
    }

    void applyTo(Path db) throws IOException {
        Path f = db.resolve(file.toString());
        switch (fault) {
            case DELETE -> Files.delete(f);
            case TRUNCATE -> {
                try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                    raf.setLength(offset);
                }
            }
            case FLIP_BIT -> {
                try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                    raf.seek(offset);
                    int b = raf.read();
                    raf.seek(offset);
                    raf.write(b ^ (1 << bit));
                }
            }
            case ZERO_RANGE -> {
                try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                    raf.seek(offset);
                    raf.write(new byte[length]);
                }
            }
        }
    }

    @Override
    public String toString() {
        return switch (fault) {
            case DELETE -> kind + ": delete " + file;
            case TRUNCATE -> kind + ": truncate " + file + " to " + offset + " bytes";
            case FLIP_BIT -> kind + ": flip bit " + bit + " of byte " + offset + " of " + file;
            case ZERO_RANGE -> kind + ": zero bytes [" + offset + ", " + (offset + length) + ") of " + file;
        };
    }
}
