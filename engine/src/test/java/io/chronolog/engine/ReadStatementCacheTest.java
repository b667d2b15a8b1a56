package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads run on reader connections that keep their statements prepared (at most 64 per connection).
 * A generated run of reads, writes, schema changes and restores is compared read by read with a
 * plain SQLite database that ran the same statements: a kept statement never answers with a stale
 * schema, stale rows or another text's program, and a failed read leaves nothing behind.
 * {@code -Dchronolog.readcache.seed=N} repeats a run.
 */
class ReadStatementCacheTest {
    private static final long SEED = Long.getLong("chronolog.readcache.seed", System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void cachedReadsAnswerAsPlainSqliteThroughSchemaChangesAndRestores() throws Exception {
        System.out.println("ReadStatementCacheTest seed=" + SEED + " (rerun with -Dchronolog.readcache.seed=" + SEED + ")");
        Random random = new Random(SEED);
        List<String> applied = new ArrayList<>();
        // bookmarks on the current line of history, each with how many of the applied writes it holds
        List<Bookmark> marks = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        Options options = Options.builder().readerConnections(2).build();
        try (Database db = Database.open(dir.resolve("db"), options)) {
            Connection oracle = DriverManager.getConnection("jdbc:sqlite::memory:");
            write(db, oracle, applied, "CREATE TABLE t(id INTEGER PRIMARY KEY, a, b)");
            write(db, oracle, applied, "CREATE TABLE u(k TEXT PRIMARY KEY, v)");
            marks.add(db.bookmark());
            held.add(applied.size());
            int columns = 3;
            for (int step = 0; step < 1500; step++) {
                int what = random.nextInt(100);
                if (what < 55) {
                    read(db, oracle, readText(random), random.nextInt(40), step);
                } else if (what < 85) {
                    int id = random.nextInt(40);
                    String sql = switch (random.nextInt(4)) {
                        case 0 -> "INSERT OR REPLACE INTO t(id, a, b) VALUES (" + id + ", " + random.nextInt(1000) + ", 'x" + id + "')";
                        case 1 -> "UPDATE t SET a = a + 1 WHERE id % 7 = " + (id % 7);
                        case 2 -> "DELETE FROM t WHERE id = " + id;
                        default -> "INSERT OR REPLACE INTO u(k, v) VALUES ('k" + id + "', " + random.nextInt(50) + ")";
                    };
                    write(db, oracle, applied, sql);
                } else if (what < 93) {
                    String sql = switch (random.nextInt(4)) {
                        case 0 -> "ALTER TABLE t ADD COLUMN c" + (columns++) + " DEFAULT " + random.nextInt(9);
                        case 1 -> "DROP TABLE IF EXISTS u";
                        case 2 -> "CREATE TABLE IF NOT EXISTS u(k TEXT PRIMARY KEY, v)";
                        default -> random.nextBoolean() ? "CREATE INDEX IF NOT EXISTS ta ON t(a)" : "DROP INDEX IF EXISTS ta";
                    };
                    write(db, oracle, applied, sql);
                    marks.add(db.bookmark());
                    held.add(applied.size());
                } else if (what < 96) {
                    marks.add(db.bookmark());
                    held.add(applied.size());
                } else {
                    int k = random.nextInt(marks.size());
                    db.restore(marks.get(k));
                    oracle.close();
                    oracle = DriverManager.getConnection("jdbc:sqlite::memory:");
                    // the oracle runs again every write up to the bookmark restored
                    List<String> kept = new ArrayList<>(applied.subList(0, held.get(k)));
                    applied.clear();
                    for (String sql : kept) {
                        write(null, oracle, applied, sql);
                    }
                    // later bookmarks are on the line of history the restore left
                    marks.subList(k + 1, marks.size()).clear();
                    held.subList(k + 1, held.size()).clear();
                }
            }
            oracle.close();
        }
    }

    /** Runs a write on both (the engine may be null: the oracle alone); one that fails must fail on both, and is not kept. */
    private static void write(Database db, Connection oracle, List<String> applied, String sql) throws SQLException {
        boolean engineOk = true;
        if (db != null) {
            try {
                db.execute(sql);
            } catch (SqlException e) {
                engineOk = false;
            }
        }
        boolean oracleOk = true;
        try (var s = oracle.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            oracleOk = false;
        }
        if (db != null) {
            assertEquals(oracleOk, engineOk, "engine and plain SQLite disagree on " + sql + " (seed " + SEED + ")");
        }
        if (oracleOk) {
            applied.add(sql);
        }
    }

    private static String readText(Random random) {
        int shape = random.nextInt(100);
        return switch (shape % 5) {
            case 0 -> "SELECT * FROM t WHERE id = ?";
            case 1 -> "SELECT count(*), sum(a) + " + shape + " FROM t WHERE id < ?";
            case 2 -> "SELECT k, v FROM u WHERE v > ? ORDER BY k";
            case 3 -> "SELECT * FROM t WHERE a > ? ORDER BY id LIMIT " + (shape + 1);
            default -> "SELECT name FROM sqlite_schema WHERE type = 'table' AND substr(name, 1, 10) <> '_chronolog' AND length(name) + 3 > ? ORDER BY name";
        };
    }

    private static void read(Database db, Connection oracle, String sql, int param, int step) throws SQLException {
        String expected;
        try (PreparedStatement ps = oracle.prepareStatement(sql)) {
            ps.setInt(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                StringBuilder sb = new StringBuilder();
                int n = rs.getMetaData().getColumnCount();
                List<String> names = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    names.add(rs.getMetaData().getColumnLabel(i));
                }
                sb.append(names);
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        row.add(v instanceof Integer x ? Long.valueOf(x) : v);
                    }
                    sb.append(row);
                }
                expected = sb.toString();
            }
        } catch (SQLException e) {
            expected = "error";
        }
        String got;
        try {
            Rows rows = db.query(sql, param);
            StringBuilder sb = new StringBuilder().append(rows.columns());
            for (Row r : rows) {
                List<Object> row = new ArrayList<>();
                for (int i = 0; i < r.size(); i++) {
                    row.add(r.get(i));
                }
                sb.append(row);
            }
            got = sb.toString();
        } catch (SqlException e) {
            got = "error";
        }
        assertEquals(expected, got, "step " + step + ": " + sql + " with " + param + " (seed " + SEED + ")");
        if (param % 11 == 0) {
            // a wrong number of values fails clearly and spoils nothing for the next read of the text
            try {
                db.query(sql, param, param);
                throw new AssertionError("two values for one placeholder accepted: " + sql);
            } catch (SqlException expectedFailure) {
                // refused
            }
        }
    }
}
