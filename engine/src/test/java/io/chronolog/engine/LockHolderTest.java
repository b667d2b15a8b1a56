package io.chronolog.engine;

import io.chronolog.engine.internal.directory.LockFile;
import io.chronolog.engine.internal.live.LiveFileGate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One holder per locked file per process: a refused second open in this JVM, or a read-only open
 * closing, must not drop a lock this process holds on {@code LOCK} or {@code READERS}. A child JVM
 * ({@link LockProbe}) is the other process that would otherwise get in.
 */
class LockHolderTest {
    @TempDir
    Path tmp;

    private Process probe;
    private PrintStream toProbe;
    private BufferedReader fromProbe;

    @BeforeEach
    void startProbe() throws Exception {
        probe = ChildJvm.start(LockProbe.class);
        toProbe = new PrintStream(probe.getOutputStream(), true, StandardCharsets.UTF_8);
        fromProbe = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8));
    }

    @AfterEach
    void stopProbe() throws Exception {
        toProbe.close();
        if (!probe.waitFor(30, TimeUnit.SECONDS)) {
            probe.destroyForcibly();
        }
    }

    private String ask(String line) throws Exception {
        toProbe.println(line);
        String answer = fromProbe.readLine();
        assertTrue(answer != null, "the probe JVM died");
        return answer;
    }

    private static Options quiet() {
        return Options.defaults().toBuilder().background(false).build();
    }

    @Test
    void refusedSecondOpenInTheSameJvmKeepsTheWriterLockAgainstOtherProcesses() throws Exception {
        Path dir = tmp.resolve("db");
        try (Database db = Database.open(dir, quiet())) {
            db.execute("CREATE TABLE t(x)");
            DatabaseInUseException e = assertThrows(DatabaseInUseException.class, () -> Database.open(dir, quiet()));
            assertTrue(e.getMessage().contains("already open here"), e.getMessage());
            assertEquals("IN_USE", ask("OPEN " + dir), "another process could open the database for writing");
            assertEquals("HELD", ask(dir.resolve("LOCK").toString()));
            db.execute("INSERT INTO t VALUES (1)");
        }
        assertEquals("OPENED", ask("OPEN " + dir));
    }

    @Test
    void closingOneReadOnlyOpenKeepsAnotherOnesReadersLock() throws Exception {
        Path dir = tmp.resolve("db");
        try (Database db = Database.open(dir, quiet())) {
            db.execute("CREATE TABLE t(x)");
        }
        Path readers = dir.resolve(LiveFileGate.FILE_NAME);
        try (ReadOnlyDatabase a = Database.openReadOnly(dir, quiet())) {
            a.query("SELECT count(*) FROM t");
            try (ReadOnlyDatabase b = Database.openReadOnly(dir, quiet())) {
                b.query("SELECT count(*) FROM t");
            }
            assertEquals("HELD", ask(readers.toString()), "a restore in another process could rename under a reader");
        }
        assertEquals("FREE", ask(readers.toString()));
    }

    /**
     * Seeded: writer opens (some refused), read-only opens that read and close in any order; after
     * every step the other process sees exactly the locks the opens still alive should hold.
     */
    @Test
    void generatedOpenAndCloseSequencesNeverDropALockStillHeld() throws Exception {
        long seed = Long.getLong("chronolog.locks.seed", System.nanoTime());
        System.out.println("LockHolderTest seed " + seed + " (-Dchronolog.locks.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = tmp.resolve("db");
        try (Database db = Database.open(dir, quiet())) {
            db.execute("CREATE TABLE t(x)");
        }
        Path lock = dir.resolve(LockFile.FILE_NAME);
        Path readers = dir.resolve(LiveFileGate.FILE_NAME);
        Database writer = null;
        List<ReadOnlyDatabase> readOnly = new ArrayList<>();
        List<Boolean> reading = new ArrayList<>();
        int steps = 40;
        int refused = 0;
        try {
            for (int step = 0; step < steps; step++) {
                String context = "seed " + seed + " step " + step;
                int op = random.nextInt(6);
                if (op == 0) {
                    if (writer == null) {
                        writer = Database.open(dir, quiet());
                    } else {
                        assertThrows(DatabaseInUseException.class, () -> Database.open(dir, quiet()), context);
                        refused++;
                    }
                } else if (op == 1 && writer != null) {
                    writer.close();
                    writer = null;
                } else if (op == 2 || readOnly.isEmpty()) {
                    readOnly.add(Database.openReadOnly(dir, quiet()));
                    reading.add(false);
                } else if (op == 3) {
                    int i = random.nextInt(readOnly.size());
                    readOnly.get(i).query("SELECT count(*) FROM t");
                    reading.set(i, true);
                } else {
                    int i = random.nextInt(readOnly.size());
                    readOnly.remove(i).close();
                    reading.remove(i);
                }
                assertEquals(writer != null ? "HELD" : "FREE", ask(lock.toString()), context + ": LOCK");
                assertEquals(reading.contains(true) ? "HELD" : "FREE", ask(readers.toString()), context + ": READERS");
            }
        } finally {
            for (ReadOnlyDatabase d : readOnly) {
                d.close();
            }
            if (writer != null) {
                writer.close();
            }
        }
        assertTrue(refused >= 0);
    }
}
