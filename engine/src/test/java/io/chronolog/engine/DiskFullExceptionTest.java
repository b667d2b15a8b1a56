package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.wal.LogFullException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

class DiskFullExceptionTest {

    @Test
    void aFullDiskIsRecognisedByItsCause() {
        assertTrue(DiskFullException.isDiskFull(new SQLiteException("[SQLITE_FULL] database or disk is full", SQLiteErrorCode.SQLITE_FULL)));
        assertTrue(DiskFullException.isDiskFull(new LogFullException("disk full", null)));
        assertTrue(DiskFullException.isDiskFull(new DiskFullException("full", null)));
        assertTrue(DiskFullException.isDiskFull(new IOException("No space left on device")));
        assertTrue(DiskFullException.isDiskFull(new FileSystemException("/a", "/b", "No space left on device")));
        assertTrue(DiskFullException.isDiskFull(new ChronologException("checkpoint failed",
                new SQLException("wrapped", new SQLiteException("[SQLITE_FULL]", SQLiteErrorCode.SQLITE_FULL)))));
        assertTrue(DiskFullException.isDiskFull(new RuntimeException(new UncheckedIOException(new IOException("No space left on device")))));
    }

    @Test
    void otherFailuresAreNotAFullDisk() {
        assertFalse(DiskFullException.isDiskFull(null));
        assertFalse(DiskFullException.isDiskFull(new SQLiteException("[SQLITE_IOERR] disk I/O error", SQLiteErrorCode.SQLITE_IOERR)));
        assertFalse(DiskFullException.isDiskFull(new IOException("Input/output error")));
        assertFalse(DiskFullException.isDiskFull(new SQLException("no such table: full")));
    }

    @Test
    void ofChoosesTheType() {
        assertInstanceOf(DiskFullException.class, DiskFullException.of("m", new IOException("No space left on device")));
        ChronologException other = DiskFullException.of("m", new IOException("Input/output error"));
        assertFalse(other instanceof DiskFullException);
    }
}
