package io.chronolog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronolog.engine.Database;
import io.chronolog.engine.Options;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every verb in-process, through picocli: its JSON shape (parsed with Jackson) and its effect,
 * checked against an oracle: plain JDBC on an exported or downloaded file, or the statements run.
 */
class VerbsTest {
    static final String BOOKMARK = "^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @TempDir
    Path files;

    @BeforeEach
    void shopWithFiveItems() {
        ok("create", "shop");
        ok("execute", "shop", "--command", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER)");
        ok("execute", "shop", "--command", "INSERT INTO items(name, qty) VALUES ('apple', 3), ('pear', 5), ('plum', 7), ('fig', 1), ('kiwi', 2)");
    }

    // ---------------------------------------------------------------- helpers

    CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--data-dir";
        all[1] = data.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.of(all);
    }

    CliRun ok(String... args) {
        CliRun r = run(args);
        assertEquals(0, r.status(), r::toString);
        return r;
    }

    /** Runs with --json; checks exit 0 and that stdout holds exactly one JSON document. */
    JsonNode json(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--json";
        CliRun r = ok(all);
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser p = JSON.getFactory().createParser(r.out())) {
            while (p.nextToken() != null) {
                docs.add(JSON.readTree(p));
            }
        }
        assertEquals(1, docs.size(), () -> "expected one JSON document on stdout: " + r);
        return docs.get(0);
    }

    String bookmark(String db) throws Exception {
        return json("time-travel", "info", db).get("bookmark").asText();
    }

    /** The state of {@code db} at {@code bookmark} (now when null), exported to a new plain SQLite file. */
    Path export(String db, String bookmark) throws Exception {
        Path file = files.resolve(UUID.randomUUID() + ".sqlite3");
        if (bookmark == null) {
            json("export", db, "--output", file.toString());
        } else {
            json("export", db, "--output", file.toString(), "--bookmark", bookmark);
        }
        return file;
    }

    static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    static List<List<Object>> items(Path file) {
        return Oracle.rows(file, "SELECT id, name, qty FROM items ORDER BY id");
    }

    // ---------------------------------------------------------------- create, execute, info

    @Test
    void createPrintsNameDirectoryAndTheEmptyBookmark() throws Exception {
        JsonNode doc = json("create", "other");
        assertEquals(Set.of("name", "directory", "bookmark"), keys(doc));
        assertEquals("other", doc.get("name").asText());
        assertEquals(data.resolve("other").toString(), doc.get("directory").asText());
        assertEquals("00000000-00000000-00000000-00000000000000000000000000000000", doc.get("bookmark").asText());
    }

    @Test
    void executeFileRunsEveryStatementAsOneBatch() throws Exception {
        Path sql = files.resolve("migration.sql");
        Files.writeString(sql, """
                -- a migration; semicolons inside quotes and comments do not split /* ; */
                CREATE TABLE audit (item_id INTEGER, old_qty INTEGER, new_qty INTEGER, why TEXT);
                INSERT INTO audit SELECT id, qty, qty + 10, 'restock; 10 more' FROM items WHERE name IN ('apple', 'pear');
                UPDATE items SET qty = qty + 10 WHERE name IN ('apple', 'pear');
                SELECT name, qty FROM items WHERE qty > 10 ORDER BY name;
                """, StandardCharsets.UTF_8);
        JsonNode doc = json("execute", "shop", "--file", sql.toString());
        assertEquals(4, doc.size());
        for (JsonNode element : doc) {
            assertEquals(Set.of("results", "success", "meta"), keys(element));
            assertEquals(Set.of("changes", "last_row_id", "bookmark"), keys(element.get("meta")));
            assertTrue(element.get("meta").get("bookmark").asText().matches(BOOKMARK));
        }
        assertEquals(2, doc.get(2).get("meta").get("changes").asLong());
        JsonNode rows = doc.get(3).get("results");
        assertEquals(2, rows.size());
        assertEquals("apple", rows.get(0).get("name").asText());
        assertEquals(13, rows.get(0).get("qty").asLong());

        Path now = export("shop", null);
        assertEquals(List.of(List.of(1L, 3L, 13L, "restock; 10 more"), List.of(2L, 5L, 15L, "restock; 10 more")),
                Oracle.rows(now, "SELECT item_id, old_qty, new_qty, why FROM audit ORDER BY item_id"));
        // one batch is one frame: every statement carries the same bookmark
        assertEquals(doc.get(0).get("meta").get("bookmark"), doc.get(2).get("meta").get("bookmark"));
    }

    @Test
    void executeFileThatFailsHalfwayAppliesNothing() throws Exception {
        String before = bookmark("shop");
        Path sql = files.resolve("bad.sql");
        Files.writeString(sql, "DELETE FROM items WHERE id = 1;\nINSERT INTO no_such_table VALUES (1);\n");
        CliRun r = run("execute", "shop", "--file", sql.toString());
        assertEquals(1, r.status(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertEquals(before, bookmark("shop"));
        assertEquals(5, Oracle.count(export("shop", null), "items"));
    }

    @Test
    void executeShowsRowsAsABoxTable() {
        CliRun r = ok("execute", "shop", "--command", "SELECT name, qty FROM items WHERE qty > 4 ORDER BY qty");
        assertTrue(r.out().contains("│ name │ qty │"), r::toString);
        assertTrue(r.out().contains("│ pear │   5 │"), r::toString);
        assertTrue(r.out().contains("│ plum │   7 │"), r::toString);
    }

    @Test
    void infoHasTheContractFieldsAndAgreesWithTheOracle() throws Exception {
        ok("execute", "shop", "--command", "CREATE TABLE notes (body TEXT)");
        JsonNode doc = json("info", "shop");
        assertTrue(keys(doc).containsAll(Set.of("name", "size", "num_tables", "bookmark", "epoch", "checkpoints", "wal_bytes")),
                doc::toString);
        assertEquals("shop", doc.get("name").asText());
        assertEquals(Oracle.tables(export("shop", null)).size(), doc.get("num_tables").asInt());
        assertEquals(bookmark("shop"), doc.get("bookmark").asText());
        assertEquals(0, doc.get("epoch").asInt());
        assertTrue(doc.get("size").asLong() > 0);
        assertTrue(doc.get("wal_bytes").asLong() > 0);
        assertTrue(run("info", "shop").out().contains("│ tables "), "human info is a table");
    }

    // ---------------------------------------------------------------- log

    @Test
    void logListsEveryWriteOldestFirstWithItsStatements() throws Exception {
        ok("execute", "shop", "--command", "UPDATE items SET qty = 0 WHERE name = 'fig'");
        JsonNode log = json("log", "shop");
        assertEquals(3, log.size());
        for (JsonNode w : log) {
            assertEquals(Set.of("bookmark", "timestamp", "statements"), keys(w));
            assertTrue(w.get("bookmark").asText().matches(BOOKMARK));
            Instant.parse(w.get("timestamp").asText());
        }
        assertEquals("UPDATE items SET qty = 0 WHERE name = 'fig'", log.get(2).get("statements").get(0).asText());
        assertEquals(bookmark("shop"), log.get(2).get("bookmark").asText());
        assertTrue(log.get(0).get("bookmark").asText().compareTo(log.get(1).get("bookmark").asText()) < 0);

        JsonNode last = json("log", "shop", "--limit", "1");
        assertEquals(1, last.size());
        assertEquals(log.get(2), last.get(0));

        String secondAt = log.get(1).get("timestamp").asText();
        JsonNode upTo = json("log", "shop", "--until", secondAt);
        assertEquals(2, upTo.size());
        JsonNode from = json("log", "shop", "--since", secondAt);
        assertEquals(log.get(1), from.get(0));
    }

    // ---------------------------------------------------------------- time travel

    @Test
    void dryRunPrintsThePlanWithTheUndoneStatementsAndChangesNothing() throws Exception {
        String good = bookmark("shop");
        ok("execute", "shop", "--command", "DELETE FROM items");
        String after = bookmark("shop");
        JsonNode plan = json("time-travel", "restore", "shop", "--bookmark", good, "--dry-run");
        assertEquals(Set.of("target", "checkpoint", "frames_to_replay", "undone"), keys(plan));
        assertEquals(good, plan.get("target").asText());
        assertTrue(plan.get("frames_to_replay").asLong() >= 0);
        assertEquals(1, plan.get("undone").size());
        JsonNode undone = plan.get("undone").get(0);
        assertEquals(Set.of("bookmark", "timestamp", "statements"), keys(undone));
        assertEquals(after, undone.get("bookmark").asText());
        assertEquals("DELETE FROM items", undone.get("statements").get(0).asText());
        assertEquals(after, bookmark("shop"), "a dry run changes nothing");

        CliRun human = ok("time-travel", "restore", "shop", "--bookmark", good, "--dry-run");
        assertTrue(human.out().contains("Dry run: nothing was changed"), human::toString);
        assertTrue(human.out().contains("DELETE FROM items"), human::toString);
    }

    @Test
    void restoreBeforeABadDeleteBringsTheRowsBackAndTheUndoTakesThemAway() throws Exception {
        String good = bookmark("shop");
        List<List<Object>> expected = items(export("shop", good));
        ok("execute", "shop", "--command", "DELETE FROM items");
        String bad = bookmark("shop");
        assertEquals(0, Oracle.count(export("shop", null), "items"));

        JsonNode restored = json("time-travel", "restore", "shop", "--bookmark", good, "--yes");
        assertEquals(Set.of("bookmark", "previous_bookmark"), keys(restored));
        assertEquals(bad, restored.get("previous_bookmark").asText());
        assertEquals(restored.get("bookmark").asText(), bookmark("shop"));
        assertEquals(expected, items(export("shop", null)));

        JsonNode undo = json("time-travel", "restore", "shop", "--bookmark", restored.get("previous_bookmark").asText(), "--yes");
        assertEquals(0, Oracle.count(export("shop", null), "items"));
        assertEquals(restored.get("bookmark").asText(), undo.get("previous_bookmark").asText());

        JsonNode history = json("time-travel", "history", "shop");
        assertEquals(2, history.size());
        for (JsonNode h : history) {
            assertEquals(Set.of("epoch", "at", "target", "previous_bookmark"), keys(h));
        }
        assertEquals(1, history.get(0).get("epoch").asInt());
        assertEquals(good, history.get(0).get("target").asText());
        assertEquals(bad, history.get(0).get("previous_bookmark").asText());
        assertEquals(bad, history.get(1).get("target").asText());
        assertEquals(2, json("info", "shop").get("epoch").asInt());
    }

    @Test
    void restoreByTimestampTakesTheLastWriteAtOrBeforeIt() throws Exception {
        JsonNode log = json("log", "shop");
        String at = log.get(1).get("timestamp").asText();
        String target = log.get(1).get("bookmark").asText();
        List<List<Object>> expected = items(export("shop", target));
        ok("execute", "shop", "--command", "UPDATE items SET qty = -1");
        assertEquals(target, json("time-travel", "info", "shop", "--timestamp", at).get("bookmark").asText());
        json("time-travel", "restore", "shop", "--timestamp", at, "--yes");
        assertEquals(expected, items(export("shop", null)));
    }

    @Test
    void humanRestorePrintsTheUndoBookmarkAndTheExactUndoCommand() throws Exception {
        String good = bookmark("shop");
        ok("execute", "shop", "--command", "DELETE FROM items WHERE qty < 5");
        String bad = bookmark("shop");
        CliRun r = ok("time-travel", "restore", "shop", "--bookmark", good, "--yes");
        assertTrue(r.out().contains("undo bookmark:"), r::toString);
        assertTrue(r.out().contains("chronolog --data-dir " + data + " time-travel restore shop --bookmark " + bad + " --yes"),
                r::toString);
        assertEquals("", r.err(), r::toString);
    }

    @Test
    void promptAnsweredNoChangesNothingAndYesRestores() throws Exception {
        String good = bookmark("shop");
        ok("execute", "shop", "--command", "DELETE FROM items");
        String bad = bookmark("shop");
        String[] args = {"--data-dir", data.toString(), "time-travel", "restore", "shop", "--bookmark", good};

        CliRun no = CliRun.answering("n\n", args);
        assertEquals(1, no.status(), no::toString);
        assertTrue(no.err().contains("OK to proceed (y/N)"), no::toString);
        assertTrue(no.err().contains("not confirmed: nothing changed"), no::toString);
        assertEquals("", no.out());
        assertEquals(bad, bookmark("shop"));

        CliRun empty = CliRun.answering("\n", args);
        assertEquals(1, empty.status(), empty::toString);
        assertEquals(bad, bookmark("shop"));

        CliRun yes = CliRun.answering("y\n", args);
        assertEquals(0, yes.status(), yes::toString);
        assertTrue(yes.out().contains("Restored 'shop'"), yes::toString);
        assertEquals(5, Oracle.count(export("shop", null), "items"));
    }

    @Test
    void restoreWithoutATerminalAndWithoutYesRefusesInOneLine() throws Exception {
        String good = bookmark("shop");
        ok("execute", "shop", "--command", "DELETE FROM items");
        String bad = bookmark("shop");
        CliRun r = run("time-travel", "restore", "shop", "--bookmark", good);
        assertEquals(1, r.status(), r::toString);
        assertEquals(List.of("chronolog: error: restore of 'shop' needs confirmation and there is no terminal to ask: add --yes"),
                r.errLines());
        assertEquals(bad, bookmark("shop"));
    }

    // ---------------------------------------------------------------- diff

    @Test
    void diffCountsRowsAddedRemovedAndChangedPerTable() throws Exception {
        String from = bookmark("shop");
        ok("execute", "shop", "--command", "UPDATE items SET qty = 99 WHERE name IN ('apple', 'plum'); "
                + "DELETE FROM items WHERE name = 'fig'; INSERT INTO items(name, qty) VALUES ('lime', 4), ('date', 6), ('yuzu', 8); "
                + "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello'); "
                + "CREATE TABLE tags (tag TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID; INSERT INTO tags VALUES ('a', 1), ('b', 2)");
        String mid = bookmark("shop");
        ok("execute", "shop", "--command", "UPDATE tags SET n = 20 WHERE tag = 'b'; DELETE FROM tags WHERE tag = 'a'; "
                + "ALTER TABLE items ADD COLUMN note TEXT");

        JsonNode doc = json("diff", "shop", "--from", from, "--to", mid);
        assertEquals(Set.of("from", "to", "tables"), keys(doc));
        assertEquals(3, doc.get("tables").size());
        JsonNode items = table(doc, "items");
        assertEquals(Set.of("name", "added", "removed", "changed", "schema_changed"), keys(items));
        assertEquals(List.of(3L, 1L, 2L, 0L), counts(items));
        assertEquals(List.of(1L, 0L, 0L, 1L), counts(table(doc, "notes")));
        assertEquals(List.of(2L, 0L, 0L, 1L), counts(table(doc, "tags")));

        JsonNode later = json("diff", "shop", "--from", mid, "--rows");
        assertEquals(bookmark("shop"), later.get("to").asText(), "--to defaults to now");
        assertEquals(List.of(0L, 0L, 0L, 1L), counts(table(later, "items")), "a new column alone changes the schema only");
        JsonNode tags = table(later, "tags");
        assertEquals(List.of(0L, 1L, 1L, 0L), counts(tags));
        assertEquals("a", tags.get("rows").get("removed").get(0).get("tag").asText());
        assertEquals(2, tags.get("rows").get("changed").get(0).get("before").get("n").asLong());
        assertEquals(20, tags.get("rows").get("changed").get(0).get("after").get("n").asLong());

        JsonNode byTime = json("diff", "shop", "--from", json("log", "shop").get(1).get("timestamp").asText(), "--to", mid);
        assertEquals(doc.get("tables"), byTime.get("tables"), "a time names the same moment as its bookmark");

        CliRun human = ok("diff", "shop", "--from", from, "--to", mid);
        assertTrue(human.out().contains("│ items │     3 │       1 │       2 │ no "), human::toString);
    }

    private static JsonNode table(JsonNode diff, String name) {
        for (JsonNode t : diff.get("tables")) {
            if (t.get("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no table " + name + " in " + diff);
    }

    private static List<Long> counts(JsonNode t) {
        return List.of(t.get("added").asLong(), t.get("removed").asLong(), t.get("changed").asLong(),
                t.get("schema_changed").asBoolean() ? 1L : 0L);
    }

    // ---------------------------------------------------------------- backups

    @Test
    void backupCreateListDownloadRestoreDelete() throws Exception {
        List<List<Object>> atBackup = items(export("shop", null));
        JsonNode created = json("backup", "create", "shop");
        assertEquals(Set.of("id", "created_at", "num_tables", "size", "state"), keys(created));
        String id = created.get("id").asText();
        assertTrue(id.matches("[0-9a-f-]{36}"), id);
        assertEquals(1, created.get("num_tables").asInt());
        assertEquals("complete", created.get("state").asText());
        Instant.parse(created.get("created_at").asText());

        JsonNode list = json("backup", "list", "shop");
        assertTrue(list.isArray());
        assertEquals(created, list.get(list.size() - 1));

        ok("execute", "shop", "--command", "DELETE FROM items WHERE qty > 2");
        String beforeRestore = bookmark("shop");

        Path download = files.resolve("download.sqlite3");
        JsonNode file = json("backup", "download", "shop", id, "--output", download.toString());
        assertEquals(Set.of("file", "bookmark", "size"), keys(file));
        assertEquals(Files.size(download), file.get("size").asLong());
        assertEquals(atBackup, items(download));
        assertEquals(List.of("items"), Oracle.tables(download), "a download holds the user's tables only");

        JsonNode restored = json("backup", "restore", "shop", id, "--yes");
        assertEquals(Set.of("bookmark", "previous_bookmark"), keys(restored));
        assertEquals(beforeRestore, restored.get("previous_bookmark").asText());
        assertEquals(atBackup, items(export("shop", null)));

        JsonNode deleted = json("backup", "delete", "shop", id);
        assertEquals(id, deleted.get("id").asText());
        for (JsonNode b : json("backup", "list", "shop")) {
            assertNotEquals(id, b.get("id").asText());
        }
        CliRun again = run("backup", "delete", "shop", id);
        assertEquals(1, again.status(), again::toString);
        assertTrue(again.err().contains("unknown backup id"), again::toString);
    }

    @Test
    void backupRestoreAsksLikeTimeTravelRestore() throws Exception {
        String id = json("backup", "create", "shop").get("id").asText();
        ok("execute", "shop", "--command", "DELETE FROM items");
        String bad = bookmark("shop");
        CliRun no = CliRun.answering("no\n", "--data-dir", data.toString(), "backup", "restore", "shop", id);
        assertEquals(1, no.status(), no::toString);
        assertEquals(bad, bookmark("shop"));
        CliRun yes = CliRun.answering("YES\n", "--data-dir", data.toString(), "backup", "restore", "shop", id);
        assertEquals(0, yes.status(), yes::toString);
        assertTrue(yes.out().contains("time-travel restore shop --bookmark " + bad + " --yes"), yes::toString);
        assertEquals(5, Oracle.count(export("shop", null), "items"));
    }

    // ---------------------------------------------------------------- export, fork, verify

    @Test
    void exportWritesThePlainStateAtAMomentAndNeverOverwrites() throws Exception {
        String good = bookmark("shop");
        List<List<Object>> expected = items(export("shop", good));
        ok("execute", "shop", "--command", "UPDATE items SET qty = 0");
        Path file = files.resolve("then.sqlite3");
        JsonNode doc = json("export", "shop", "--output", file.toString(), "--bookmark", good);
        assertEquals(good, doc.get("bookmark").asText());
        assertEquals(expected, items(file));
        long size = Files.size(file);

        CliRun again = run("export", "shop", "--output", file.toString());
        assertEquals(1, again.status(), again::toString);
        assertTrue(again.err().contains("exists"), again::toString);
        assertEquals(size, Files.size(file));
        assertEquals(expected, items(file));
    }

    @Test
    void forkMakesANewDatabaseWithTheStateAtTheBookmarkAndLeavesTheSourceAlone() throws Exception {
        String good = bookmark("shop");
        List<List<Object>> expected = items(export("shop", good));
        ok("execute", "shop", "--command", "DELETE FROM items WHERE id > 2");
        String source = bookmark("shop");
        JsonNode doc = json("fork", "shop", "copy", "--bookmark", good);
        assertEquals(Set.of("name", "from", "bookmark"), keys(doc));
        assertEquals(good, doc.get("from").asText());
        assertEquals(doc.get("bookmark").asText(), bookmark("copy"));
        assertEquals(expected, items(export("copy", null)));
        assertEquals(source, bookmark("shop"));
        ok("execute", "copy", "--command", "INSERT INTO items(name, qty) VALUES ('new', 1)");
        assertEquals(6, Oracle.count(export("copy", null), "items"));
        assertEquals(2, Oracle.count(export("shop", null), "items"));
    }

    @Test
    void verifyReportsAHealthyDatabaseAsOk() throws Exception {
        String good = bookmark("shop");
        ok("execute", "shop", "--command", "DELETE FROM items");
        json("time-travel", "restore", "shop", "--bookmark", good, "--yes");
        JsonNode doc = json("verify", "shop");
        assertEquals(Set.of("ok", "frames", "checkpoints", "problems"), keys(doc));
        assertTrue(doc.get("ok").asBoolean(), doc::toString);
        assertEquals(4, doc.get("frames").asLong());
        assertEquals(0, doc.get("problems").size());
        assertTrue(ok("verify", "shop").out().startsWith("OK: 'shop'"));
    }

    @Test
    void verifyReportsADamagedCheckpointAndExitsOne() throws Exception {
        String good = bookmark("shop");
        ok("execute", "shop", "--command", "DELETE FROM items");
        json("time-travel", "restore", "shop", "--bookmark", good, "--yes");
        Path ckpt;
        try (var list = Files.list(data.resolve("shop").resolve("checkpoints"))) {
            ckpt = list.filter(p -> p.getFileName().toString().endsWith(".ckpt")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(ckpt);
        bytes[bytes.length - 5] ^= 0x5a;
        Files.write(ckpt, bytes);
        CliRun r = run("verify", "shop", "--json");
        assertEquals(1, r.status(), r::toString);
        JsonNode doc = JSON.readTree(r.out());
        assertFalse(doc.get("ok").asBoolean(), r::toString);
        assertTrue(doc.get("problems").size() > 0, r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("chronolog: error: verify found"), r::toString);
    }

    // ---------------------------------------------------------------- another process holds the database

    @Test
    void mutatingVerbsOnAHeldDatabaseFailNamingTheHolderWhileReadingVerbsWork() throws Exception {
        String before = bookmark("shop");
        try (Database held = Database.open(data.resolve("shop"), Options.defaults().toBuilder().background(false).build())) {
            for (String[] args : List.of(
                    new String[] {"execute", "shop", "--command", "DELETE FROM items"},
                    new String[] {"time-travel", "restore", "shop", "--bookmark", before, "--yes"},
                    new String[] {"backup", "create", "shop"})) {
                CliRun r = run(args);
                assertEquals(1, r.status(), r::toString);
                assertEquals(1, r.errLines().size(), r::toString);
                assertTrue(r.err().contains("database shop is in use by process " + ProcessHandle.current().pid()), r::toString);
            }
            assertEquals(before, json("info", "shop").get("bookmark").asText());
            assertEquals(2, json("log", "shop").size());
            assertEquals(held.bookmark().toString(), before);
        }
        assertEquals(before, bookmark("shop"));
    }

    @Test
    void jsonFailuresLeaveStdoutEmpty() {
        CliRun r = run("time-travel", "restore", "shop", "--bookmark", "nope", "--yes", "--json");
        assertEquals(1, r.status(), r::toString);
        assertEquals("", r.out());
        assertEquals(1, r.errLines().size(), r::toString);
    }

    @Test
    void helpListsEveryVerbOfTheContract() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.status(), r::toString);
        for (String verb : List.of("create", "execute", "info", "log", "time-travel", "diff", "backup", "export", "fork", "verify", "demo")) {
            assertTrue(r.out().contains("  " + verb + " "), () -> verb + " missing from\n" + r.out());
        }
        CliRun verbHelp = CliRun.of("time-travel", "restore", "--help");
        assertEquals(0, verbHelp.status(), verbHelp::toString);
        assertTrue(verbHelp.out().contains("--dry-run"), verbHelp::toString);
    }
}
