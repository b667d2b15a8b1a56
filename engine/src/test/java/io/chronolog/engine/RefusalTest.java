package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RefusalTest {
    @TempDir
    Path tmp;
    Database db;

    @BeforeEach
    void open() {
        db = Database.open(tmp.resolve("guard"), Options.builder().maxSqlBytes(1000).maxParameters(10)
                .maxValueBytes(5000).maxRowBytes(8000).maxBatchStatements(5).build());
        db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v)");
        db.execute("INSERT INTO t(v) VALUES ('seed')");
    }

    @AfterEach
    void close() {
        db.close();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("BEGIN", "transaction control"),
                Arguments.of("begin immediate transaction", "transaction control"),
                Arguments.of("COMMIT", "transaction control"),
                Arguments.of("END", "transaction control"),
                Arguments.of("ROLLBACK", "transaction control"),
                Arguments.of("SAVEPOINT s1", "transaction control"),
                Arguments.of("RELEASE s1", "transaction control"),
                Arguments.of("PRAGMA journal_mode = DELETE", "PRAGMA is refused"),
                Arguments.of("pragma synchronous=OFF", "PRAGMA is refused"),
                Arguments.of("PRAGMA foreign_keys = OFF", "PRAGMA is refused"),
                Arguments.of("ATTACH DATABASE 'x.db' AS x", "ATTACH is refused"),
                Arguments.of("DETACH x", "DETACH is refused"),
                Arguments.of("VACUUM", "VACUUM is refused"),
                Arguments.of("VACUUM INTO '/tmp/copy.db'", "VACUUM is refused"),
                Arguments.of(" /* maintenance */ -- nightly\n vacuum main", "VACUUM is refused"),
                Arguments.of("CREATE TEMP TABLE x(v)", "temporary objects"),
                Arguments.of("CREATE TEMPORARY VIEW x AS SELECT 1", "temporary objects"),
                Arguments.of("CREATE TABLE temp.x(v)", "temp schema"),
                Arguments.of("DELETE FROM _chronolog_meta", "belong to the engine"),
                Arguments.of("CREATE TABLE \"_Chronolog_x\"(v)", "belong to the engine"),
                Arguments.of("INSERT INTO t VALUES (1, 2); DROP TABLE t", "more than one statement"),
                Arguments.of("  -- only a comment", "holds no statement"),
                Arguments.of("", "holds no statement"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusedBeforeItRunsAndNothingChanges(String sql, String expected) throws Exception {
        Bookmark before = db.bookmark();
        RefusedStatementException e = assertThrows(RefusedStatementException.class, () -> db.execute(sql));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("statement refused: "), e.getMessage());
        assertEquals(before, db.bookmark());
        assertEquals(1, db.query("SELECT count(*) FROM t").get(0).getLong(0));
    }

    @Test
    void wordsThatOnlyLookRefusedAreFine() {
        db.execute("INSERT INTO t(v) VALUES ('BEGIN; PRAGMA x; ATTACH -- not code')");
        db.execute("INSERT INTO t(v) VALUES (CASE WHEN 1 THEN 'a' END)");
        db.execute("CREATE TABLE \"temp_values\"(v)");
        db.execute("INSERT INTO t(v) VALUES ('now'), ('localtime');");
        assertEquals(5, db.query("SELECT count(*) FROM t").get(0).getLong(0));
        assertEquals("now", db.query("SELECT v FROM t WHERE id = 4").get(0).get(0));
    }

    /** DDL that finds nothing to do compiles to a write of nothing: ordinary SQL, logged and replayed, not a VACUUM. */
    @Test
    void ddlThatFindsNothingToDoIsAccepted() {
        db.execute("CREATE INDEX IF NOT EXISTS tv ON t(v)");
        db.execute("CREATE INDEX IF NOT EXISTS tv ON t(v)");
        db.execute("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v)");
        db.execute("CREATE VIEW IF NOT EXISTS w AS SELECT v FROM t");
        db.execute("CREATE VIEW IF NOT EXISTS w AS SELECT v FROM t");
        db.execute("DROP TABLE IF EXISTS missing");
        db.execute("DROP INDEX IF EXISTS missing");
        db.execute("DROP VIEW IF EXISTS missing");
        db.execute("DROP TRIGGER IF EXISTS missing");
        db.execute("CREATE TABLE vacuums(v)"); // a name that starts like the keyword
        db.execute("INSERT INTO vacuums VALUES (1)");
        assertEquals(1, db.query("SELECT count(*) FROM sqlite_schema WHERE name = 'tv'").get(0).getLong(0));
        assertEquals(1, db.query("SELECT count(*) FROM vacuums").get(0).getLong(0));
        assertTrue(db.verify().ok());
    }

    @Test
    void sqlLengthLimitAtAndOverTheEdge() {
        String prefix = "INSERT INTO t(v) VALUES ('";
        String suffix = "')";
        String at = prefix + "x".repeat(1000 - prefix.length() - suffix.length()) + suffix;
        assertEquals(1000, at.length());
        db.execute(at);
        String over = prefix + "x".repeat(1001 - prefix.length() - suffix.length()) + suffix;
        RefusedStatementException e = assertThrows(RefusedStatementException.class, () -> db.execute(over));
        assertTrue(e.getMessage().contains("SQL is 1001 bytes, over the limit of 1000 (Options.maxSqlBytes)"), e.getMessage());
    }

    @Test
    void parameterCountLimitAtAndOverTheEdge() {
        db.execute("CREATE TABLE w(a,b,c,d,e,f,g,h,i,j,k)");
        db.execute("INSERT INTO w(a,b,c,d,e,f,g,h,i,j) VALUES (?,?,?,?,?,?,?,?,?,?)", (Object[]) ones(10));
        RefusedStatementException e = assertThrows(RefusedStatementException.class,
                () -> db.execute("INSERT INTO w VALUES (?,?,?,?,?,?,?,?,?,?,?)", (Object[]) ones(11)));
        assertTrue(e.getMessage().contains("11 parameters is over the limit of 10"), e.getMessage());
        // the SQLite limit backs the check up for numbered placeholders
        SqlException numbered = assertThrows(SqlException.class, () -> db.execute("INSERT INTO w(a) VALUES (?11)"));
        assertTrue(numbered.getMessage().contains("variable number must be between"), numbered.getMessage());
    }

    @Test
    void valueSizeLimitAtAndOverTheEdge() {
        db.execute("INSERT INTO t(v) VALUES (?)", (Object) new byte[5000]);
        db.execute("INSERT INTO t(v) VALUES (?)", "é".repeat(2500));
        RefusedStatementException blob = assertThrows(RefusedStatementException.class,
                () -> db.execute("INSERT INTO t(v) VALUES (?)", (Object) new byte[5001]));
        assertTrue(blob.getMessage().contains("parameter 1 is 5001 bytes, over the limit of 5000"), blob.getMessage());
        RefusedStatementException text = assertThrows(RefusedStatementException.class,
                () -> db.execute("INSERT INTO t(v) VALUES (?)", "é".repeat(2500) + "x"));
        assertTrue(text.getMessage().contains("5001 bytes"), text.getMessage());
        db.execute("INSERT INTO t(v) VALUES (randomblob(7000))");
        SqlException computed = assertThrows(SqlException.class, () -> db.execute("INSERT INTO t(v) VALUES (randomblob(8001))"));
        assertTrue(computed.getMessage().contains("too big"), computed.getMessage());
        SqlException zero = assertThrows(SqlException.class, () -> db.execute("INSERT INTO t(v) VALUES (zeroblob(8001))"));
        assertTrue(zero.getMessage().contains("too big"), zero.getMessage());
    }

    @Test
    void batchSizeLimitAtAndOverTheEdge() {
        db.batch(Collections.nCopies(5, Statement.of("INSERT INTO t(v) VALUES (1)")));
        RefusedStatementException e = assertThrows(RefusedStatementException.class,
                () -> db.batch(Collections.nCopies(6, Statement.of("INSERT INTO t(v) VALUES (1)"))));
        assertTrue(e.getMessage().contains("6 statements is over the limit of 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> db.batch(List.of()));
    }

    @Test
    void unsupportedParameterTypesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> db.execute("INSERT INTO t(v) VALUES (?)", new java.math.BigDecimal("1.5")));
        assertTrue(e.getMessage().contains("parameter 1 is a BigDecimal"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> db.execute("INSERT INTO t(v) VALUES (?)", new ArrayList<>()));
        db.execute("INSERT INTO t(v) VALUES (?)", true);
        db.execute("INSERT INTO t(v) VALUES (?)", 1.5f);
        assertEquals(List.of(1L, 1.5), db.query("SELECT v FROM t WHERE id > 1 ORDER BY id").asList().stream().map(r -> r.get(0)).toList());
    }

    private static Long[] ones(int n) {
        Long[] a = new Long[n];
        Arrays.fill(a, 1L);
        return a;
    }
}
