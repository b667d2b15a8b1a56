package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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

    @ParameterizedTest
    @EnumSource(Durability.class)
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
                Process child = ChildJvm.start(CrashWorkload.class, dir.toString(), Long.toString(seed), durability.name());
                AtomicLong lastAck = new AtomicLong(-1);
                AtomicLong ready = new AtomicLong(-1);
                Thread reader = new Thread(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            if (line.startsWith("ACK ")) {
                                lastAck.set(Long.parseLong(line.substring(4)));
                            } else if (line.startsWith("READY ")) {
                                ready.set(Long.parseLong(line.substring(6)));
                            }
                        }
                    } catch (Exception ignored) {
                        // the child died: that is the point
                    }
                });
                reader.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (ready.get() < 0 && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertTrue(ready.get() >= 0, "child did not start (exit " + (child.isAlive() ? "alive" : child.exitValue()) + ")");
                Thread.sleep(20 + random.nextInt(400));
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                reader.join(10_000);
                assertEquals(137, child.exitValue(), "child must die of SIGKILL");

                try (Database db = Database.open(dir)) {
                    long frames = db.positionOf(db.bookmark());
                    long writes = frames - 1;
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
