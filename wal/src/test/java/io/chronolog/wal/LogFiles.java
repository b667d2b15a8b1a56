package io.chronolog.wal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/** Test helpers that find and damage frames inside cycle files. */
final class LogFiles {
    static final long DAY = 86_400_000L;
    static final long T0 = 1_790_000_000_000L;  // 2026-09-21

    private LogFiles() {
    }

    /** A settable time source. */
    static final class FakeTime implements LongSupplier {
        final AtomicLong now;

        FakeTime(long start) {
            now = new AtomicLong(start);
        }

        @Override
        public long getAsLong() {
            return now.get();
        }

        void set(long t) {
            now.set(t);
        }
    }

    static LogOptions options(LongSupplier time) {
        return new LogOptions(time, 1 << 20);
    }

    static List<Path> cycleFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
    }

    /** Finds the encoded frame in the cycle files: returns {file, offset} or throws. */
    static Located locate(Path dir, Frame f) throws IOException {
        byte[] needle = FrameCodec.encode(f);
        for (Path p : cycleFiles(dir)) {
            byte[] hay = Files.readAllBytes(p);
            int at = indexOf(hay, needle);
            if (at >= 0) {
                return new Located(p, at, needle.length);
            }
        }
        throw new AssertionError("frame " + f.position() + " not found on disk");
    }

    record Located(Path file, long offset, int length) {
        /** XORs one byte at {@code rel} bytes into the frame. */
        void flip(int rel, int mask) throws IOException {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(offset + rel);
                int b = raf.read();
                raf.seek(offset + rel);
                raf.write(b ^ mask);
            }
        }

        void zeroFrom(int rel) throws IOException {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(offset + rel);
                raf.write(new byte[length - rel]);
            }
        }

        void truncateAt(int rel) throws IOException {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(offset + rel);
            }
        }

        /** Chronicle's 4-byte length header sits just before the frame. */
        void writeHeader(int value) throws IOException {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(offset - 4);
                raf.write(new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)});
            }
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
