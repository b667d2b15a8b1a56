package io.chronolog.engine;

import io.chronolog.engine.internal.live.LiveDatabase;
import io.chronolog.engine.internal.live.WalCheckpointer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalCheckpointerTest {
    @TempDir
    Path tmp;

    @Test
    void copiesTheLiveWalBackOffTheWriterThreadAndKeepsEveryRow() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Path dir = tmp.resolve("walcopy");
        int writes = 3 * WalCheckpointer.ASYNC_COMMITS_PER_CHECKPOINT; // the test runs ASYNC
        try (Database db = Database.open(dir, Options.builder().durability(Durability.ASYNC).background(false).meterRegistry(registry).build())) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            for (int i = 0; i < writes; i++) {
                db.execute("INSERT INTO t(v) VALUES (?)", "row " + i);
            }
            Timer copies = registry.get("chronolog.live.wal.checkpoint").timer();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (copies.count() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(copies.count() >= 1, "no WAL copy ran after " + writes + " commits");
            // the writer's own automatic checkpoint is only the fallback
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(LiveDatabase.FILE_NAME));
                    Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*), max(id) FROM t")) {
                rs.next();
                assertEquals(writes, rs.getLong(1));
                assertEquals(writes, rs.getLong(2));
            }
        }
        assertTrue(Files.exists(dir.resolve(LiveDatabase.FILE_NAME)));
        try (Database db = Database.open(dir, Options.builder().background(false).build())) {
            assertEquals(writes, db.query("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        }
    }

    /**
     * Under a steady SYNC writer the live file's WAL starts over again and again instead of growing
     * with every commit: its size stays within a few checkpoints' worth of pages (each commit here
     * writes three pages, about 12 KiB, so the 6,000 commits would leave ~75 MB in a WAL that never
     * restarts), and reads beside the writer see every acknowledged row.
     */
    @Test
    void theLiveWalStaysBoundedUnderASteadySyncWriter() throws Exception {
        Path dir = tmp.resolve("bounded");
        Path wal = dir.resolve(LiveDatabase.FILE_NAME + "-wal");
        int writes = 15 * WalCheckpointer.COMMITS_PER_CHECKPOINT;
        long largest = 0;
        try (Database db = Database.open(dir, Options.builder().durability(Durability.SYNC).background(false).build())) {
            db.execute("CREATE TABLE t(k TEXT PRIMARY KEY, v BLOB)");
            java.util.SplittableRandom random = new java.util.SplittableRandom(11);
            for (int i = 0; i < writes; i++) {
                byte[] v = new byte[200];
                random.nextBytes(v);
                db.execute("INSERT INTO t(k, v) VALUES (?, ?)", "k" + random.nextLong(), v);
                if (i % 100 == 99) {
                    largest = Math.max(largest, Files.size(wal));
                    assertEquals(i + 1, db.query("SELECT count(*) FROM t").get(0).getLong(0));
                }
            }
        }
        long bound = 4L * WalCheckpointer.COMMITS_PER_CHECKPOINT * 3 * 4_200; // four checkpoints' worth of three-page commits
        assertTrue(largest < bound, "the live WAL grew to " + largest + " bytes over " + writes + " commits (bound " + bound + ")");
    }
}
