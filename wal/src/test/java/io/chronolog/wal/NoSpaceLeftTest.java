package io.chronolog.wal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class NoSpaceLeftTest {

    @Test
    void recognisesTheJdksReportsOfEnospc() {
        assertTrue(NoSpaceLeft.is(new IOException("No space left on device")));
        assertTrue(NoSpaceLeft.is(new FileSystemException("/a", "/b", "No space left on device")));
        assertFalse(NoSpaceLeft.is(new IOException("Permission denied")));
        assertFalse(NoSpaceLeft.is(new AccessDeniedException("/No space left on device")), "a file name is not the reason");
        assertFalse(NoSpaceLeft.is(new IOException((String) null)));
        assertFalse(NoSpaceLeft.is(new RuntimeException("No space left on device")), "only an I/O failure says it");
        assertFalse(NoSpaceLeft.is(null));
    }

    @Test
    void looksThroughTheCauses() {
        IOException enospc = new IOException("No space left on device");
        assertFalse(NoSpaceLeft.is(new UncheckedIOException(enospc)));
        assertTrue(NoSpaceLeft.inCauses(new IllegalStateException("append failed", new UncheckedIOException(enospc))));
        assertFalse(NoSpaceLeft.inCauses(new IllegalStateException("append failed", new IOException("Input/output error"))));
        assertFalse(NoSpaceLeft.inCauses(null));
    }
}
