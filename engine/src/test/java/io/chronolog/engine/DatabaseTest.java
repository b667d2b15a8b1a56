package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path tmp;

    @Test
    void writesReadsAndBookmarksSurviveReopen() throws Exception {
        Path dir = tmp.resolve("app");
        Bookmark b2;
        try (Database db = Database.open(dir)) {
            assertEquals("00000000-00000000-00000000-00000000000000000000000000000000", db.bookmark().toString());
            Result create = db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v, b BLOB)");
            assertEquals(0, create.changes());
            Result insert = db.execute("INSERT INTO t(v, b) VALUES (?, ?)", 42, new byte[] {1, 2, 3});
            assertEquals(1, insert.changes());
            assertEquals(1, insert.lastRowId());
            assertTrue(insert.bookmark().compareTo(create.bookmark()) > 0);
            assertTrue(insert.bookmark().toString().compareTo(create.bookmark().toString()) > 0);
            b2 = insert.bookmark();
            assertEquals(b2, db.bookmark());
            assertEquals(2, db.positionOf(b2));
            Rows rows = db.query("SELECT id, v, b FROM t WHERE v > ?", 1);
            assertEquals(List.of("id", "v", "b"), rows.columns());
            assertEquals(1, rows.size());
            assertEquals(42L, rows.get(0).get("v"));
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) rows.get(0).get(2));
        }
        try (Database db = Database.open(dir)) {
            assertEquals(b2, db.bookmark());
            assertEquals(0, db.framesReplayedAtOpen());
            assertEquals(42L, db.query("SELECT v FROM t").get(0).getLong(0));
            Result more = db.execute("UPDATE t SET v = v + 1");
            assertEquals(1, more.changes());
            assertEquals(3, db.positionOf(more.bookmark()));
        }
    }

    @Test
    void executeReturnsRowsOfReadsWithoutLoggingThem() {
        try (Database db = Database.open(tmp.resolve("reads"))) {
            db.execute("CREATE TABLE t(v)");
            db.execute("INSERT INTO t VALUES (1), (2)");
            Bookmark before = db.bookmark();
            Result r = db.execute("SELECT sum(v) AS s FROM t");
            assertEquals(3L, r.rows().get(0).get("s"));
            assertEquals(0, r.changes());
            assertEquals(before, r.bookmark());
            assertEquals(before, db.bookmark());
            Result ret = db.execute("INSERT INTO t VALUES (5) RETURNING v * 2 AS twice");
            assertEquals(10L, ret.rows().get(0).get("twice"));
            assertTrue(db.bookmark().compareTo(before) > 0);
        }
    }

    @Test
    void batchIsAtomic() {
        try (Database db = Database.open(tmp.resolve("batch"))) {
            db.execute("CREATE TABLE t(v INTEGER NOT NULL)");
            List<Result> ok = db.batch(List.of(Statement.of("INSERT INTO t VALUES (1)"), Statement.of("INSERT INTO t VALUES (2)"),
                    Statement.of("UPDATE t SET v = v * 10")));
            assertEquals(3, ok.size());
            assertEquals(2, ok.get(2).changes());
            assertEquals(ok.get(0).bookmark(), ok.get(2).bookmark());
            Bookmark before = db.bookmark();
            SqlException e = assertThrows(SqlException.class, () -> db.batch(List.of(
                    Statement.of("INSERT INTO t VALUES (3)"), Statement.of("INSERT INTO t VALUES (NULL)"))));
            assertTrue(e.getMessage().contains("statement 2 of the batch failed"), e.getMessage());
            assertTrue(e.getMessage().contains("NOT NULL"), e.getMessage());
            assertEquals("INSERT INTO t VALUES (NULL)", e.statement().sql());
            assertEquals(before, db.bookmark());
            assertEquals(List.of(10L, 20L), db.query("SELECT v FROM t ORDER BY v").asList().stream().map(r -> r.getLong(0)).toList());
        }
    }

    @Test
    void sqlErrorNamesTheStatementAndChangesNothing() {
        try (Database db = Database.open(tmp.resolve("err"))) {
            db.execute("CREATE TABLE t(v)");
            Bookmark before = db.bookmark();
            SqlException e = assertThrows(SqlException.class, () -> db.execute("INSERT INTO nope VALUES (1)"));
            assertTrue(e.getMessage().contains("no such table: nope"), e.getMessage());
            assertTrue(e.getMessage().contains("INSERT INTO nope"), e.getMessage());
            assertEquals(before, db.bookmark());
            SqlException params = assertThrows(SqlException.class, () -> db.execute("INSERT INTO t VALUES (?)"));
            assertTrue(params.getMessage().contains("1 parameter placeholder but 0 values"), params.getMessage());
            assertEquals(before, db.bookmark());
        }
    }

    @Test
    void lastRowIdIsZeroUnlessTheFrameInserted() throws Exception {
        try (Database db = Database.open(tmp.resolve("rowid"))) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v)");
            assertEquals(7, db.execute("INSERT INTO t VALUES (7, 'a')").lastRowId());
            assertEquals(0, db.execute("UPDATE t SET v = 'b'").lastRowId());
        }
        // the same holds on replay: rebuild the live file from the log
        deleteLive(tmp.resolve("rowid"));
        try (Database db = Database.open(tmp.resolve("rowid"))) {
            assertEquals(3, db.framesReplayedAtOpen());
            assertEquals("b", db.query("SELECT v FROM t WHERE id = 7").get(0).get(0));
        }
    }

    @Test
    void aSecondOpenIsRefusedWithTheHoldersProcessId() {
        Path dir = tmp.resolve("locked");
        try (Database db = Database.open(dir)) {
            DatabaseInUseException e = assertThrows(DatabaseInUseException.class, () -> Database.open(dir));
            assertTrue(e.getMessage().contains("database locked is in use by process " + ProcessHandle.current().pid()),
                    e.getMessage());
        }
        try (Database again = Database.open(dir)) {
            assertEquals("locked", again.name());
        }
    }

    @Test
    void badNamesAreRefusedBeforeAnyPathIsCreated() {
        for (String bad : List.of("-x", "a b", "é", "x".repeat(65), "a.b", "_x")) {
            Path dir = tmp.resolve(bad);
            InvalidNameException e = assertThrows(InvalidNameException.class, () -> Database.open(dir));
            assertTrue(e.getMessage().startsWith("bad database name"), e.getMessage());
            assertTrue(!dir.toFile().exists(), "created " + dir);
        }
    }

    @Test
    void closedDatabaseRefusesCalls() {
        Database db = Database.open(tmp.resolve("closed"));
        db.close();
        db.close();
        assertThrows(DatabaseClosedException.class, () -> db.execute("CREATE TABLE t(v)"));
        assertThrows(DatabaseClosedException.class, () -> db.query("SELECT 1"));
    }

    @Test
    void queryIsReadOnly() {
        try (Database db = Database.open(tmp.resolve("ro"))) {
            db.execute("CREATE TABLE t(v)");
            SqlException e = assertThrows(SqlException.class, () -> db.query("INSERT INTO t VALUES (1)"));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            assertEquals(0, db.query("SELECT count(*) FROM t").get(0).getLong(0));
        }
    }

    @Test
    void liveFileIsAPlainSqliteDatabase() throws Exception {
        Path dir = tmp.resolve("plain");
        try (Database db = Database.open(dir)) {
            db.execute("CREATE TABLE t(v TEXT)");
            db.execute("INSERT INTO t VALUES ('hello')");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("live.sqlite3"))) {
            var rs = c.createStatement().executeQuery("SELECT v FROM t");
            rs.next();
            assertEquals("hello", rs.getString(1));
        }
    }

    static void deleteLive(Path dir) throws Exception {
        for (String f : List.of("live.sqlite3", "live.sqlite3-wal", "live.sqlite3-shm")) {
            java.nio.file.Files.deleteIfExists(dir.resolve(f));
        }
    }
}
