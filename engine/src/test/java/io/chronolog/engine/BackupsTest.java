package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.internal.log.Frames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupsTest {
    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));

    Options options() {
        return Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).durability(Durability.ASYNC).build();
    }

    static void fill(Database db, HistoryWorkload w, int n) {
        for (int i = 0; i < n; i++) {
            db.batch(w.next());
        }
    }

    @Test
    void createListDownloadRestoreAndDelete() throws Exception {
        Path dir = tmp.resolve("b");
        HistoryWorkload w = new HistoryWorkload(3);
        try (Database db = Database.open(dir, options())) {
            fill(db, w, 150);
            Map<String, List<String>> atBackup = SqliteFiles.dump(dir.resolve("live.sqlite3"));
            BackupInfo b = db.backups().create();
            assertTrue(b.id().matches("[0-9a-f-]{36}"), b.id());
            assertFalse(b.automatic());
            assertEquals("complete", b.state());
            assertEquals(db.bookmark(), b.bookmark());
            assertEquals(db.tableCount(), b.numTables());
            assertTrue(b.size() > 0);
            assertEquals(List.of(b), db.backups().list());
            fill(db, w, 100);
            Map<String, List<String>> head = SqliteFiles.dump(dir.resolve("live.sqlite3"));

            Path file = tmp.resolve("download.sqlite3");
            db.backups().download(b.id(), file);
            assertEquals(atBackup, SqliteFiles.dump(file));
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); var rs = c.createStatement()
                    .executeQuery("SELECT count(*) FROM sqlite_schema WHERE name LIKE '\\_chronolog%' ESCAPE '\\'")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
            assertEquals("ok", sqlite3(file, "PRAGMA integrity_check;"));
            assertThrows(ChronologException.class, () -> db.backups().download(b.id(), file), "never overwrites");

            RestoreResult r = db.backups().restore(b.id());
            assertEquals(atBackup, SqliteFiles.dump(dir.resolve("live.sqlite3")));
            db.restore(r.previousBookmark());
            assertEquals(head, SqliteFiles.dump(dir.resolve("live.sqlite3")));

            db.backups().delete(b.id());
            assertEquals(List.of(), db.backups().list());
            BackupNotFoundException gone = assertThrows(BackupNotFoundException.class, () -> db.backups().get(b.id()));
            assertTrue(gone.getMessage().startsWith("unknown backup id " + b.id()), gone.getMessage());
        }
    }

    @Test
    void backupsAndRestoresTakenTogetherGetTheirOwnNumbers() throws Exception {
        Path dir = tmp.resolve("race");
        try (Database db = Database.open(dir, options())) {
            fill(db, new HistoryWorkload(5), 200);
            db.checkpoint();
            var target = db.frame(50).bookmark();
            var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                done.add(pool.submit(() -> db.backups().create()));
                done.add(pool.submit(() -> db.restore(target)));
                done.add(pool.submit(() -> db.checkpoint()));
            }
            for (var f : done) {
                f.get();
            }
            pool.shutdown();
            assertEquals(6, db.backups().list().size());
            assertTrue(db.verify().ok(), () -> db.verify().problems().toString());
        }
    }

    @Test
    void malformedAndUnknownIdsAreRefusedBeforeAnyFileIsTouched() throws Exception {
        try (Database db = Database.open(tmp.resolve("ids"), options())) {
            db.execute("CREATE TABLE t(v)");
            db.backups().create();
            var before = db.bookmark();
            for (String bad : new String[] {"", "../x", "/etc/passwd", "..", "3F1C2A9E-8B7D-4C6E-9A1B-2D3E4F5A6B7C",
                    "3f1c2a9e8b7d4c6e9a1b2d3e4f5a6b7c", "3f1c2a9e-8b7d-4c6e-9a1b-2d3e4f5a6b7c/../x", " ", null}) {
                BackupNotFoundException e = assertThrows(BackupNotFoundException.class, () -> db.backups().restore(bad), String.valueOf(bad));
                assertTrue(e.getMessage().startsWith("malformed backup id"), e.getMessage());
                assertThrows(BackupNotFoundException.class, () -> db.backups().delete(bad));
                assertThrows(BackupNotFoundException.class, () -> db.backups().download(bad, tmp.resolve("x.sqlite3")));
            }
            String unknown = UUID.randomUUID().toString();
            BackupNotFoundException e = assertThrows(BackupNotFoundException.class, () -> db.backups().restore(unknown));
            assertTrue(e.getMessage().startsWith("unknown backup id"), e.getMessage());
            assertEquals(before, db.bookmark());
            assertEquals(1, db.backups().list().size());
            assertFalse(Files.exists(tmp.resolve("x.sqlite3")));
        }
    }

    @Test
    void automaticBackupsAreHourlyAndKeptADay() {
        try (Database db = Database.open(tmp.resolve("auto"), options())) {
            db.execute("CREATE TABLE t(v)");
            BackupInfo manual = db.backups().create();
            assertTrue(db.backups().runSchedule().isPresent(), "first automatic backup");
            clock.advance(Duration.ofMinutes(30));
            db.execute("INSERT INTO t VALUES (1)");
            assertTrue(db.backups().runSchedule().isEmpty(), "not due after 30 minutes");
            for (int h = 0; h < 30; h++) {
                clock.advance(Duration.ofHours(1));
                db.execute("INSERT INTO t VALUES (?)", h);
                db.backups().runSchedule();
            }
            List<BackupInfo> all = db.backups().list();
            long automatic = all.stream().filter(BackupInfo::automatic).count();
            assertTrue(automatic >= 23 && automatic <= 25, "automatic backups kept: " + automatic);
            assertTrue(all.stream().filter(BackupInfo::automatic)
                    .allMatch(b -> Duration.between(b.createdAt(), clock.instant()).compareTo(Duration.ofHours(24)) < 0));
            assertTrue(all.contains(manual), "manual backups stay until deleted");
        }
    }

    @Test
    void aManualBackupOutlivesTheRetentionWindow() throws Exception {
        Path dir = tmp.resolve("old");
        HistoryWorkload w = new HistoryWorkload(9);
        try (Database db = Database.open(dir, options())) {
            fill(db, w, 50);
            db.checkpoint();
            Map<String, List<String>> then = SqliteFiles.dump(dir.resolve("live.sqlite3"));
            BackupInfo b = db.backups().create();
            for (int day = 0; day < 40; day++) {
                clock.advance(Duration.ofDays(1));
                fill(db, w, 5);
                db.checkpoint();
            }
            db.prune();
            assertThrows(RetentionException.class, () -> db.restore(b.bookmark()));
            db.backups().restore(b.id());
            assertEquals(then, SqliteFiles.dump(dir.resolve("live.sqlite3")));
            assertTrue(db.verify().ok(), () -> db.verify().problems().toString());
        }
    }

    static String sqlite3(Path file, String sql) throws Exception {
        try {
            Process p = new ProcessBuilder("sqlite3", file.toString(), sql).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return out;
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no sqlite3 shell on this machine: " + e.getMessage());
            return null;
        }
    }
}
