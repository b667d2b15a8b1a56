package io.chronolog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chronolog.engine.internal.archive.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive verbs in-process, against a real S3 server (s3proxy on 127.0.0.1) and a
 * {@code file://} archive: enable, sync, status, list, verify, restore as a fork at a bookmark and as
 * the archive's writer after the database's directory is deleted, backups from the archive alone,
 * disable. Every restored or downloaded state is read with plain sqlite-jdbc.
 */
class ArchiveVerbsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static S3Server server;
    private static Path serverDir;

    @TempDir
    Path data;

    @TempDir
    Path files;

    private String bucket;

    @BeforeAll
    static void startServer() throws Exception {
        serverDir = Files.createTempDirectory("chronolog-cli-s3");
        server = S3Server.start(serverDir);
        S3Server.useCredentialsInThisJvm();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        deleteTree(serverDir);
    }

    @BeforeEach
    void shopWithFiveItems() {
        bucket = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        server.createBucket(bucket);
        ok("create", "shop");
        ok("execute", "shop", "--command", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER)");
        ok("execute", "shop", "--command", "INSERT INTO items(name, qty) VALUES ('apple', 3), ('pear', 5), ('plum', 7), ('fig', 1), ('kiwi', 2)");
    }

    // ---------------------------------------------------------------- helpers

    private String s3Url() {
        return "s3://" + bucket + "/prod";
    }

    /** {@code --url URL} and how to reach this server. */
    private String[] s3() {
        return new String[] {"--url", s3Url(), "--endpoint", server.endpoint().toString(), "--region", "us-east-1", "--path-style"};
    }

    private static String[] with(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private static String[] verb(String[] location, String... args) {
        return with(args, location);
    }

    CliRun run(String... args) {
        return CliRun.of(with(new String[] {"--data-dir", data.toString()}, args));
    }

    CliRun ok(String... args) {
        CliRun r = run(args);
        assertEquals(0, r.status(), r::toString);
        return r;
    }

    JsonNode json(String... args) throws Exception {
        CliRun r = ok(with(args, "--json"));
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

    Path export(String db) throws Exception {
        Path file = files.resolve(UUID.randomUUID() + ".sqlite3");
        json("export", db, "--output", file.toString());
        return file;
    }

    static List<List<Object>> items(Path file) {
        return Oracle.rows(file, "SELECT id, name, qty FROM items ORDER BY id");
    }

    static Set<String> keys(JsonNode node) {
        Set<String> keys = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    // ---------------------------------------------------------------- S3

    @Test
    void theWholeLifeOfAnArchiveOnS3() throws Exception {
        Path fiveItems = export("shop");
        String atFive = bookmark("shop");

        JsonNode enabled = json(verb(s3(), "archive", "enable", "shop", "--lag", "100ms"));
        assertEquals(Set.of("name", "url", "archived", "lag_frames", "lag_bytes", "lag_seconds", "objects", "bytes_stored",
                "unarchived_local_bytes", "last_error", "fenced", "writer"), keys(enabled));
        assertEquals(atFive, enabled.get("archived").asText(), "enable ships the whole history before it returns");
        assertEquals(0, enabled.get("lag_frames").asLong());
        assertTrue(enabled.get("objects").asLong() > 0, enabled.toString());
        assertTrue(Files.exists(data.resolve("shop").resolve("archive.settings")));

        ok("execute", "shop", "--command", "UPDATE items SET qty = qty * 10 WHERE name = 'pear'");
        ok("execute", "shop", "--command", "INSERT INTO items(name, qty) VALUES ('lime', 9)");
        json("backup", "create", "shop");
        String newest = bookmark("shop");
        JsonNode synced = json("archive", "sync", "shop", "--timeout", "60s");
        assertEquals(newest, synced.get("archived").asText());
        assertEquals(0, synced.get("lag_frames").asLong());
        assertFalse(synced.get("fenced").asBoolean());
        assertTrue(synced.get("last_error").isNull(), synced.toString());

        JsonNode status = json("archive", "status", "shop");
        assertEquals(s3Url(), status.get("url").asText());
        assertFalse(status.get("fenced").asBoolean());
        CliRun table = ok("archive", "status", "shop");
        assertTrue(table.out().contains("archived up to") && table.out().contains("fenced"), table::toString);

        JsonNode list = json(verb(s3(), "archive", "list"));
        assertEquals(1, list.size(), list.toString());
        assertEquals("shop", list.get(0).get("name").asText());
        assertEquals(newest, list.get(0).get("last_bookmark").asText());
        assertEquals(1, list.get(0).get("backups").asInt());
        assertEquals(4, list.get(0).get("frames").asLong(), list.toString()); // create table, insert, update, insert
        assertTrue(ok(verb(s3(), "archive", "list")).out().contains("shop"));

        JsonNode verified = json(verb(s3(), "archive", "verify", "shop"));
        assertTrue(verified.get("ok").asBoolean(), verified.toString());
        assertEquals(0, verified.get("problems").size());
        assertTrue(verified.get("segments").asLong() > 0, verified.toString());
        try (Stream<Path> left = Files.list(data)) {
            assertEquals(List.of("shop"), left.map(p -> p.getFileName().toString()).toList(), "verify leaves no scratch behind");
        }

        // backups from the archive alone
        Path expectedNow = export("shop");
        JsonNode backups = json(verb(s3(), "backup", "list", "shop"));
        assertEquals(1, backups.size(), backups.toString());
        String id = backups.get(0).get("id").asText();
        Path downloaded = files.resolve("from-archive.sqlite3");
        JsonNode dl = json(verb(s3(), "backup", "download", "shop", id, "--output", downloaded.toString()));
        assertEquals(downloaded.toString(), dl.get("file").asText());
        assertEquals(items(expectedNow), items(downloaded));
        assertEquals(6, Oracle.count(downloaded, "items"));
        assertEquals(1, run(verb(s3(), "backup", "download", "shop", "nosuchbackup", "--output", files.resolve("x").toString())).status());

        // a fork at the bookmark of five items
        JsonNode dry = json(verb(s3(), "archive", "restore", "shop", "--as", "old", "--bookmark", atFive, "--dry-run"));
        assertTrue(dry.get("dry_run").asBoolean());
        assertFalse(Files.exists(data.resolve("old")), "a dry run writes nothing");
        JsonNode fork = json(verb(s3(), "archive", "restore", "shop", "--as", "old", "--bookmark", atFive));
        assertEquals(atFive, fork.get("bookmark").asText());
        assertFalse(fork.get("takeover").asBoolean());
        assertEquals(items(fiveItems), items(export("old")));
        assertEquals(1, run("archive", "status", "old").status(), "a fork does not ship");

        // the machine is lost: the directory goes, the archive brings it back as its writer
        deleteTree(data.resolve("shop"));
        CliRun refused = run(verb(s3(), "archive", "restore", "shop"));
        assertEquals(1, refused.status(), refused::toString);
        assertTrue(refused.err().contains("--yes"), refused::toString);
        assertFalse(Files.exists(data.resolve("shop")), "a refused takeover writes nothing");
        JsonNode taken = json(verb(s3(), "archive", "restore", "shop", "--yes"));
        assertTrue(taken.get("takeover").asBoolean(), taken.toString());
        assertEquals(newest, taken.get("bookmark").asText());
        assertEquals(items(expectedNow), items(export("shop")));
        ok("execute", "shop", "--command", "INSERT INTO items(name, qty) VALUES ('date', 4)");
        String afterTakeover = bookmark("shop");
        assertEquals(afterTakeover, json("archive", "sync", "shop").get("archived").asText(), "the restored database ships");

        CliRun again = run(verb(s3(), "archive", "restore", "shop", "--yes"));
        assertEquals(1, again.status(), again::toString);
        assertEquals(1, again.errLines().size(), again::toString);
        assertTrue(again.err().contains("exists and is not empty"), again::toString);

        JsonNode disabled = json("archive", "disable", "shop");
        assertTrue(disabled.get("disabled").asBoolean());
        assertFalse(Files.exists(data.resolve("shop").resolve("archive.settings")));
        CliRun none = run("archive", "status", "shop");
        assertEquals(1, none.status(), none::toString);
        assertTrue(none.err().contains("has no archive"), none::toString);
        assertFalse(json("archive", "disable", "shop").get("disabled").asBoolean());
        assertEquals(afterTakeover, json(verb(s3(), "archive", "list")).get(0).get("last_bookmark").asText(),
                "the archive keeps what it holds");
    }

    @Test
    void anUnknownBucketIsOneLineAndChangesNothing() {
        String[] location = {"--url", "s3://no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8) + "/prod",
            "--endpoint", server.endpoint().toString(), "--region", "us-east-1", "--path-style"};
        CliRun r = run(verb(location, "archive", "enable", "shop"));
        assertEquals(1, r.status(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("chronolog: error: "), r::toString);
        assertTrue(r.err().contains("no-such-bucket"), r::toString);
        assertEquals("", r.out());
        assertFalse(Files.exists(data.resolve("shop").resolve("archive.settings")), "nothing written");
        assertEquals(1, run("archive", "sync", "shop").status());
    }

    @Test
    void badInputIsRefusedBeforeAnythingHappens() {
        CliRun lag = run(verb(s3(), "archive", "enable", "shop", "--lag", "soon"));
        assertEquals(2, lag.status(), lag::toString);
        assertTrue(lag.err().contains("500ms, 1s, 30m"), lag::toString);
        CliRun tooLong = run(verb(s3(), "archive", "enable", "shop", "--lag", "2h"));
        assertEquals(1, tooLong.status(), tooLong::toString);
        assertTrue(tooLong.err().contains("--lag"), tooLong::toString);
        CliRun url = run("archive", "list", "--url", "http://example.com/x");
        assertEquals(1, url.status(), url::toString);
        assertTrue(url.err().contains("s3://BUCKET"), url::toString);
        CliRun both = run(verb(s3(), "archive", "list", "--key-file", "k", "--key-env", "K"));
        assertEquals(2, both.status(), both::toString);
        CliRun missing = run("archive", "enable", "nosuch", "--url", "file:///tmp/x");
        assertEquals(1, missing.status(), missing::toString);
        assertTrue(missing.err().contains("no database named 'nosuch'"), missing::toString);
        assertFalse(Files.exists(data.resolve("nosuch")));
        CliRun badName = run(verb(s3(), "archive", "restore", "../etc", "--as", "x"));
        assertEquals(1, badName.status(), badName::toString);
        assertEquals(1, run("archive", "keygen", "--id", "0").status());
    }

    // ---------------------------------------------------------------- file://

    @Test
    void aFileArchiveNeedsNoServer() throws Exception {
        Path archiveDir = Files.createDirectories(files.resolve("archive"));
        String url = archiveDir.toUri().toString();
        Path fiveItems = export("shop");
        String atFive = bookmark("shop");
        JsonNode enabled = json("archive", "enable", "shop", "--url", url);
        assertEquals(atFive, enabled.get("archived").asText());
        ok("execute", "shop", "--command", "DELETE FROM items WHERE qty < 3");
        assertEquals(bookmark("shop"), json("archive", "sync", "shop").get("archived").asText());
        Path now = export("shop");

        assertEquals(items(fiveItems), items(export(restoredAs(url, "five", atFive))));
        assertTrue(json("archive", "verify", "shop", "--url", url).get("ok").asBoolean());

        deleteTree(data.resolve("shop"));
        CliRun taken = ok("archive", "restore", "shop", "--url", url, "--yes");
        assertTrue(taken.out().contains("archive's writer"), taken::toString);
        assertEquals(items(now), items(export("shop")));
    }

    private String restoredAs(String url, String as, String bookmark) throws Exception {
        JsonNode fork = json("archive", "restore", "shop", "--url", url, "--as", as, "--bookmark", bookmark);
        assertEquals(bookmark, fork.get("bookmark").asText());
        return as;
    }

    @Test
    void anEncryptedArchiveNeedsItsKeys() throws Exception {
        CliRun gen = ok("archive", "keygen", "--id", "7");
        String line = gen.out().strip();
        assertTrue(line.matches("7:[A-Za-z0-9+/]{43}="), line);
        assertNotEquals(line, ok("archive", "keygen", "--id", "7").out().strip(), "every key is new");
        Path keys = files.resolve("archive.keys");
        Files.createFile(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keys, line + "\n");

        Path archiveDir = Files.createDirectories(files.resolve("sealed"));
        String url = archiveDir.toUri().toString();
        Path now = export("shop");
        json("archive", "enable", "shop", "--url", url, "--key-file", keys.toString());
        CliRun without = run("archive", "verify", "shop", "--url", url);
        assertNotEquals(0, without.status(), without::toString);
        assertTrue(json("archive", "verify", "shop", "--url", url, "--key-file", keys.toString()).get("ok").asBoolean());
        json("archive", "restore", "shop", "--url", url, "--key-file", keys.toString(), "--as", "copy");
        assertEquals(items(now), items(export("copy")));
    }
}
