package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Durability#ARCHIVED}: a write is acknowledged only once the archive holds it, so the
 * archive copied at any moment (the machine lost then) restores every acknowledged write; an
 * archive that does not take the frame fails the write after the bounded wait while SYNC writes go
 * on, and shipping catches up by itself; a configuration the archive cannot use never stops the
 * database from opening.
 */
class ArchivedDurabilityTest {

    private static ArchiveOptions fileArchive(Path dir, Duration wait) throws Exception {
        return ArchiveOptions.builder(Files.createDirectories(dir).toUri().toString()).archivedWait(wait).build();
    }

    @Test
    void everyAcknowledgedWriteIsInTheArchiveWhenItIsAcknowledged(@TempDir Path tmp) throws Exception {
        Path archiveDir = tmp.resolve("archive");
        ArchiveOptions archive = fileArchive(archiveDir, Duration.ofSeconds(30));
        Set<Integer> acknowledged = new ConcurrentSkipListSet<>();
        Path lost = tmp.resolve("lost");
        try (Database db = Database.open(tmp.resolve("data").resolve("app"),
                Options.builder().durability(Durability.ARCHIVED).archive(archive).background(false).build())) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY)");
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int base = w * 1000;
                Thread t = new Thread(() -> {
                    for (int i = 0; i < 40; i++) {
                        db.execute("INSERT INTO t VALUES (?)", base + i);
                        acknowledged.add(base + i);
                    }
                });
                t.start();
                threads.add(t);
            }
            Thread.sleep(150);
            // the machine is lost now: what the archive holds at this moment is all that survives
            Set<Integer> ackedBefore = new TreeSet<>(acknowledged);
            ArchiveFixture.copyTree(archiveDir, lost);
            for (Thread t : threads) {
                t.join();
            }
            Set<Integer> restored = rows(restoreFrom(lost, tmp.resolve("r1")));
            assertTrue(restored.containsAll(ackedBefore), "acknowledged before the loss but not archived: "
                    + difference(ackedBefore, restored));
            assertEquals(acknowledged, rows(restoreFrom(archiveDir, tmp.resolve("r2"))), "every acknowledged write, once all are done");
            assertTrue(db.archiveRequests().get("create") < 321, "concurrent writers share uploads: " + db.archiveRequests());
        }
    }

    @Test
    void anArchiveThatDoesNotTakeTheFrameFailsArchivedWritesOnlyAndShippingCatchesUp(@TempDir Path tmp) throws Exception {
        Path archiveDir = tmp.resolve("archive");
        ArchiveOptions archive = fileArchive(archiveDir, Duration.ofMillis(300));
        Path dir = tmp.resolve("data").resolve("app");
        try (Database db = Database.open(dir, Options.builder().archive(archive).background(false).build())) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY)");
            db.archiveSync(Duration.ofSeconds(10));
            breakSegments(archiveDir);
            try {
                for (int i = 0; i < 20; i++) {
                    db.execute("INSERT INTO t VALUES (?)", i); // SYNC writes go on
                }
                ArchiveException failed = assertThrows(ArchiveException.class, () -> db.archiveSync(Duration.ofSeconds(10)));
                assertTrue(failed.getMessage().contains("did not take"), failed.getMessage());
                ArchiveStatus behind = db.archiveStatus();
                assertEquals(20, behind.lagFrames(), behind.toString());
                assertNotNull(behind.lastError(), behind.toString());
            } finally {
                repairSegments(archiveDir);
            }
            ArchiveStatus caughtUp = db.archiveSync(Duration.ofSeconds(60));
            assertEquals(0, caughtUp.lagFrames(), caughtUp.toString());
        }
        try (Database db = Database.open(dir, Options.builder().durability(Durability.ARCHIVED).background(false).build())) {
            breakSegments(archiveDir);
            try {
                long started = System.nanoTime();
                ArchiveException e = assertThrows(ArchiveException.class, () -> db.execute("INSERT INTO t VALUES (100)"));
                assertTrue(e.getMessage().contains("not archived within 300 ms"), e.getMessage());
                assertTrue(System.nanoTime() - started < Duration.ofSeconds(20).toNanos());
            } finally {
                repairSegments(archiveDir);
            }
            db.archiveSync(Duration.ofSeconds(60));
        }
        assertEquals(21, rows(restoreFrom(archiveDir, tmp.resolve("r"))).size(), "the write that timed out was logged and shipped later");
    }

    @Test
    void archivedWithoutAnArchiveIsRefusedAtOpen(@TempDir Path tmp) {
        ChronologException e = assertThrows(ChronologException.class, () -> Database.open(tmp.resolve("app"),
                Options.builder().durability(Durability.ARCHIVED).build()));
        assertTrue(e.getMessage().contains("durability ARCHIVED needs an archive"), e.getMessage());
    }

    @Test
    void anUnusableArchiveNeverStopsTheDatabaseFromOpening(@TempDir Path tmp) throws Exception {
        ArchiveOptions archive = ArchiveOptions.builder(tmp.resolve("archive").toUri().toString())
                .keyFile(tmp.resolve("no-such-key-file")).build();
        try (Database db = Database.open(tmp.resolve("app"), Options.builder().archive(archive).background(false).build())) {
            db.execute("CREATE TABLE t(x)");
            ArchiveStatus s = db.archiveStatus();
            assertNotNull(s.lastError());
            assertTrue(s.lastError().contains("no-such-key-file"), s.lastError());
        }
    }

    /** The archive stops taking segments (its directory becomes a file: refused even for root). */
    private static void breakSegments(Path archiveDir) throws Exception {
        Path segments = archiveDir.resolve("app").resolve("segments");
        Files.move(segments, archiveDir.resolve("segments.aside"));
        Files.writeString(segments, "not a directory");
    }

    private static void repairSegments(Path archiveDir) throws Exception {
        Path segments = archiveDir.resolve("app").resolve("segments");
        Files.delete(segments);
        Files.move(archiveDir.resolve("segments.aside"), segments);
    }

    private static Path restoreFrom(Path archiveDir, Path data) throws Exception {
        ArchiveOptions location = ArchiveOptions.of(archiveDir.toUri().toString());
        Archives.restore(location, "app", Archives.Target.newest(), data, "copy", false, Options.builder().background(false).build(), null);
        Path out = data.resolve("copy.sqlite3");
        try (ReadOnlyDatabase db = Database.openReadOnly(data.resolve("copy"), Options.defaults())) {
            db.exportTo(db.bookmark(), out);
        }
        return out;
    }

    private static Set<Integer> rows(Path file) throws Exception {
        Set<Integer> out = new TreeSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); ResultSet rs = c.createStatement().executeQuery("SELECT id FROM t")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    private static Set<Integer> difference(Set<Integer> a, Set<Integer> b) {
        Set<Integer> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}
