package io.chronolog.engine;

import io.chronolog.engine.internal.directory.DatabaseDirectory;

import io.chronolog.engine.internal.live.LiveDatabase;
import io.chronolog.engine.internal.sql.StatementRunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.chronolog.engine.BadInputs.BadInput;
import io.chronolog.engine.BadInputs.Kind;
import io.chronolog.snapshot.CheckpointMeta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds a seeded corpus of bad inputs ({@link BadInputs}, plus SQL over the limits or failing in
 * SQLite) to the embedded API of one database with history, a checkpoint and a backup. Each input
 * must end in a precise exception whose one-line message names what was wrong, and must change
 * nothing: the bookmark, the rows (against a plain SQLite oracle that ran the same writes), the
 * checkpoints, the backups and the files stay as they were.
 *
 * <p>{@code -Dchronolog.badinput.seed=S} replays a run; {@code -Dchronolog.soak=true} makes twenty
 * times as many inputs. The summary goes to {@code target/reliability/bad-input-api.txt}.
 */
class BadInputCorpusTest {
    static final long SEED = BadInputs.seed();
    static final Instant START = Instant.parse("2026-03-01T09:00:00Z");
    static final Duration RETENTION = Duration.ofDays(30);

    @TempDir
    static Path data;
    @TempDir
    static Path outside;
    @TempDir
    static Path scratch;

    static MutableClock clock;
    static Options options;
    static Database db;
    static Path dir;
    static final List<List<Statement>> written = new ArrayList<>();
    static Map<String, List<String>> expectedRows;
    static String fingerprint;
    static Bookmark real;
    static Bookmark firstBookmark;
    static String backupId;
    static final Map<Kind, int[]> tally = new EnumMap<>(Kind.class);
    static int changed;

    @BeforeAll
    static void databaseWithHistoryACheckpointAndABackup() throws Exception {
        System.out.println("bad-input corpus (API): seed " + SEED + " (rerun with -Dchronolog.badinput.seed=" + SEED + ")");
        clock = new MutableClock(START);
        options = Options.defaults().toBuilder().background(false).clock(clock).nanoTime(clock::nanoTime).retention(RETENTION)
                .maxSqlBytes(4_000).maxValueBytes(2_000).maxRowBytes(8_000).maxParameters(20).maxBatchStatements(30).build();
        dir = data.resolve("corpus");
        db = Database.open(dir, options);
        write("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER CHECK (qty >= 0))");
        write("CREATE TABLE typed (k INTEGER PRIMARY KEY, v TEXT) STRICT");
        write("CREATE TABLE orders (id INTEGER PRIMARY KEY, item INTEGER NOT NULL REFERENCES items(id))");
        firstBookmark = db.bookmark();
        for (int day = 1; day <= 10; day++) {
            clock.advance(Duration.ofDays(1));
            write("INSERT INTO items(name, qty) VALUES (?, ?)", "item" + day, (long) day);
            write("INSERT INTO typed(v) VALUES (?)", "v" + day);
            if (day == 5) {
                db.checkpoint();
                backupId = db.backups().create().id();
            }
        }
        write("UPDATE items SET qty = qty + 1 WHERE id % 2 = 0");
        real = db.bookmark();
        expectedRows = Oracle.after(written);
        fingerprint = fingerprint();
        assertEquals(expectedRows, SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)), "the fixture differs from the oracle");
    }

    private static void write(String sql, Object... params) {
        db.execute(sql, params);
        written.add(List.of(Statement.of(sql, params)));
    }

    @AfterAll
    static void summary() throws IOException {
        if (db != null) {
            db.close();
        }
        StringBuilder line = new StringBuilder("bad-input corpus (API) seed=" + SEED + ":");
        int tried = 0;
        int clear = 0;
        for (Map.Entry<Kind, int[]> e : tally.entrySet()) {
            line.append(' ').append(e.getKey().name().toLowerCase().replace('_', '-')).append('=').append(e.getValue()[0]);
            tried += e.getValue()[0];
            clear += e.getValue()[1];
        }
        line.append(" | tried=").append(tried).append(" clear-errors=").append(clear).append(" unclear=").append(tried - clear - changed)
                .append(" changed=").append(changed);
        System.out.println(line);
        Path report = Path.of("target", "reliability", "bad-input-api.txt");
        Files.createDirectories(report.getParent());
        Files.writeString(report, line + System.lineSeparator());
    }

    @Test
    void malformedAndMismatchingBookmarksAreRefusedAndChangeNothing() {
        BadInputs gen = new BadInputs(SEED);
        for (BadInput in : gen.bookmarks(real.toString(), BadInputs.scaled(150))) {
            expectRefusal(in, List.of(MalformedBookmarkException.class, BookmarkException.class), () -> {
                Bookmark b = Bookmark.parse(in.text());
                Path out = outside.resolve("export-" + gen.nextInt(1 << 30) + ".sqlite3");
                return gen.oneOf(() -> db.restore(b), () -> db.planRestore(b), () -> db.positionOf(b),
                        () -> { db.exportTo(b, out); return out; },
                        () -> { db.fork(b, data.resolve("fork" + gen.nextInt(1 << 30))); return b; });
            });
        }
    }

    @Test
    void timesNoBookmarkAnswersAreRefusedAndChangeNothing() {
        BadInputs gen = new BadInputs(SEED + 1);
        for (BadInput in : gen.times(START, clock.instant(), RETENTION, BadInputs.scaled(120))) {
            expectRefusal(in, List.of(BookmarkException.class), () -> {
                Instant t = PointInTime.parse(in.text());
                return gen.oneOf(() -> db.bookmarkAt(t), () -> db.restore(t));
            });
        }
    }

    @Test
    void invalidDatabaseNamesAreRefusedBeforeAnyPathIsBuilt() {
        BadInputs gen = new BadInputs(SEED + 2);
        for (BadInput in : gen.names(BadInputs.scaled(80))) {
            expectRefusal(in, List.of(InvalidNameException.class), () -> InvalidNameException.check(in.text()));
            Path target = singleSegment(in.text());
            if (target != null) {
                expectRefusal(in, List.of(InvalidNameException.class), () -> gen.oneOf(
                        () -> Database.open(target, options), () -> Database.openReadOnly(target, options),
                        () -> { db.fork(firstBookmark, target); return target; }));
            }
        }
    }

    /** {@code data/<text>} when the text is one path segment here; null when it is not (a separator, NUL, "." or ".."). */
    private static Path singleSegment(String text) {
        try {
            Path p = data.resolve(text).normalize();
            return p.getParent() != null && p.getParent().equals(data) && p.getFileName().toString().equals(text) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    @Test
    void unknownAndMalformedBackupIdsAreRefusedAndChangeNothing() {
        BadInputs gen = new BadInputs(SEED + 3);
        for (BadInput in : gen.backupIds(backupId, BadInputs.scaled(60))) {
            Path out = outside.resolve("download-" + gen.nextInt(1 << 30) + ".sqlite3");
            expectRefusal(in, List.of(BackupNotFoundException.class), () -> gen.oneOf(
                    () -> db.backups().get(in.text()), () -> db.backups().restore(in.text()),
                    () -> { db.backups().delete(in.text()); return in; },
                    () -> { db.backups().download(in.text(), out); return out; }));
        }
    }

    @Test
    void sqlOverTheLimitsOrFailingInSqliteIsRefusedNamingTheStatement() {
        BadInputs gen = new BadInputs(SEED + 4);
        int rounds = BadInputs.scaled(4);
        for (int round = 0; round < rounds; round++) {
            for (SqlCase c : sqlCases(gen)) {
                BadInput in = new BadInput(Kind.SQL, c.mutation(), c.named());
                expectRefusal(in, List.of(SqlException.class), () -> c.query() ? db.query(c.batch().get(0).sql(),
                        c.batch().get(0).params().toArray()) : db.batch(c.batch()));
            }
        }
    }

    @Test
    void outputFilesThatCannotBeWrittenAreRefusedBeforeAnyWork() throws IOException {
        Path held = Files.writeString(scratch.resolve("held.sqlite3"), "keep");
        Path staging = Files.writeString(scratch.resolve("staged.sqlite3.tmp"), "keep");
        Map<String, Path> outputs = new TreeMap<>(Map.of(
                "exists", held,
                "does not exist", scratch.resolve("no/such/dir/out.sqlite3"),
                "is not a directory", held.resolve("out.sqlite3"),
                "staged", scratch.resolve("staged.sqlite3")));
        for (Map.Entry<String, Path> o : outputs.entrySet()) {
            BadInput in = new BadInput(Kind.OUTPUT, o.getKey(), o.getValue().toString());
            expectRefusal(in, List.of(ChronologException.class), o.getKey(), () -> { db.exportTo(real, o.getValue()); return o; });
            expectRefusal(in, List.of(ChronologException.class), o.getKey(),
                    () -> { db.backups().download(backupId, o.getValue()); return o; });
        }
        assertEquals("keep", Files.readString(held));
        assertEquals("keep", Files.readString(staging));
        try (Stream<Path> s = Files.list(scratch)) {
            assertEquals(List.of("held.sqlite3", "staged.sqlite3.tmp"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /** A failing write or query; {@code named} is the text its message must hold. */
    record SqlCase(String mutation, List<Statement> batch, String named, boolean query) {
        static SqlCase write(String mutation, String sql, Object... params) {
            return new SqlCase(mutation, List.of(Statement.of(sql, params)), PrintableText.of(StatementRunner.abbreviate(sql)), false);
        }
    }

    private static List<SqlCase> sqlCases(BadInputs gen) {
        List<SqlCase> cases = new ArrayList<>();
        int n = gen.nextInt(1000);
        String big = "x".repeat(options.maxSqlBytes());
        cases.add(SqlCase.write("oversized SQL", "INSERT INTO items(name, qty) VALUES ('" + big + n + "', 1)"));
        cases.add(SqlCase.write("oversized SQL in multi-byte characters", "INSERT INTO typed(v) VALUES ('"
                + "é".repeat(options.maxSqlBytes() / 2 + 1) + "')"));
        Object[] many = new Object[options.maxParameters() + 1 + gen.nextInt(50)];
        Arrays.fill(many, 1L);
        cases.add(SqlCase.write("too many parameters", "INSERT INTO typed(v) VALUES (" + "?,".repeat(many.length - 1) + "?)", many));
        cases.add(SqlCase.write("oversized text value", "INSERT INTO typed(v) VALUES (?)",
                "ü".repeat(options.maxValueBytes() / 2 + 1 + gen.nextInt(100))));
        cases.add(SqlCase.write("oversized blob value", "INSERT INTO typed(v) VALUES (?)",
                new byte[options.maxValueBytes() + 1 + gen.nextInt(100)]));
        cases.add(SqlCase.write("oversized row built by SQLite", "INSERT INTO typed(v) VALUES (hex(zeroblob(" + (options.maxRowBytes() + n) + ")))"));
        cases.add(SqlCase.write("oversized value built by SQLite", "UPDATE typed SET v = printf('%.*c', "
                + (options.maxRowBytes() + 1 + n) + ", 'x') WHERE k = 1"));
        List<Statement> tooMany = new ArrayList<>();
        for (int i = 0; i <= options.maxBatchStatements() + gen.nextInt(5); i++) {
            tooMany.add(Statement.of("INSERT INTO typed(v) VALUES (?)", "b" + i));
        }
        cases.add(new SqlCase("oversized batch", tooMany, "Options.maxBatchStatements", false));
        cases.add(SqlCase.write("syntax error", gen.pick(List.of("INSRT INTO items(name) VALUES ('a')",
                "INSERT INTO items(name VALUES ('a')", "UPDATE items SET WHERE id = 1", "DELETE items", "INSERT INTO typed(v) VALUES ('unclosed)",
                "CREATE TABLE (x)", "SELECT FROM WHERE"))));
        cases.add(SqlCase.write("missing table", "INSERT INTO missing_" + n + "(v) VALUES (1)"));
        cases.add(SqlCase.write("missing column", "UPDATE items SET nope_" + n + " = 1"));
        cases.add(SqlCase.write("unique constraint", "INSERT INTO items(name, qty) VALUES ('item" + (1 + gen.nextInt(10)) + "', 1)"));
        cases.add(SqlCase.write("not-null constraint", "INSERT INTO items(name, qty) VALUES (NULL, ?)", (long) n));
        cases.add(SqlCase.write("check constraint", "UPDATE items SET qty = -1 - ? WHERE id = 1", (long) n));
        cases.add(SqlCase.write("primary key constraint", "INSERT INTO items(id, name, qty) VALUES (1, ?, 1)", "fresh" + n));
        cases.add(SqlCase.write("strict type", "INSERT INTO typed(k, v) VALUES (?, ?)", "not an integer " + n, "v"));
        cases.add(SqlCase.write("too few parameters", "INSERT INTO items(name, qty) VALUES (?, ?)", "only one " + n));
        cases.add(SqlCase.write("too many values for the placeholders", "INSERT INTO typed(v) VALUES (?)", "a", "b"));
        cases.add(SqlCase.write("control characters", "INSERT INTO typed(v) VALUES ('a')\u0007\u0000;"));
        cases.add(SqlCase.write("NUL hiding a second statement", "INSERT INTO typed(v) VALUES ('" + n + "')\0 garbage after NUL"));
        cases.add(SqlCase.write("unpaired surrogate in the SQL", "INSERT INTO typed(v) VALUES ('\uD800" + n + "')"));
        cases.add(SqlCase.write("unpaired surrogate in a parameter", "INSERT INTO typed(v) VALUES (?)", n + "\uDC00"));
        cases.add(SqlCase.write("unpaired surrogate in a parameter", "INSERT INTO typed(v) VALUES (?)", "\uD83D"));
        List<Statement> lastFails = List.of(Statement.of("INSERT INTO typed(v) VALUES ('applied first " + n + "')"),
                Statement.of("DELETE FROM items"), Statement.of("INSERT INTO nowhere VALUES (" + n + ")"));
        cases.add(new SqlCase("batch whose last statement fails", lastFails, "INSERT INTO nowhere", false));
        cases.add(new SqlCase("query on a missing table", List.of(Statement.of("SELECT * FROM missing_" + n)), "missing_" + n, true));
        cases.add(new SqlCase("query with a syntax error", List.of(Statement.of("SELECT * FORM items")), "SELECT * FORM items", true));
        cases.add(new SqlCase("write through query", List.of(Statement.of("DELETE FROM items")), "DELETE FROM items", true));
        return cases;
    }

    /** Runs {@code action}, which must throw one of {@code expected}, with a clear message, changing nothing. */
    private static void expectRefusal(BadInput in, List<Class<? extends RuntimeException>> expected, Supplier<?> action) {
        expectRefusal(in, expected, in.kind() == Kind.SQL ? in.text() : in.kind().word(), action);
    }

    /** As above, with the text the message must hold. */
    private static void expectRefusal(BadInput in, List<Class<? extends RuntimeException>> expected, String word,
            Supplier<?> action) {
        int[] counts = tally.computeIfAbsent(in.kind(), k -> new int[2]);
        counts[0]++;
        String what = in + " (seed " + SEED + ")";
        Object result;
        try {
            result = action.get();
        } catch (RuntimeException e) {
            if (expected.stream().noneMatch(t -> t.isInstance(e))) {
                throw new AssertionError(what + ": expected one of " + expected + " but got " + e, e);
            }
            String m = e.getMessage();
            assertTrue(m != null && !m.isBlank(), what + ": empty message");
            assertTrue(m.lines().count() == 1, () -> what + ": message is not one line: " + BadInputs.escaped(m));
            assertTrue(m.chars().noneMatch(Character::isISOControl), () -> what + ": message holds a control character: "
                    + BadInputs.escaped(m));
            assertTrue(m.toLowerCase().contains(word.toLowerCase()), () -> what + ": message does not mention '" + word + "': " + m);
            assertUnchanged(what);
            counts[1]++;
            return;
        }
        fail(what + ": accepted, returned " + result);
    }

    private static void assertUnchanged(String what) {
        try {
            if (!fingerprint.equals(fingerprint()) || !expectedRows.equals(SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)))) {
                changed++;
            }
            assertEquals(fingerprint, fingerprint(), what + ": the database changed");
            // the writer still takes writes: a WITH read goes through it without logging a frame (a plain SELECT runs on a reader)
            assertEquals(1L, db.execute("WITH x AS (SELECT 1 AS one) SELECT one FROM x").rows().get(0).get(0), what + ": the writer stopped");
            assertEquals(expectedRows, SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)), what + ": the rows changed");
            try (Stream<Path> s = Files.list(outside)) {
                assertEquals(List.of(), s.toList(), what + ": a file was written outside the database");
            }
            try (Stream<Path> s = Files.list(data)) {
                assertEquals(List.of(dir), s.toList(), what + ": a directory appeared beside the database");
            }
        } catch (IOException | java.sql.SQLException e) {
            throw new AssertionError(what + ": cannot take the fingerprint: " + e, e);
        }
    }

    /**
     * Bookmark, checkpoints, backups and the files: sizes except the log's preallocated files, SQLite's
     * -wal/-shm and the live file (its WAL is copied back in the background); rows are compared apart.
     */
    static String fingerprint() throws IOException {
        StringBuilder b = new StringBuilder(db.bookmark().toString()).append('\n');
        for (CheckpointMeta m : Internals.catalogue(db)) {
            b.append("checkpoint ").append(m.number()).append('@').append(m.position()).append(' ').append(m.kind())
                    .append(' ').append(m.label()).append(' ').append(m.checksum()).append('\n');
        }
        for (BackupInfo i : db.backups().list()) {
            b.append("backup ").append(i).append('\n');
        }
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString();
                boolean sizeVaries = rel.startsWith(DatabaseDirectory.WAL_DIRECTORY + "/") || rel.endsWith("-wal") || rel.endsWith("-shm")
                        || rel.equals(LiveDatabase.FILE_NAME);
                files.put(rel, sizeVaries ? -1 : Files.size(p));
            }
        }
        b.append(files);
        return new String(b.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
