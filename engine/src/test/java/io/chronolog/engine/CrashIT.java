package io.chronolog.engine;

import io.chronolog.engine.internal.sql.StatementRunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL at random moments, reopens, and checks that every write
 * the child saw acknowledged is there and that every table equals a plain SQLite database that ran
 * the same writes. {@code -Dchronolog.crash.kills=N} sets the number of kills (default 20).
 */
class CrashIT {
    @TempDir
    Path tmp;

    /** The number after the last line starting with {@code prefix}, or -1. */
    private static long lastLine(Path file, String prefix) throws java.io.IOException {
        if (!java.nio.file.Files.exists(file)) {
            return -1;
        }
        long found = -1;
        String text = java.nio.file.Files.readString(file, StandardCharsets.UTF_8);
        text = text.substring(0, text.lastIndexOf('\n') + 1); // a line the kill cut short does not count
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix) && line.length() > prefix.length()) {
                try {
                    found = Long.parseLong(line.substring(prefix.length()).trim());
                } catch (NumberFormatException e) {
                    throw new AssertionError("unreadable child output line: " + line, e);
                }
            }
        }
        return found;
    }

    @ParameterizedTest
    @EnumSource(value = Durability.class, names = {"SYNC", "ASYNC"}) // ARCHIVED needs an archive: ArchiveCrashIT
    void killedWriterLosesNothingAcknowledged(Durability durability) throws Exception {
        int kills = Integer.getInteger("chronolog.crash.kills", 20);
        long seed = Long.getLong("chronolog.crash.seed", System.nanoTime());
        System.out.println("CrashIT " + durability + " seed=" + seed + " (rerun with -Dchronolog.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path dir = tmp.resolve("crash");
        Path oracleFile = tmp.resolve("oracle.sqlite3");
        long oracleApplied = 0;
        long totalAcked = 0;
        try (Connection oracle = DriverManager.getConnection("jdbc:sqlite:" + oracleFile)) {
            oracle.createStatement().execute(Workload.SCHEMA);
            for (int kill = 0; kill < kills; kill++) {
                // the child's stdout goes to a file, not a pipe: after SIGKILL every line it wrote is there to read
                Path out = tmp.resolve("child-" + durability + "-" + kill + ".out");
                Process child = ChildJvm.builder(CrashWorkload.class, dir.toString(), Long.toString(seed), durability.name())
                        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (lastLine(out, "READY ") < 0 && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                long started = lastLine(out, "READY ");
                assertTrue(started >= 0, "child did not start (" + (child.isAlive() ? "alive" : "exit " + child.exitValue()) + ")");
                Thread.sleep(20 + random.nextInt(400));
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                assertEquals(137, child.exitValue(), "child must die of SIGKILL");
                AtomicLong lastAck = new AtomicLong(lastLine(out, "ACK "));
                AtomicLong ready = new AtomicLong(started);

                try (Database db = Database.open(dir)) {
                    long writes = db.writes(null, null, Integer.MAX_VALUE).size() - 1;
                    long acked = lastAck.get();
                    assertTrue(writes >= acked, "kill " + kill + ": acknowledged write " + acked + " lost, database has " + writes);
                    assertTrue(writes <= Math.max(acked, ready.get() - 1) + 1,
                            "kill " + kill + ": more writes than were submitted: " + writes + " > " + (acked + 1));
                    totalAcked += Math.max(0, acked - ready.get() + 1);
                    for (long n = oracleApplied + 1; n <= writes; n++) {
                        oracle.setAutoCommit(false);
                        for (Statement st : Workload.write(seed, n)) {
                            try (PreparedStatement ps = oracle.prepareStatement(st.sql())) {
                                StatementRunner.bind(ps, st.params());
                                ps.execute();
                            }
                        }
                        oracle.commit();
                        oracle.setAutoCommit(true);
                    }
                    oracleApplied = writes;
                }
                Map<String, List<String>> expected = SqliteFiles.dump(oracle);
                assertEquals(expected, SqliteFiles.dump(dir.resolve("live.sqlite3")), "kill " + kill + ": tables differ from the oracle");
            }
        }
        System.out.println("CrashIT " + durability + ": " + kills + " kills, " + totalAcked + " acknowledged writes, "
                + oracleApplied + " writes compared with the oracle, 0 lost");
        assertTrue(totalAcked > 0, "the child never got a write acknowledged");
    }
}
