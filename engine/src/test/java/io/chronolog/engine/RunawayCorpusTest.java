package io.chronolog.engine;

import io.chronolog.engine.internal.live.LiveDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded corpus of runaway statements (recursive CTEs, huge cross joins, deep nesting, long LIKE
 * and GLOB patterns, big randomblob/zeroblob/printf values), each sent through {@code execute},
 * {@code query} and the streaming {@code query}, with a 200 ms limit. Each must finish, fail with
 * the timeout error, or be refused by a size limit with a one-line error; never hang or fail
 * otherwise. The writes that succeeded are run on a plain SQLite oracle: the live file, and the
 * state rebuilt from the log alone, must equal it, with one frame per successful write.
 *
 * <p>{@code -Dchronolog.runaway.seed=S} replays a run; {@code -Dchronolog.soak=true} runs a larger corpus.
 */
class RunawayCorpusTest {
    static final Duration LIMIT = Duration.ofMillis(200);

    @TempDir
    Path tmp;

    /** One generated statement: a read, or a write whose effect the oracle can repeat exactly. */
    record Shape(String kind, String sql, boolean write) {
    }

    static List<Shape> corpus(Random rnd, int size) {
        List<Supplier<Shape>> makers = List.of(
                () -> new Shape("recursive-cte", "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r"
                        + (rnd.nextBoolean() ? "" : " WHERE i < " + pow10(rnd, 9)) + ") SELECT " + pick(rnd, "max(i)", "count(*)", "sum(i)") + " FROM r", false),
                () -> new Shape("recursive-cte-write", "INSERT INTO log(kind, v) SELECT 'cte', " + pick(rnd, "max(i)", "count(*)")
                        + " FROM (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < " + pow10(rnd, 9) + ") SELECT i FROM r)", true),
                () -> new Shape("cross-join", "SELECT count(*) FROM " + joins(rnd.nextInt(5) + 1), false),
                () -> new Shape("cross-join-write", "INSERT INTO log(kind, v) SELECT 'join', count(*) FROM " + joins(rnd.nextInt(5) + 1), true),
                () -> new Shape("cross-join-update", "UPDATE big SET v = v + (SELECT count(*) FROM " + joins(rnd.nextInt(4) + 1) + ") WHERE id = "
                        + (rnd.nextInt(200) + 1), true),
                () -> new Shape("deep-nesting", nested(rnd.nextInt(60) + 1, rnd), false),
                () -> new Shape("deep-expression", "SELECT " + parentheses(rnd.nextInt(40) + 1), false),
                () -> new Shape("like", "SELECT count(*) FROM big a, big b WHERE a.s || b.s LIKE '" + "%a".repeat(rnd.nextInt(30) + 1) + "%b'", false),
                () -> new Shape("like-write", "INSERT INTO log(kind, v) SELECT 'like', count(*) FROM big a, big b"
                        + (rnd.nextBoolean() ? ", big c" : "") + " WHERE a.s || b.s LIKE '" + "%a".repeat(rnd.nextInt(20) + 1) + "%b'", true),
                () -> new Shape("glob", "SELECT count(*) FROM big a, big b WHERE glob('" + "*a".repeat(rnd.nextInt(30) + 1) + "*b', a.s || b.s)", false),
                () -> new Shape("randomblob", "SELECT sum(length(randomblob(" + (rnd.nextInt(3_000_000) + 1) + "))) FROM (WITH RECURSIVE r(i) AS "
                        + "(SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < " + pow10(rnd, 7) + ") SELECT i FROM r)", false),
                () -> new Shape("zeroblob-write", "INSERT INTO log(kind, v) SELECT 'zeroblob', sum(length(zeroblob(" + (rnd.nextInt(3_000_000) + 1)
                        + "))) FROM (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < " + pow10(rnd, 7) + ") SELECT i FROM r)", true),
                () -> new Shape("big-value", "SELECT length(" + pick(rnd, "randomblob", "zeroblob") + "(" + pick(rnd, "1000", "3000000", "50000000", "999999999")
                        + "))", false),
                () -> new Shape("big-printf", "SELECT length(printf('%." + pick(rnd, "1000", "3000000", "900000000") + "c', 'x'))", false),
                () -> new Shape("many-rows", "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < " + pow10(rnd, 8)
                        + ") SELECT i, hex(randomblob(16)) FROM r", false));
        List<Shape> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(makers.get(rnd.nextInt(makers.size())).get());
        }
        return out;
    }

    private static long pow10(Random rnd, int max) {
        return (long) Math.pow(10, rnd.nextInt(max) + 1);
    }

    private static String pick(Random rnd, String... options) {
        return options[rnd.nextInt(options.length)];
    }

    private static String joins(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append("big t").append(i);
        }
        return sb.toString();
    }

    private static String nested(int depth, Random rnd) {
        String inner = "SELECT count(*) AS c FROM big";
        for (int i = 0; i < depth; i++) {
            inner = rnd.nextBoolean() ? "SELECT c + 1 AS c FROM (" + inner + ")" : "SELECT (SELECT c FROM (" + inner + ")) + 1 AS c";
        }
        return inner;
    }

    /** {@code (1+(1+(...)))}, {@code depth} deep, under SQLite's parser stack depth. */
    private static String parentheses(int depth) {
        return "(1+".repeat(depth) + "(SELECT count(*) FROM big a, big b)" + ")".repeat(depth);
    }

    @Test
    void runawayStatementsFinishOrStopAndTheDatabaseMatchesTheOracle() throws Exception {
        long seed = Long.getLong("chronolog.runaway.seed", System.nanoTime());
        System.out.println("runaway corpus: seed " + seed + " (rerun with -Dchronolog.runaway.seed=" + seed + ")");
        Random rnd = new Random(seed);
        List<Shape> corpus = corpus(rnd, ReliabilityReport.soak() ? 300 : 40);
        Path dir = tmp.resolve("db");
        List<List<Statement>> applied = new ArrayList<>();
        int finished = 0;
        int timedOut = 0;
        int refused = 0;
        int runs = 0;
        try (Database db = Database.open(dir, Options.builder().background(false).statementTimeout(LIMIT).maxResultRows(100_000).build())) {
            for (String setup : List.of("CREATE TABLE big(id INTEGER PRIMARY KEY, s TEXT, v INTEGER)",
                    "INSERT INTO big(s, v) SELECT substr('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 1, 1 + i % 30), i FROM "
                            + "(WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 200) SELECT i FROM r)",
                    "CREATE TABLE log(id INTEGER PRIMARY KEY, kind TEXT, v INTEGER)")) {
                db.execute(setup);
                applied.add(List.of(Statement.of(setup)));
            }
            for (Shape shape : corpus) {
                String what = shape.kind() + ": " + shape.sql() + " (seed " + seed + ")";
                for (String path : shape.write() ? List.of("execute") : List.of("execute", "query", "stream")) {
                    runs++;
                    int framesBefore = db.writes(null, null, 1_000_000).size();
                    Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                        try {
                            switch (path) {
                                case "execute" -> db.execute(shape.sql());
                                case "query" -> db.query(shape.sql());
                                default -> db.query(Statement.of(shape.sql()), row -> { });
                            }
                            return null;
                        } catch (ChronologException e) {
                            return e;
                        }
                    }, () -> path + " hung: " + what);
                    if (failure == null) {
                        finished++;
                        if (shape.write()) {
                            applied.add(List.of(Statement.of(shape.sql())));
                        }
                    } else if (failure instanceof StatementTimeoutException) {
                        timedOut++;
                    } else if (failure instanceof SqlException && (failure.getMessage().contains("too big")
                            || failure.getMessage().contains("Options.maxResult"))) {
                        refused++;
                    } else {
                        fail(path + " failed otherwise: " + failure + "; " + what, failure);
                    }
                    if (failure != null) {
                        assertEquals(1, failure.getMessage().lines().count(), what);
                        assertEquals(framesBefore, db.writes(null, null, 1_000_000).size(), "a failed statement logged a frame: " + what);
                    }
                }
            }
            assertEquals(applied.size(), db.writes(null, null, 1_000_000).size(), "one frame per successful write");
            assertEquals(1L, db.query("SELECT 1").get(0).getLong(0));
        }
        Map<String, List<String>> oracle = Oracle.after(applied);
        assertEquals(oracle, SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)), "the live file matches the oracle (seed " + seed + ")");
        DatabaseTest.deleteLive(dir);
        try (Database db = Database.open(dir, Options.builder().background(false).statementTimeout(Duration.ofMillis(1)).build())) {
            assertEquals(applied.size(), db.framesReplayedAtOpen(), "the log replays whole, under a 1 ms limit");
        }
        assertEquals(oracle, SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)), "the log rebuilds the oracle's state (seed " + seed + ")");
        assertTrue(timedOut > 0 && finished > 0, "the corpus has both kinds (seed " + seed + ")");
        ReliabilityReport.write("runaway-corpus", "seed=" + seed + " statements=" + corpus.size() + " runs=" + runs + " finished=" + finished
                + " timed-out=" + timedOut + " refused-by-size=" + refused + " writes-applied=" + (applied.size() - 3) + " | hung=0 unclear=0");
    }
}
