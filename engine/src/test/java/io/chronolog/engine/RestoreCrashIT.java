package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with SIGKILL while it restores (and checkpoints) over and over, then reopens:
 * the live file must hold exactly the state before or after the restore in flight, whole, and
 * every bookmark handed out must still restore to what a plain SQLite oracle holds at that point.
 * {@code -Dchronolog.crash.kills=N} sets the number of kills (default 20).
 */
class RestoreCrashIT {
    @TempDir
    Path tmp;

    @Test
    void killedRestoresLeaveTheOldOrTheNewStateWhole() throws Exception {
        int kills = Integer.getInteger("chronolog.crash.kills", 20);
        long seed = Long.getLong("chronolog.crash.seed", System.nanoTime());
        System.out.println("RestoreCrashIT seed=" + seed + " (rerun with -Dchronolog.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path dir = tmp.resolve("rcrash");
        List<Map<String, List<String>>> oracle = new ArrayList<>();
        List<List<Statement>> writes = new ArrayList<>();
        writes.add(List.of(Statement.of(Workload.SCHEMA)));
        oracle.add(Oracle.after(writes));
        for (int n = 1; n <= RestoreCrashWorkload.WRITES; n++) {
            writes.add(Workload.write(seed, n));
            oracle.add(Oracle.after(writes));
        }
        int current = RestoreCrashWorkload.WRITES;
        int inFlight = 0;
        for (int kill = 0; kill < kills; kill++) {
            Path out = tmp.resolve("child-" + kill + ".out");
            Process child = ChildJvm.builder(RestoreCrashWorkload.class, dir.toString(), Long.toString(seed), Integer.toString(current))
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!text(out).contains("READY") && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(text(out).contains("READY"), "child did not start");
            Thread.sleep(30 + random.nextInt(600));
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue(), "child must die of SIGKILL");

            int before = current;
            int after = current;
            boolean finished = true;
            for (String line : completeLines(out)) {
                String[] p = line.split(" ");
                if (p[0].equals("OP")) {
                    before = Integer.parseInt(p[1]);
                    after = Integer.parseInt(p[2]);
                    finished = false;
                } else if (p[0].equals("OK")) {
                    finished = true;
                }
            }
            List<Bookmark> bookmarks = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolveSibling("bookmarks.txt"), StandardCharsets.UTF_8)) {
                bookmarks.add(Bookmark.parse(line));
            }
            try (Database db = Database.open(dir, Options.builder().background(false).build())) {
                Map<String, List<String>> state = SqliteFiles.dump(dir.resolve("live.sqlite3"));
                if (finished) {
                    assertEquals(oracle.get(after), state, "kill " + kill + ": a finished restore to write " + after + " was lost");
                    current = after;
                } else if (state.equals(oracle.get(after))) {
                    current = after;
                    inFlight++;
                } else {
                    assertEquals(oracle.get(before), state, "kill " + kill + ": neither the state before (write " + before
                            + ") nor after (write " + after + ") the restore in flight");
                    current = before;
                }
                VerifyReport report = db.verify();
                assertTrue(report.ok(), "kill " + kill + ": verify after reopen: " + report.problems());
                int k = random.nextInt(bookmarks.size());
                db.restore(bookmarks.get(k));
                assertEquals(oracle.get(k), SqliteFiles.dump(dir.resolve("live.sqlite3")), "kill " + kill + ": bookmark of write "
                        + k + " no longer restores what it named");
                current = k;
            }
        }
        System.out.println("RestoreCrashIT: " + kills + " kills, " + inFlight + " restores in flight completed by recovery, "
                + "every state whole and every bookmark restorable");
    }

    private static String text(Path file) throws java.io.IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static List<String> completeLines(Path file) throws java.io.IOException {
        String t = text(file);
        t = t.substring(0, t.lastIndexOf('\n') + 1);
        return t.isEmpty() ? List.of() : List.of(t.split("\n"));
    }
}
