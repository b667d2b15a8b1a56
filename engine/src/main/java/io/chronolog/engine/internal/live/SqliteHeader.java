package io.chronolog.engine.internal.live;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * The one edit Chronolog makes to SQLite's file header by hand: bytes 18 and 19 (the file format
 * write and read versions; 1 = rollback journal, 2 = WAL, sqlite.org/fileformat.html). A
 * checkpoint image is stored as the live file was, in WAL mode; marking it a rollback-journal file
 * lets it open alone, without a {@code -wal} beside it. Stateless.
 */
public final class SqliteHeader {
    private static final int FORMAT_VERSIONS_OFFSET = 18;
    private static final int HEADER_BYTES = 100;

    private SqliteHeader() {
    }

    /** Marks the SQLite file {@code file} as a rollback-journal file; a file shorter than a header is left alone. */
    public static void markRollbackJournal(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            if (f.length() >= HEADER_BYTES) {
                f.seek(FORMAT_VERSIONS_OFFSET);
                f.write(new byte[] {1, 1});
            }
        }
    }
}
