package io.chronolog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronologCommandTest {
    private static final String BOOKMARK = "^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--data-dir";
        all[1] = data.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.of(all);
    }

    @Test
    void demoRecoversFromABadDeleteUndoesAndRebuildsTheLiveFileFromTheLog() {
        CliRun r = run("demo");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().matches("(?s).*rebuilt live\\.sqlite3 from the log, \\d+ frames replayed.*"), r::toString);
        assertTrue(r.out().contains("Identical"), r::toString);
        assertTrue(r.out().contains("Every order is back"), r::toString);
        assertTrue(r.out().contains("To undo this restore, run:"), r::toString);
        assertTrue(r.out().contains("│ DELETE FROM orders"), r::toString);
        assertEquals("", r.err(), r::toString);
        assertTrue(Files.isDirectory(data.resolve("demo")));
        assertTrue(r.out().matches("(?s).*Identical: content hash [0-9a-f]{32} before the loss and after the restore from the archive\\..*"),
                r::toString);
        assertTrue(Files.isDirectory(data.resolve("archive").resolve("demo")), "the demo's archive is in the data directory");
        CliRun status = run("archive", "status", "demo", "--json");
        assertEquals(0, status.status(), status::toString);
        assertTrue(status.out().contains("\"fenced\" : false"), status::toString);
    }

    @Test
    void aDemoNameTheArchiveHoldsIsNotReused() throws Exception {
        assertEquals(0, run("demo").status());
        try (var walk = Files.walk(data.resolve("demo"))) {
            for (var p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        CliRun again = run("demo");
        assertEquals(0, again.status(), again::toString);
        assertTrue(again.out().contains("'demo-2'"), again::toString);
    }

    @Test
    void secondDemoUsesTheNextFreeName() {
        assertEquals(0, run("demo").status());
        CliRun again = CliRun.of("demo", "--data-dir", data.toString());
        assertEquals(0, again.status(), again::toString);
        assertTrue(again.out().contains("'demo-2'"), again::toString);
    }

    @Test
    void executeJsonHasOneElementPerStatementInD1Shape() throws Exception {
        assertEquals(0, run("create", "shop").status());
        CliRun write = run("execute", "shop", "--json", "--command",
                "CREATE TABLE t (a INTEGER, b TEXT, c BLOB, d REAL); INSERT INTO t VALUES (7, 'x;y', x'0a0b', 1.5), (8, NULL, NULL, NULL)");
        assertEquals(0, write.status(), write::toString);
        JsonNode doc = JSON.readTree(write.out());
        assertTrue(doc.isArray());
        assertEquals(2, doc.size());
        JsonNode insert = doc.get(1);
        assertTrue(insert.get("success").asBoolean());
        assertTrue(insert.get("results").isArray());
        assertEquals(2, insert.get("meta").get("changes").asLong());
        assertEquals(2, insert.get("meta").get("last_row_id").asLong());
        assertTrue(insert.get("meta").get("bookmark").asText().matches(BOOKMARK));

        CliRun read = run("execute", "shop", "--json", "--command", "SELECT a, b, c, d FROM t ORDER BY a");
        assertEquals(0, read.status(), read::toString);
        JsonNode rows = JSON.readTree(read.out()).get(0).get("results");
        assertEquals(2, rows.size());
        assertEquals(7, rows.get(0).get("a").asLong());
        assertEquals("x;y", rows.get(0).get("b").asText());
        assertEquals("0a0b", rows.get(0).get("c").asText());
        assertEquals(1.5, rows.get(0).get("d").asDouble());
        assertTrue(rows.get(1).get("b").isNull());

        CliRun info = run("time-travel", "info", "shop", "--json");
        assertEquals(0, info.status(), info::toString);
        JsonNode bookmark = JSON.readTree(info.out());
        assertEquals(1, bookmark.size());
        assertEquals(insert.get("meta").get("bookmark").asText(), bookmark.get("bookmark").asText());
    }

    @Test
    void executeShowsRowsAsABoxTable() {
        assertEquals(0, run("create", "shop").status());
        CliRun r = run("execute", "shop", "--command", "SELECT 1 AS one, 'two' AS two");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("│ one │ two │"), r::toString);
        assertTrue(r.out().contains("Bookmark: "), r::toString);
    }

    @Test
    void badDatabaseNameFailsWithOneLineAndTouchesNothing() throws Exception {
        CliRun r = run("execute", "../escape", "--command", "SELECT 1");
        assertEquals(1, r.status(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("bad database name '../escape'"), r::toString);
        assertEquals("", r.out());
        assertFalse(Files.exists(data.resolveSibling("escape")));
        try (var files = Files.list(data)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void sqlErrorFailsWithOneLineNamingTheStatement() {
        assertEquals(0, run("create", "shop").status());
        CliRun r = run("execute", "shop", "--command", "INSERT INTO missing_table VALUES (1)");
        assertEquals(1, r.status(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("INSERT INTO missing_table VALUES (1)"), r::toString);
        assertTrue(r.err().startsWith("chronolog: error: "), r::toString);
    }

    @Test
    void missingDatabaseIsRefused() {
        CliRun r = run("execute", "nothere", "--command", "SELECT 1");
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.err().contains("no database named 'nothere'"), r::toString);
        assertFalse(Files.exists(data.resolve("nothere")));
    }

    @Test
    void createRefusesAnExistingDatabase() {
        assertEquals(0, run("create", "shop").status());
        CliRun r = run("create", "shop");
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.err().contains("already exists"), r::toString);
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("execute", "shop").status());
        assertEquals(2, run("no-such-verb").status());
        assertEquals(2, run("time-travel", "info", "shop", "--timestamp").status());
    }

    @Test
    void badTimestampIsRefusedWithOneLine() {
        assertEquals(0, run("create", "shop").status());
        CliRun r = run("time-travel", "info", "shop", "--timestamp", "+100000-01-01T00:00:00Z");
        assertEquals(1, r.status(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("time '+100000-01-01T00:00:00Z'"), r::toString);
    }
}
