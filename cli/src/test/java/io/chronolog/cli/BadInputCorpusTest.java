package io.chronolog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.BadInputs;
import io.chronolog.engine.BadInputs.BadInput;
import io.chronolog.engine.BadInputs.Kind;
import io.chronolog.engine.BackupInfo;
import io.chronolog.engine.Database;
import io.chronolog.engine.Options;
import io.chronolog.engine.Row;
import io.chronolog.engine.CheckpointInfo;
import io.chronolog.engine.ReadOnlyDatabase;
import io.chronolog.engine.PrintableText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds the seeded bad-input corpus ({@link BadInputs}, shared with the engine's corpus test) and
 * failing SQL to {@code chronolog}, in process, against one database with history and a backup.
 * Every run must exit 1 with exactly one line on stderr that names what was wrong and carries no
 * stack trace, print nothing on stdout (with or without {@code --json}), and change nothing: the
 * bookmark, the rows (against a plain SQLite oracle that ran the same writes), checkpoints,
 * backups, the database's files, the set of databases and the output directory stay as they were.
 * {@link BadInputTest} holds the hand-written cases; this one holds the generated ones.
 *
 * <p>{@code -Dchronolog.badinput.seed=S} replays a run; {@code -Dchronolog.soak=true} makes twenty
 * times as many inputs. The summary goes to {@code target/reliability/bad-input-cli.txt}.
 */
class BadInputCorpusTest {
    static final long SEED = BadInputs.seed();
    static final List<String> ORACLE_QUERIES = List.of("SELECT rowid, * FROM items ORDER BY rowid",
            "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE '\\_chronolog\\_%' ESCAPE '\\' ORDER BY name");

    @TempDir
    static Path data;
    @TempDir
    static Path files;

    static Path oracle;
    static Instant firstWrite;
    static String current;
    static String backupId;
    static String fingerprint;
    static final Map<Kind, int[]> tally = new EnumMap<>(Kind.class);
    static int changed;
    static int jsonRuns;

    @BeforeAll
    static void shopWithHistoryAndABackup() throws Exception {
        System.out.println("bad-input corpus (CLI): seed " + SEED + " (rerun with -Dchronolog.badinput.seed=" + SEED + ")");
        oracle = files.getParent().resolve(files.getFileName() + "-oracle.sqlite3");
        List<String> writes = List.of(
                "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER CHECK (qty >= 0))",
                "INSERT INTO items(name, qty) VALUES ('a', 1), ('b', 2), ('c', 3)",
                "UPDATE items SET qty = qty * 10 WHERE name = 'b'");
        firstWrite = Instant.now();
        try (Database db = Database.open(data.resolve("shop"), Options.defaults().toBuilder().background(false).build());
             Connection plain = DriverManager.getConnection("jdbc:sqlite:" + oracle)) {
            for (String sql : writes) {
                current = db.execute(sql).bookmark().toString();
                plain.createStatement().execute(sql);
                if (sql.startsWith("INSERT")) {
                    backupId = db.backups().create().id();
                }
            }
        }
        fingerprint = fingerprint();
    }

    @AfterAll
    static void summary() throws IOException {
        StringBuilder line = new StringBuilder("bad-input corpus (CLI) seed=" + SEED + ":");
        int tried = 0;
        int clear = 0;
        for (Map.Entry<Kind, int[]> e : tally.entrySet()) {
            line.append(' ').append(e.getKey().name().toLowerCase().replace('_', '-')).append('=').append(e.getValue()[0]);
            tried += e.getValue()[0];
            clear += e.getValue()[1];
        }
        line.append(" | tried=").append(tried).append(" (--json ").append(jsonRuns).append(") clear-errors=").append(clear)
                .append(" unclear=").append(tried - clear - changed).append(" changed=").append(changed);
        System.out.println(line);
        Path report = Path.of("target", "reliability", "bad-input-cli.txt");
        Files.createDirectories(report.getParent());
        Files.writeString(report, line + System.lineSeparator());
    }

    @Test
    void malformedAndMismatchingBookmarksExitOneWithOneLine() {
        BadInputs gen = new BadInputs(SEED);
        for (BadInput in : gen.bookmarks(current, BadInputs.scaled(60))) {
            String b = in.text();
            String out = files.resolve("export.sqlite3").toString();
            expectRefusal(gen, in, gen.pick(List.of(
                    new String[] {"time-travel", "restore", "--yes", "--bookmark=" + b, "--", "shop"},
                    new String[] {"time-travel", "restore", "--dry-run", "--bookmark=" + b, "--", "shop"},
                    new String[] {"export", "--output", out, "--bookmark=" + b, "--", "shop"},
                    new String[] {"fork", "--bookmark=" + b, "--", "shop", "forked"},
                    new String[] {"diff", "--from=" + b, "--", "shop"},
                    new String[] {"diff", "--from=" + current, "--to=" + b, "--", "shop"})));
        }
    }

    @Test
    void timesNoBookmarkAnswersExitOneWithOneLine() {
        BadInputs gen = new BadInputs(SEED + 1);
        for (BadInput in : gen.times(firstWrite, Instant.now(), Duration.ofDays(30), BadInputs.scaled(60))) {
            String t = in.text();
            expectRefusal(gen, in, gen.pick(List.of(
                    new String[] {"time-travel", "info", "--timestamp=" + t, "--", "shop"},
                    new String[] {"time-travel", "restore", "--yes", "--timestamp=" + t, "--", "shop"},
                    new String[] {"export", "--output", files.resolve("export.sqlite3").toString(), "--timestamp=" + t, "--", "shop"},
                    new String[] {"fork", "--timestamp=" + t, "--", "shop", "forked"},
                    new String[] {"diff", "--to=" + t, "--from=" + current, "--", "shop"})));
        }
    }

    @Test
    void invalidDatabaseNamesExitOneWithOneLine() {
        BadInputs gen = new BadInputs(SEED + 2);
        for (BadInput in : gen.names(BadInputs.scaled(60))) {
            String n = in.text();
            expectRefusal(gen, in, gen.pick(List.of(
                    new String[] {"create", "--", n},
                    new String[] {"info", "--", n},
                    new String[] {"execute", "--command=DELETE FROM items", "--", n},
                    new String[] {"fork", "--", "shop", n},
                    new String[] {"fork", "--", n, "forked"},
                    new String[] {"backup", "create", "--", n},
                    new String[] {"time-travel", "restore", "--yes", "--bookmark=" + current, "--", n},
                    new String[] {"verify", "--", n})));
        }
    }

    @Test
    void unknownAndMalformedBackupIdsExitOneWithOneLine() {
        BadInputs gen = new BadInputs(SEED + 3);
        for (BadInput in : gen.backupIds(backupId, BadInputs.scaled(40))) {
            String id = in.text();
            expectRefusal(gen, in, gen.pick(List.of(
                    new String[] {"backup", "restore", "--yes", "--", "shop", id},
                    new String[] {"backup", "delete", "--", "shop", id},
                    new String[] {"backup", "download", "--output", files.resolve("download.sqlite3").toString(), "--", "shop", id})));
        }
    }

    @Test
    void failingSqlExitsOneNamingTheStatement() {
        BadInputs gen = new BadInputs(SEED + 4);
        int rounds = BadInputs.scaled(2);
        for (int round = 0; round < rounds; round++) {
            int n = gen.nextInt(1000);
            List<String[]> cases = new ArrayList<>();
            cases.add(sql("oversized SQL", "INSERT INTO items(name, qty) VALUES ('" + "x".repeat(100_000) + n + "', 1)"));
            cases.add(sql("oversized row built by SQLite", "INSERT INTO items(name, qty) VALUES (hex(zeroblob(" + (2_000_001 + n) + ")), 1)"));
            cases.add(sql("oversized value built by SQLite", "UPDATE items SET name = printf('%.*c', " + (4_000_001 + n) + ", 'x')"));
            cases.add(sql("syntax error", gen.pick(List.of("INSRT INTO items(name) VALUES ('a')", "UPDATE items SET WHERE id = 1",
                    "DELETE items", "INSERT INTO items(name) VALUES ('unclosed)", "CREATE TABLE (x)"))));
            cases.add(sql("missing table", "DELETE FROM missing_" + n));
            cases.add(sql("missing column", "UPDATE items SET nope_" + n + " = 1"));
            cases.add(sql("unique constraint", "INSERT INTO items(name, qty) VALUES ('" + gen.pick(List.of("a", "b", "c")) + "', " + n + ")"));
            cases.add(sql("not-null constraint", "INSERT INTO items(name, qty) VALUES (NULL, " + n + ")"));
            cases.add(sql("check constraint", "UPDATE items SET qty = -1 - " + n));
            cases.add(sql("control characters", "DELETE FROM items WHERE name = 'a' \u001b[2J" + n));
            cases.add(sql("NUL", "DELETE FROM items WHERE name = 'zz" + n + "'\0; DELETE FROM items"));
            cases.add(sql("unpaired surrogate", "INSERT INTO items(name, qty) VALUES ('\uD800" + n + "', 1)"));
            cases.add(new String[] {"batch whose last statement fails", "INSERT INTO nowhere_" + n,
                "INSERT INTO items(name, qty) VALUES ('fresh" + n + "', 1); DELETE FROM items; INSERT INTO nowhere_" + n + " VALUES (1)"});
            for (String[] c : cases) {
                expectRefusal(gen, new BadInput(Kind.SQL, c[0], c[1]), new String[] {"execute", "--command=" + c[2], "--", "shop"});
            }
        }
    }

    private static String[] sql(String mutation, String sql) {
        String flat = sql.strip().replaceAll("\\s+", " ");
        return new String[] {mutation, PrintableText.of(flat.length() > 40 ? flat.substring(0, 40) : flat), sql};
    }

    /**
     * Runs {@code chronolog --data-dir DATA <args>} (with {@code --json} half the time) and checks the
     * refusal: exit 1, one line on stderr naming the input's kind, nothing on stdout, nothing changed.
     */
    private static void expectRefusal(BadInputs gen, BadInput in, String[] args) {
        int[] counts = tally.computeIfAbsent(in.kind(), k -> new int[2]);
        counts[0]++;
        boolean json = gen.nextInt(2) == 0;
        List<String> all = new ArrayList<>(List.of("--data-dir", data.toString()));
        int end = List.of(args).indexOf("--");
        for (int i = 0; i < args.length; i++) {
            if (i == end && json) {
                all.add("--json");
            }
            all.add(args[i]);
        }
        if (json) {
            jsonRuns++;
        }
        CliRun r = CliRun.of(all.toArray(String[]::new));
        String what = in + " via " + BadInputs.escaped(String.join(" ", args).replace(in.text().isEmpty() ? "\0" : in.text(), "<input>"))
                + (json ? " --json" : "") + " (seed " + SEED + ")\n" + r;
        assertEquals(1, r.status(), what);
        assertEquals(1, r.errLines().size(), what);
        String err = r.err().strip();
        assertTrue(err.startsWith("chronolog: error: "), what);
        assertTrue(err.chars().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT),
                () -> "stderr holds an unescaped control character: " + what);
        assertTrue(!err.contains("Exception") && !err.contains("\tat "), () -> "stderr shows an exception: " + what);
        String word = in.kind() == Kind.SQL ? in.text() : in.kind().word();
        boolean either = args[0].equals("diff") && (in.kind() == Kind.BOOKMARK || in.kind() == Kind.TIME);
        String lower = err.toLowerCase();
        // errors quote a statement as the engine abbreviates it: trimmed, blanks collapsed, control characters escaped
        String quoted = PrintableText.of(word.strip().replaceAll("\\s+", " ")).toLowerCase();
        assertTrue(lower.contains(word.toLowerCase()) || lower.contains(quoted) || either && (lower.contains("bookmark") || lower.contains("time")),
                () -> "stderr does not mention '" + word + "': " + what);
        assertEquals("", r.out(), what);
        String now = fingerprint();
        if (!fingerprint.equals(now)) {
            changed++;
        }
        assertEquals(fingerprint, now, "the database changed: " + what);
        counts[1]++;
    }

    /**
     * The databases in the data directory, the output directory's files, and of {@code shop}: its
     * bookmark, rows (checked against the oracle), checkpoints, backups, and files with their sizes
     * (the log's preallocated files and SQLite's -wal/-shm by name only).
     */
    static String fingerprint() {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> dbs = Files.list(data); Stream<Path> out = Files.list(files)) {
            b.append("databases ").append(dbs.map(p -> p.getFileName().toString()).sorted().toList()).append('\n');
            b.append("outputs ").append(out.map(p -> p.getFileName().toString()).sorted().toList()).append('\n');
            Path shop = data.resolve("shop");
            Map<String, Long> sizes = new TreeMap<>();
            try (Stream<Path> s = Files.walk(shop)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    String rel = shop.relativize(p).toString();
                    if (rel.endsWith("-wal") || rel.endsWith("-shm")) {
                        continue;
                    }
                    // the log's files are preallocated; the live file's size depends on when its WAL was copied back
                    sizes.put(rel, rel.startsWith("wal/") || rel.equals("live.sqlite3") ? -1 : Files.size(p));
                }
            }
            b.append(sizes).append('\n');
            try (ReadOnlyDatabase db = Database.openReadOnly(shop, Options.defaults())) {
                b.append(db.bookmark()).append('\n');
                for (CheckpointInfo m : db.checkpoints()) {
                    b.append("checkpoint ").append(m.number()).append('@').append(m.position()).append(' ')
                            .append(m.kind()).append(' ').append(m.compressedBytes()).append('\n');
                }
                for (BackupInfo i : db.backups().list()) {
                    b.append("backup ").append(i.id()).append(' ').append(i.bookmark()).append('\n');
                }
                for (String q : ORACLE_QUERIES) {
                    List<List<Object>> rows = new ArrayList<>();
                    for (Row row : db.query(q)) {
                        List<Object> values = new ArrayList<>();
                        for (int i = 0; i < row.size(); i++) {
                            values.add(row.get(i));
                        }
                        rows.add(values);
                    }
                    assertEquals(Oracle.rows(oracle, q), rows, "the database differs from the oracle: " + q);
                    b.append(rows).append('\n');
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot take the fingerprint: " + e, e);
        }
        return b.toString();
    }
}
