package io.chronolog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.Database;
import io.chronolog.engine.Options;
import io.chronolog.engine.Result;
import io.chronolog.engine.Statement;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code execute} prints a single statement's rows as they stream from the engine: the same output
 * as before for small results, table and {@code --json}, and a result far larger than the heap
 * prints in a child JVM with a small {@code -Xmx}.
 */
class ExecuteStreamingTest {
    /** Rows of 400 characters: ~80 MB of text, more than the child's heap holds as Java strings. */
    static final int ROWS = 200_000;
    static final String HEAP = "-Xmx64m";

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
    void streamedJsonIsTheSameDocumentAsTheHeldOne() throws Exception {
        assertEquals(0, run("create", "db").status());
        assertEquals(0, run("execute", "db", "--command",
                "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, qty REAL, pic BLOB, n)").status());
        assertEquals(0, run("execute", "db", "--command",
                "INSERT INTO t(name, qty, pic, n) VALUES ('apple', 1.5, x'00ff', NULL), ('pear', 2, x'', 7)").status());
        for (String sql : List.of("SELECT * FROM t", "SELECT id, name AS id FROM t", "SELECT * FROM t WHERE 0",
                "INSERT INTO t(name) VALUES ('fig') RETURNING id, name", "CREATE TABLE u(x)", "DELETE FROM t WHERE name = 'zzz'")) {
            CliRun streamed = run("execute", "db", "--json", "--command", sql);
            assertEquals(0, streamed.status(), streamed::toString);
            Result result;
            // the same statement, held whole, on an identical state: the document the CLI printed before streaming
            try (Database db = Database.open(data.resolve("db"), Options.builder().background(false).build())) {
                String again = sql.startsWith("INSERT") ? sql.replace("'fig'", "'fig2'") : sql.startsWith("CREATE") ? "CREATE TABLE u2(x)" : sql;
                result = db.execute(again);
            }
            StringWriter held = new StringWriter();
            Json.print(new PrintWriter(held), Json.execute(List.of(result)));
            String expected = held.toString().replaceAll("\"bookmark\" : \"[0-9a-f-]+\"", "B").replace("fig2", "fig")
                    .replaceAll("\"(id|last_row_id)\" : [0-9]+", "\"$1\" : N");
            String actual = streamed.out().replaceAll("\"bookmark\" : \"[0-9a-f-]+\"", "B")
                    .replaceAll("\"(id|last_row_id)\" : [0-9]+", "\"$1\" : N");
            assertEquals(expected, actual, sql);
        }
        CliRun failed = run("execute", "db", "--json", "--command", "SELECT * FROM nope");
        assertEquals(1, failed.status());
        assertEquals("", failed.out(), "a statement that fails at once leaves stdout empty");
    }

    @Test
    void aStreamedTableLooksLikeTheHeldOneAndCutsLaterWiderCells() {
        assertEquals(0, run("create", "db").status());
        CliRun small = run("execute", "db", "--command", "SELECT 1 AS a, 'x' AS b UNION ALL SELECT 22, NULL");
        assertEquals(0, small.status(), small::toString);
        StringWriter held = new StringWriter();
        Renderer r = new Renderer(new PrintWriter(held));
        r.table(List.of("a", "b"), List.of(List.of("1", "x"), List.of("22", "NULL")));
        r.flush();
        assertTrue(small.out().startsWith(held.toString()), small.out() + "\nexpected to start with\n" + held);
        assertTrue(small.out().contains("Executed 1 statement on database 'db'"), small::toString);
        CliRun none = run("execute", "db", "--command", "SELECT 1 AS a WHERE 0");
        assertTrue(none.out().contains("(no rows)"), none::toString);
        int more = Renderer.SIZING_ROWS + 5;
        CliRun wide = run("execute", "db", "--command", "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < " + more
                + ") SELECT i, CASE WHEN i > " + Renderer.SIZING_ROWS + " THEN 'much wider than before' ELSE 'w' END AS v FROM r");
        assertEquals(0, wide.status(), wide::toString);
        List<String> lines = wide.out().lines().toList();
        int width = lines.get(0).length();
        long rows = lines.stream().filter(l -> l.startsWith("│")).count();
        assertEquals(more + 1, rows, "header and every row");
        assertTrue(lines.stream().filter(l -> l.startsWith("│") || l.startsWith("┌") || l.startsWith("└")).allMatch(l -> l.length() == width),
                "every line of the table is as wide as its top border");
        assertTrue(wide.out().contains("│ … │"), "a later wider cell is cut to the column");
    }

    @Test
    void aResultLargerThanTheHeapPrintsInAChildJvm() throws Exception {
        try (Database db = Database.open(data.resolve("big"), Options.builder().background(false).build())) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            db.execute("INSERT INTO t(v) SELECT hex(zeroblob(200)) FROM (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < "
                    + ROWS + ") SELECT i FROM r)");
        }
        for (boolean json : new boolean[] {false, true}) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("--sun-misc")
                        || a.startsWith("-Dchronicle") || a.startsWith("-Ddisable.")) {
                    command.add(a);
                }
            }
            command.addAll(List.of(HEAP, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "--data-dir", data.toString(), "execute", "big", "--command", "SELECT * FROM t"));
            if (json) {
                command.add("--json");
            }
            long started = System.nanoTime();
            Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long lines = 0;
            long bytes = 0;
            String tail = "";
            try (InputStream in = child.getInputStream()) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    bytes += n;
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            lines++;
                        }
                    }
                    tail = (tail + new String(buf, Math.max(0, n - 300), Math.min(n, 300), java.nio.charset.StandardCharsets.ISO_8859_1));
                    tail = tail.substring(Math.max(0, tail.length() - 300));
                }
            }
            assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the child finished");
            System.out.println("ExecuteStreamingTest: " + ROWS + " rows, " + (json ? "--json" : "table") + ", " + HEAP + ": " + bytes
                    + " bytes of output in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
            assertEquals(0, child.exitValue(), "exit status; output ended with: " + tail);
            // table: 3 borders + header + rows + 3 summary lines; JSON: one object of 4 lines per row
            assertTrue(lines >= ROWS, lines + " lines for " + ROWS + " rows");
            assertTrue(json ? tail.contains("\"bookmark\"") : tail.contains("Bookmark:"), tail);
        }
    }
}
