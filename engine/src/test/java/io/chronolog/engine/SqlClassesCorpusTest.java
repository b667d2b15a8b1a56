package io.chronolog.engine;

import io.chronolog.engine.internal.sql.StatementRunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated corpora, one per class of SQL that once broke the promise that the log is the truth:
 * writes that cannot commit, writes silently dropped, sandbox escapes, and writes whose replay
 * differs. Each statement runs through the engine and, where it has a meaning outside the engine,
 * through a plain SQLite database (the oracle); the engine must accept exactly what the oracle
 * commits, refuse the rest with a clear error, and after every corpus the database must reopen,
 * rebuild from its log alone and equal the oracle (or, for the clock and random functions, equal
 * what an independent reader saw in the live file when each write was acknowledged). Seeded:
 * {@code -Dchronolog.sqlcorpus.seed=N} repeats a run; {@code -Dchronolog.sqlcorpus.size=N} sets
 * the statements per class.
 */
class SqlClassesCorpusTest {
    private static final long SEED = Long.getLong("chronolog.sqlcorpus.seed", System.nanoTime());
    private static final int SIZE = Integer.getInteger("chronolog.sqlcorpus.size", ReliabilityReport.soak() ? 2000 : 150);
    private static final Map<String, int[]> TALLY = new LinkedHashMap<>(); // tried, refused, exact, wrong

    @TempDir
    Path tmp;

    static {
        System.out.println("SqlClassesCorpusTest seed=" + SEED + " (rerun with -Dchronolog.sqlcorpus.seed=" + SEED + ")");
    }

    @AfterAll
    static void report() {
        StringBuilder sb = new StringBuilder("seed=" + SEED + " statements_per_class=" + SIZE);
        for (Map.Entry<String, int[]> e : TALLY.entrySet()) {
            int[] t = e.getValue();
            sb.append(" | ").append(e.getKey()).append(": tried=").append(t[0]).append(" refused=").append(t[1])
                    .append(" replayed_exactly=").append(t[2]).append(" wrong=").append(t[3]);
        }
        ReliabilityReport.write("sql-classes", sb.toString());
    }

    private static int[] tally(String cls) {
        return TALLY.computeIfAbsent(cls, k -> new int[4]);
    }

    /** Runs a write in a plain SQLite transaction; whether it committed. */
    private static boolean oracleRun(Connection oracle, List<Statement> write) throws SQLException {
        try {
            for (Statement st : write) {
                try (PreparedStatement ps = oracle.prepareStatement(st.sql())) {
                    StatementRunner.bind(ps, st.params());
                    ps.execute();
                }
            }
            oracle.commit();
            return true;
        } catch (SQLException e) {
            oracle.rollback();
            return false;
        }
    }

    private static Connection oracle() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (var s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys = ON");
        }
        c.setAutoCommit(false);
        return c;
    }

    /** Reopens, then deletes the live file and reopens again (a rebuild from the log): both must equal {@code expected}. */
    private static void assertSurvivesRebuild(String cls, Path dir, Map<String, List<String>> expected) throws Exception {
        try (Database db = Database.open(dir)) {
            assertEquals(expected, SqliteFiles.dump(dir.resolve("live.sqlite3")), cls + ": after reopen (seed " + SEED + ")");
            assertTrue(db.verify().ok(), cls + ": verify after reopen (seed " + SEED + ")");
        }
        for (String f : new String[] {"live.sqlite3", "live.sqlite3-wal", "live.sqlite3-shm"}) {
            Files.deleteIfExists(dir.resolve(f));
        }
        try (Database db = Database.open(dir)) {
            assertEquals(expected, SqliteFiles.dump(dir.resolve("live.sqlite3")), cls + ": after rebuild from the log (seed " + SEED + ")");
        }
    }

    /** Class 1: a write COMMIT would refuse (deferred foreign keys, the engine's own tables) is never logged. */
    @Test
    void writesThatCannotCommitAreNeverLogged() throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED);
        Path dir = tmp.resolve("commit");
        int[] t = tally("1 cannot commit");
        List<String> schema = List.of("CREATE TABLE p(id INTEGER PRIMARY KEY)",
                "CREATE TABLE c(id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)",
                "CREATE TABLE d(id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p(id) ON DELETE CASCADE)");
        String[] engineNames = {"'_chronolog_meta'", "\"_chronolog_meta\"", "[_chronolog_meta]", "`_Chronolog_Meta`",
                "main._chronolog_meta", "'main'.'_chronolog_meta'"};
        try (Connection oracle = oracle(); Database db = Database.open(dir)) {
            for (String s : schema) {
                db.execute(s);
                oracleRun(oracle, List.of(Statement.of(s)));
            }
            for (int i = 0; i < SIZE; i++) {
                List<Statement> write = new ArrayList<>();
                int n = 1 + rnd.nextInt(3);
                for (int k = 0; k < n; k++) {
                    int id = rnd.nextInt(30);
                    int pid = rnd.nextInt(30);
                    write.add(switch (rnd.nextInt(8)) {
                        case 0 -> Statement.of("INSERT OR IGNORE INTO p VALUES (?)", (long) id);
                        case 1 -> Statement.of("INSERT OR REPLACE INTO c VALUES (?, ?)", (long) id, (long) pid);
                        case 2 -> Statement.of("DELETE FROM p WHERE id = ?", (long) id);
                        case 3 -> Statement.of("UPDATE c SET pid = ? WHERE id = ?", (long) pid, (long) id);
                        case 4 -> Statement.of("INSERT OR REPLACE INTO d VALUES (?, ?)", (long) id, (long) pid);
                        case 5 -> Statement.of("DELETE FROM c WHERE pid NOT IN (SELECT id FROM p)");
                        case 6 -> Statement.of(switch (rnd.nextInt(4)) {
                            case 0 -> "DROP TABLE ";
                            case 1 -> "DELETE FROM ";
                            case 2 -> "ALTER TABLE ";
                            default -> "UPDATE ";
                        } + engineNames[rnd.nextInt(engineNames.length)] + (rnd.nextBoolean() ? "" : " SET position = 0"));
                        default -> Statement.of("INSERT INTO c VALUES (?, ?)", (long) (100 + i * 4 + k), (long) pid);
                    });
                }
                t[0]++;
                Bookmark before = db.bookmark();
                boolean engineOk;
                try {
                    db.batch(write);
                    engineOk = true;
                } catch (SqlException e) {
                    engineOk = false;
                    assertEquals(before, db.bookmark(), "a refused write logged a frame: " + write + " (seed " + SEED + ")");
                    assertTrue(!e.getMessage().contains("\n"), "one-line error: " + e.getMessage());
                }
                boolean oracleOk = oracleRun(oracle, write);
                if (!engineOk) {
                    t[1]++;
                }
                if (engineOk != oracleOk) {
                    t[3]++;
                }
                assertEquals(oracleOk, engineOk, "engine and plain SQLite disagree on " + write + " (seed " + SEED + ")");
            }
            Map<String, List<String>> expected = SqliteFiles.dump(oracle);
            assertEquals(expected, SqliteFiles.dump(dir.resolve("live.sqlite3")), "seed " + SEED);
            db.close();
            assertSurvivesRebuild("class 1", dir, expected);
            t[2] = t[0] - t[1] - t[3];
        }
    }

    /** Class 2: what SQLite writes through views, triggers and CTEs is logged; several statements in one text are refused. */
    @Test
    void noWriteIsSilentlyDropped() throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        Path dir = tmp.resolve("dropped");
        int[] t = tally("2 silently dropped");
        List<String> schema = List.of("CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, \"end\" INTEGER)",
                "CREATE VIEW items_v AS SELECT id, name, \"end\" FROM items",
                "CREATE TRIGGER items_v_ins INSTEAD OF INSERT ON items_v BEGIN INSERT INTO items(name, \"end\") VALUES (new.name, new.\"end\"); END",
                "CREATE TRIGGER items_v_upd INSTEAD OF UPDATE ON items_v BEGIN UPDATE items SET name = new.name WHERE id = old.id; END",
                "CREATE TRIGGER items_v_del INSTEAD OF DELETE ON items_v BEGIN DELETE FROM items WHERE id = old.id; END",
                "CREATE TABLE guarded(id INTEGER PRIMARY KEY, v INTEGER)",
                "CREATE TRIGGER guarded_ignore BEFORE INSERT ON guarded WHEN new.v < 0 BEGIN SELECT RAISE(IGNORE); END",
                "CREATE TABLE audit(n INTEGER, \"end\" INTEGER)",
                "CREATE TRIGGER audit_end AFTER INSERT ON guarded BEGIN INSERT INTO audit VALUES (new.v, new.v + 1); END");
        try (Connection oracle = oracle(); Database db = Database.open(dir)) {
            for (String s : schema) {
                db.execute(s);
                oracleRun(oracle, List.of(Statement.of(s)));
            }
            for (int i = 0; i < SIZE; i++) {
                String name = "n" + rnd.nextInt(1000);
                long v = rnd.nextInt(21) - 10;
                String cte = rnd.nextBoolean() ? "WITH src(n, e) AS (VALUES ('" + name + "', " + v + "), ('" + name + "x', 0)) " : "";
                boolean multi = rnd.nextInt(6) == 0;
                String sql = switch (rnd.nextInt(7)) {
                    case 0 -> cte.isEmpty() ? "INSERT INTO items_v(name, \"end\") VALUES ('" + name + "', " + v + ")"
                            : cte + "INSERT INTO items_v(name, \"end\") SELECT n, e FROM src";
                    case 1 -> cte + "UPDATE items_v SET name = '" + name + "' WHERE id % 3 = " + (Math.abs(v) % 3);
                    case 2 -> cte + "DELETE FROM items_v WHERE id % 5 = " + (Math.abs(v) % 5);
                    case 3 -> cte + "INSERT INTO guarded(v) VALUES (" + v + ")";
                    case 4 -> cte + "INSERT INTO guarded(v) SELECT " + v + " UNION ALL SELECT " + (-v);
                    case 5 -> "CREATE TRIGGER IF NOT EXISTS t_end_" + (i % 4) + " AFTER UPDATE ON items BEGIN UPDATE items SET \"end\" = "
                            + "\"end\" + 1 WHERE id = new.id AND new.name <> old.name; END";
                    default -> cte + "UPDATE items SET \"end\" = coalesce(\"end\", 0) + 1 WHERE name LIKE 'n" + rnd.nextInt(10) + "%'";
                };
                if (multi) {
                    sql = sql + "; DELETE FROM " + (rnd.nextBoolean() ? "items" : "guarded")
                            + (rnd.nextBoolean() ? "; SELECT CASE WHEN 1 THEN 1 END" : "");
                }
                t[0]++;
                Bookmark before = db.bookmark();
                boolean engineOk;
                try {
                    db.execute(sql);
                    engineOk = true;
                } catch (SqlException e) {
                    engineOk = false;
                    t[1]++;
                    assertEquals(before, db.bookmark(), "a refused write logged a frame: " + sql);
                }
                if (multi) {
                    assertTrue(!engineOk, "several statements in one text must be refused: " + sql + " (seed " + SEED + ")");
                    continue;
                }
                boolean oracleOk = oracleRun(oracle, List.of(Statement.of(sql)));
                if (engineOk != oracleOk) {
                    t[3]++;
                }
                assertEquals(oracleOk, engineOk, "engine and plain SQLite disagree on " + sql + " (seed " + SEED + ")");
                if (!SqliteFiles.dump(oracle).equals(SqliteFiles.dump(dir.resolve("live.sqlite3")))) {
                    t[3]++;
                }
                assertEquals(SqliteFiles.dump(oracle), SqliteFiles.dump(dir.resolve("live.sqlite3")),
                        "after " + sql + " (seed " + SEED + ")");
            }
            Map<String, List<String>> expected = SqliteFiles.dump(oracle);
            db.close();
            assertSurvivesRebuild("class 2", dir, expected);
            t[2] = t[0] - t[1] - t[3];
        }
    }

    /** Class 3: every way to reach the engine's tables, connection state or the machine is refused, in writes and reads. */
    @Test
    void theSandboxIsAnAllowlist() throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED + 2);
        Path dir = tmp.resolve("sandbox");
        int[] t = tally("3 sandbox");
        String[] names = {"_chronolog_meta", "_CHRONOLOG_META", "_chronolog_x"};
        String[] quotes = {"%s", "\"%s\"", "'%s'", "[%s]", "`%s`", "main.%s", "\"main\".\"%s\"", "'main'.'%s'"};
        String[] writes = {"DROP TABLE %s", "DELETE FROM %s", "UPDATE %s SET position = 0", "INSERT INTO %s VALUES (1, 1, x'')",
                "ALTER TABLE %s RENAME TO z", "CREATE TABLE %s(v)", "CREATE INDEX i_%d ON %s(position)",
                "CREATE TRIGGER tr_%d AFTER INSERT ON t BEGIN DELETE FROM %s; END", "INSERT INTO t SELECT position FROM %s"};
        String[] escapes = {"PRAGMA writable_schema = 1", "EXPLAIN PRAGMA writable_schema = 1", "EXPLAIN QUERY PLAN PRAGMA writable_schema = 1",
                "PRAGMA query_only = 0", "pragma foreign_keys = off", "PRAGMA defer_foreign_keys = 1", "PRAGMA recursive_triggers = 1",
                "CREATE TABLE 'temp'.x(v)", "CREATE TABLE \"temp\".x(v)", "CREATE TEMP VIEW x AS SELECT 1", "INSERT INTO temp.sqlite_master VALUES (1,2,3,4,5)",
                "ATTACH ':memory:' AS m", "VACUUM", "VACUUM INTO 'x.db'", "INSERT INTO t VALUES (load_extension('x'))",
                "INSERT INTO t VALUES (chronolog_guard(0))", "INSERT INTO t SELECT chronolog_frame_begin(0)",
                "INSERT INTO t SELECT file FROM pragma_database_list", "INSERT INTO t SELECT count(*) FROM dbstat",
                "INSERT INTO t VALUES (sqlite_version())", "INSERT INTO t VALUES (sqlite_source_id())", "INSERT INTO t VALUES (total_changes())",
                "INSERT INTO t VALUES (sqlite_offset(1))", "INSERT INTO t VALUES (changes())", "CREATE VIRTUAL TABLE s USING dbstat", "BEGIN", "SAVEPOINT a", "COMMIT"};
        String[] reads = {"PRAGMA writable_schema = 1", "EXPLAIN PRAGMA writable_schema = 1", "PRAGMA query_only = 0",
                "PRAGMA journal_mode = DELETE", "SELECT * FROM _chronolog_meta", "SELECT * FROM '_chronolog_meta'",
                "SELECT chronolog_guard(0)", "SELECT load_extension('x')", "INSERT INTO t VALUES (1)", "ATTACH ':memory:' AS m"};
        try (Database db = Database.open(dir)) {
            db.execute("CREATE TABLE t(v)");
            db.execute("INSERT INTO t VALUES (1)");
            Map<String, List<String>> expected = SqliteFiles.dump(dir.resolve("live.sqlite3"));
            for (int i = 0; i < SIZE; i++) {
                String sql;
                if (rnd.nextInt(3) == 0) {
                    sql = escapes[rnd.nextInt(escapes.length)];
                } else {
                    String template = writes[rnd.nextInt(writes.length)];
                    // a trigger body naming a table that does not exist fails when it fires, as in plain SQLite
                    String target = template.contains("TRIGGER") ? names[rnd.nextInt(2)] : names[rnd.nextInt(names.length)];
                    String name = String.format(quotes[rnd.nextInt(quotes.length)], target);
                    sql = template.contains("%d") ? String.format(template, i, name) : String.format(template, name);
                }
                t[0]++;
                Bookmark before = db.bookmark();
                try {
                    db.execute(sql);
                    t[3]++;
                    throw new AssertionError("accepted: " + sql + " (seed " + SEED + ")");
                } catch (SqlException e) {
                    t[1]++;
                    assertTrue(!e.getMessage().contains("\n"), "one-line error: " + e.getMessage());
                }
                assertEquals(before, db.bookmark(), sql);
                String read = reads[rnd.nextInt(reads.length)];
                t[0]++;
                try {
                    db.query(read);
                    t[3]++;
                    throw new AssertionError("query accepted: " + read + " (seed " + SEED + ")");
                } catch (SqlException e) {
                    t[1]++;
                }
            }
            // the readers are still read-only and the schema is still the engine's
            assertEquals(expected, SqliteFiles.dump(dir.resolve("live.sqlite3")));
            assertEquals(1, db.query("SELECT count(*) FROM t").get(0).getLong(0));
        }
        assertSurvivesRebuild("class 3", dir, SqliteFiles.dump(dir.resolve("live.sqlite3")));
    }

    /** Class 4: what reads the clock, the PRNG or the machine replays exactly, or is refused before it is logged. */
    @Test
    void replayIsExactOrRefused() throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED + 3);
        Path dir = tmp.resolve("exact");
        int[] t = tally("4 exact replay");
        MutableClock clock = new MutableClock(Instant.parse("2026-11-01T10:00:00.123Z"));
        String[] replayable = {"datetime('now')", "datetime('subsec')", "datetime('SUBSEC')", "datetime('now', 'subsec')",
                "unixepoch('subsecond')", "unixepoch('now', 'subsec')", "julianday('now')", "strftime('%f', 'now')",
                "strftime('%s', 'subsec')", "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "datetime(CAST('now' AS BLOB))",
                "datetime(x'6e6f77')", "datetime('NOW')", "date('now', '+1 day', 'start of month')", "time('subsec')",
                "timediff('now', '2000-01-01')", "random()", "hex(randomblob(8))", "abs(random()) % 10",
                "datetime('now', 'utc')", "unixepoch(CAST('subsec' AS BLOB))"};
        String[] refused = {"datetime('now', 'localtime')", "datetime(CAST('now' AS BLOB), 'localtime')",
                "(SELECT file FROM pragma_database_list)", "sqlite_version()", "(SELECT count(*) FROM dbstat)"};
        List<Bookmark> bookmarks = new ArrayList<>();
        List<Map<String, List<String>>> seen = new ArrayList<>();
        try (Database db = Database.open(dir, Options.builder().clock(clock).nanoTime(clock::nanoTime).build())) {
            db.execute("CREATE TABLE v(id INTEGER PRIMARY KEY, a, b)");
            db.execute("CREATE TABLE r(v)");
            db.execute("CREATE TABLE g(d TEXT, u INT GENERATED ALWAYS AS (unixepoch(d, 'subsec')) STORED, "
                    + "w TEXT GENERATED ALWAYS AS (date(d)) VIRTUAL, dflt TEXT DEFAULT CURRENT_TIMESTAMP)");
            db.execute("CREATE INDEX g_date ON g(date(d))");
            db.execute("CREATE INDEX g_part ON g(d) WHERE julianday(d) > 0");
            // the clock where SQLite forbids it (index expressions, generated columns, CHECK): SQLite's own
            // functions refuse it as plain SQLite does, in every write and in the open-time check alike
            db.execute("CREATE TABLE h(d TEXT, c TEXT CHECK (c IS NULL OR c < datetime('now')))");
            db.execute("CREATE INDEX h_bad ON h(datetime('now'))"); // plain SQLite accepts this on an empty table
            db.execute("CREATE TABLE h2(d TEXT, u GENERATED ALWAYS AS (unixepoch('now')) STORED)");
            for (String sql : new String[] {"INSERT INTO h(d) VALUES ('x')", "INSERT INTO h2(d) VALUES ('x')"}) {
                t[0]++;
                Bookmark before = db.bookmark();
                try {
                    db.execute(sql);
                    t[3]++;
                    throw new AssertionError("accepted: " + sql);
                } catch (SqlException e) {
                    t[1]++;
                    assertTrue(e.getMessage().contains("non-deterministic"), e.getMessage());
                }
                assertEquals(before, db.bookmark());
            }
            for (int i = 0; i < SIZE; i++) {
                clock.advance(Duration.ofMillis(1 + rnd.nextInt(5000)));
                t[0]++;
                Bookmark before = db.bookmark();
                int kind = rnd.nextInt(10);
                try {
                    if (kind == 0) {
                        db.execute("INSERT INTO v(a, b) VALUES (" + refused[rnd.nextInt(refused.length)] + ", 1)");
                        t[3]++;
                        throw new AssertionError("accepted a write replay cannot repeat (seed " + SEED + ")");
                    } else if (kind == 1) {
                        db.execute("INSERT INTO g(d) VALUES (datetime('now', '-' || abs(random() % 1000) || ' seconds', 'subsec'))");
                    } else if (kind == 2) {
                        db.execute("UPDATE v SET b = " + replayable[rnd.nextInt(replayable.length)] + " WHERE id % 4 = " + rnd.nextInt(4));
                    } else {
                        db.execute("INSERT INTO v(a, b) VALUES (" + replayable[rnd.nextInt(replayable.length)] + ", "
                                + replayable[rnd.nextInt(replayable.length)] + ")");
                    }
                } catch (SqlException e) {
                    t[1]++;
                    assertEquals(before, db.bookmark());
                    assertTrue(kind == 0, "refused a replayable write: " + e.getMessage() + " (seed " + SEED + ")");
                    continue;
                }
                bookmarks.add(db.bookmark());
                seen.add(SqliteFiles.dump(dir.resolve("live.sqlite3")));
            }
            // SQLite picks a random rowid once the largest is 2^63-1: refused, not logged
            db.execute("INSERT INTO r(rowid, v) VALUES (9223372036854775807, 1)");
            t[0]++;
            Bookmark before = db.bookmark();
            try {
                db.execute("INSERT INTO r(v) VALUES (2)");
                t[3]++;
                throw new AssertionError("accepted an insert with a random rowid");
            } catch (SqlException e) {
                t[1]++;
                assertTrue(e.getMessage().contains("random rowid"), e.getMessage());
            }
            assertEquals(before, db.bookmark());
            bookmarks.add(db.bookmark());
            seen.add(SqliteFiles.dump(dir.resolve("live.sqlite3")));
            // restores to earlier moments rebuild exactly what an independent reader saw then
            for (int k = 0; k < 5 && !bookmarks.isEmpty(); k++) {
                int at = rnd.nextInt(bookmarks.size());
                db.restore(bookmarks.get(at));
                boolean same = seen.get(at).equals(SqliteFiles.dump(dir.resolve("live.sqlite3")));
                if (!same) {
                    t[3]++;
                }
                assertEquals(seen.get(at), SqliteFiles.dump(dir.resolve("live.sqlite3")), "restore to write " + at + " (seed " + SEED + ")");
            }
            db.restore(bookmarks.get(bookmarks.size() - 1));
            assertTrue(db.verify().ok(), "verify: " + db.verify());
        }
        assertSurvivesRebuild("class 4", dir, seen.get(seen.size() - 1));
        t[2] = t[0] - t[1] - t[3];
    }
}
