package io.chronolog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.Database;
import io.chronolog.engine.ReadOnlyDatabase;
import io.chronolog.engine.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad inputs, one a row: each exits 1 (refused) or 2 (usage), prints exactly one line on stderr and
 * nothing on stdout, and leaves the database as it was (same bookmark, no new database directory).
 */
class BadInputTest {
    @org.junit.jupiter.api.io.TempDir
    static Path data;

    @org.junit.jupiter.api.io.TempDir
    static Path files;

    static String current;
    static String first;
    static String backupId;
    static Path existingFile;

    @BeforeAll
    static void shopWithHistoryAndABackup() throws Exception {
        try (Database db = Database.open(data.resolve("shop"), Options.defaults().toBuilder().background(false).build())) {
            first = db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)").bookmark().toString();
            db.execute("INSERT INTO items(name) VALUES ('a'), ('b'), ('c')");
            backupId = db.backups().create().id();
            current = db.execute("UPDATE items SET name = upper(name)").bookmark().toString();
        }
        existingFile = Files.writeString(files.resolve("exists.sqlite3"), "do not overwrite");
        Files.writeString(files.resolve("exists.tmp"), "do not overwrite");
    }

    /** Name, expected exit status, arguments (built after the fixture exists), and a text stderr must hold. */
    static Stream<Arguments> badInputs() {
        List<Arguments> rows = new ArrayList<>();
        // malformed and wrong bookmarks
        add(rows, "bookmark that is not one", 1, "malformed bookmark", () -> restore("--bookmark", "nonsense"));
        add(rows, "empty bookmark", 1, "malformed bookmark", () -> restore("--bookmark", ""));
        add(rows, "upper-case bookmark", 1, "upper-case", () -> restore("--bookmark", withHash("ABCDEF0123456789ABCDEF0123456789")));
        add(rows, "bookmark with whitespace", 1, "whitespace", () -> restore("--bookmark", " " + current));
        add(rows, "bookmark with a wrong hash", 1, "does not match", () -> restore("--bookmark", withHash("0123456789abcdef0123456789abcdef")));
        add(rows, "bookmark past the end of the log", 1, "does not have",
                () -> restore("--bookmark", "00000000-00000000-000000ff-" + current.substring(27)));
        add(rows, "bookmark of a checkpoint that does not exist", 1, "checkpoint",
                () -> restore("--bookmark", "00000000-00000007-00000001-" + current.substring(27)));
        add(rows, "bookmark of an epoch that does not exist", 1, "does not match",
                () -> restore("--bookmark", "00000009" + current.substring(8)));
        add(rows, "bookmark too short", 1, "wrong length", () -> restore("--bookmark", current.substring(0, 50)));
        // times
        add(rows, "time in the future", 1, "in the future", () -> restore("--timestamp", "4000000000"));
        add(rows, "RFC 3339 time in the future", 1, "in the future", () -> restore("--timestamp", "2999-01-01T00:00:00Z"));
        add(rows, "time before the database existed", 1, "before the history",
                () -> restore("--timestamp", Instant.now().minusSeconds(86_400).toString()));
        add(rows, "time before the retention window", 1, "retention", () -> restore("--timestamp", "1000000000"));
        add(rows, "malformed time", 1, "malformed time", () -> restore("--timestamp", "yesterday"));
        add(rows, "impossible date", 1, "malformed time", () -> restore("--timestamp", "2026-13-45T00:00:00Z"));
        add(rows, "date without a time", 1, "malformed time", () -> args("time-travel", "info", "shop", "--timestamp", "2026-11-22"));
        add(rows, "Unix seconds out of range", 1, "outside", () -> restore("--timestamp", "253402300800"));
        add(rows, "Unix seconds far out of range", 1, "malformed time", () -> restore("--timestamp", "99999999999999"));
        add(rows, "bad --since", 1, "malformed time", () -> args("log", "shop", "--since", "last tuesday"));
        add(rows, "diff from garbage", 1, "malformed", () -> args("diff", "shop", "--from", "garbage"));
        // names
        add(rows, "name with ..", 1, "bad database name", () -> args("create", "../x"));
        add(rows, "name that is a space", 1, "bad database name", () -> args("create", " "));
        add(rows, "name with a slash", 1, "bad database name", () -> args("create", "a/b"));
        add(rows, "name of 65 characters", 1, "bad database name", () -> args("create", "a".repeat(65)));
        add(rows, "empty name", 1, "bad database name", () -> args("create", ""));
        add(rows, "execute on a path-like name", 1, "bad database name", () -> args("execute", "../shop", "--command", "DELETE FROM items"));
        add(rows, "fork into a path-like name", 1, "bad database name", () -> args("fork", "shop", "../evil"));
        add(rows, "fork onto an existing database", 1, "already exists", () -> args("fork", "shop", "shop"));
        add(rows, "create an existing database", 1, "already exists", () -> args("create", "shop"));
        add(rows, "database that does not exist", 1, "no database named", () -> args("info", "nothere"));
        // backup ids
        add(rows, "unknown backup id", 1, "unknown backup id",
                () -> args("backup", "restore", "shop", "00000000-0000-4000-8000-000000000000", "--yes"));
        add(rows, "path-like backup id", 1, "malformed backup id", () -> args("backup", "download", "shop", "../../etc/passwd"));
        add(rows, "upper-case backup id", 1, "malformed backup id", () -> args("backup", "delete", "shop", backupId.toUpperCase()));
        add(rows, "empty backup id", 1, "malformed backup id", () -> args("backup", "restore", "shop", "", "--yes"));
        add(rows, "download over an existing file", 1, "exists",
                () -> args("backup", "download", "shop", backupId, "--output", existingFile.toString()));
        // usage
        add(rows, "unknown flag", 2, "usage error", () -> args("info", "shop", "--frobnicate"));
        add(rows, "unknown verb", 2, "usage error", () -> args("frobnicate", "shop"));
        add(rows, "missing verb under time-travel", 2, "usage error", () -> args("time-travel"));
        add(rows, "restore without a target", 2, "usage error", () -> args("time-travel", "restore", "shop", "--yes"));
        add(rows, "restore with both targets", 2, "mutually exclusive", () -> restore("--bookmark", current, "--timestamp", "1700000000"));
        add(rows, "export without --output", 2, "--output", () -> args("export", "shop"));
        add(rows, "execute without SQL", 2, "usage error", () -> args("execute", "shop"));
        add(rows, "diff without --from", 2, "--from", () -> args("diff", "shop"));
        add(rows, "--limit 0", 2, "--limit", () -> args("log", "shop", "--limit", "0"));
        add(rows, "--limit not a number", 2, "usage error", () -> args("log", "shop", "--limit", "ten"));
        add(rows, "missing backup id", 2, "usage error", () -> args("backup", "restore", "shop", "--yes"));
        // files and SQL
        add(rows, "missing --file", 1, "no such file", () -> args("execute", "shop", "--file", files.resolve("missing.sql").toString()));
        add(rows, "--output that exists", 1, "exists", () -> args("export", "shop", "--output", existingFile.toString()));
        add(rows, "empty SQL", 1, "no SQL statement", () -> args("execute", "shop", "--command", " -- nothing\n"));
        add(rows, "SQL error", 1, "no_such_table", () -> args("execute", "shop", "--command", "DELETE FROM no_such_table"));
        add(rows, "refused statement", 1, "PRAGMA", () -> args("execute", "shop", "--command", "PRAGMA journal_mode = DELETE"));
        add(rows, "restore without --yes and no terminal", 1, "add --yes", () -> restore("--bookmark", first));
        // found by the generated corpus (BadInputCorpusTest)
        add(rows, "name with a terminal escape", 1, "\\u001B[31m", () -> args("create", "a\u001b[31mred"));
        add(rows, "bookmark with a NUL", 1, "\\u0000", () -> restore("--bookmark", current.substring(0, 30) + "\0" + current.substring(31)));
        add(rows, "SQL with a NUL", 1, "NUL character", () -> args("execute", "shop", "--command", "DELETE FROM items WHERE id = 9\0; DELETE FROM items"));
        add(rows, "SQL with an unpaired surrogate", 1, "unpaired", () -> args("execute", "shop", "--command", "INSERT INTO items(name) VALUES ('\uD800')"));
        add(rows, "--output in a missing directory", 1, "does not exist",
                () -> args("export", "shop", "--output", files.resolve("no/such/dir/x.sqlite3").toString()));
        add(rows, "download into a missing directory", 1, "does not exist",
                () -> args("backup", "download", "shop", backupId, "--output", files.resolve("missing/x.sqlite3").toString()));
        add(rows, "--output whose staging file exists", 1, "staged",
                () -> args("export", "shop", "--output", existingFile.resolveSibling("exists").toString()));
        return rows.stream();
    }

    private static void add(List<Arguments> rows, String name, int status, String says, Supplier<String[]> args) {
        rows.add(Arguments.of(name, status, says, args));
    }

    private static String[] args(String... args) {
        return args;
    }

    private static String[] restore(String... more) {
        String[] all = new String[3 + more.length];
        all[0] = "time-travel";
        all[1] = "restore";
        all[2] = "shop";
        System.arraycopy(more, 0, all, 3, more.length);
        return all;
    }

    private static String withHash(String hash) {
        return current.substring(0, 27) + hash;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputExitsNonZeroWithOneLineAndChangesNothing(String name, int status, String says, Supplier<String[]> args)
            throws Exception {
        Set<String> databasesBefore = databases();
        String[] given = args.get();
        String[] all = new String[given.length + 2];
        all[0] = "--data-dir";
        all[1] = data.toString();
        System.arraycopy(given, 0, all, 2, given.length);
        CliRun r = CliRun.of(all);
        assertEquals(status, r.status(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("chronolog: "), r::toString);
        assertTrue(r.err().contains(says), () -> "stderr should say '" + says + "': " + r);
        assertEquals("", r.out(), r::toString);
        assertEquals(databasesBefore, databases());
        try (ReadOnlyDatabase db = Database.openReadOnly(data.resolve("shop"), Options.defaults())) {
            assertEquals(current, db.bookmark().toString(), "the database changed");
            assertEquals(1, db.backups().list().size());
        }
        assertEquals("do not overwrite", Files.readString(existingFile));
        assertEquals("do not overwrite", Files.readString(files.resolve("exists.tmp")));
        try (var list = Files.list(files)) {
            assertEquals(List.of("exists.sqlite3", "exists.tmp"), list.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    private static Set<String> databases() throws Exception {
        Set<String> names = new TreeSet<>();
        try (var list = Files.list(data)) {
            list.forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }
}
