package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.internal.archive.S3Server;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Killed while shipping: a child JVM writes to a database whose archive is on a real S3 server
 * (10 ms lag), in {@link Durability#SYNC} or {@link Durability#ARCHIVED} mode, printing every
 * acknowledged write, and is killed with SIGKILL at a random moment (while it opens and resumes
 * shipping, or while it writes and uploads), again and again; every open resumes shipping. At the
 * end the machine is lost: the directory is deleted and the database is restored from the archive
 * alone. Against the acknowledgements counted here: every write acknowledged as ARCHIVED is there;
 * the restored rows are a gap-free, duplicate-free prefix of what was written (so every SYNC write
 * up to the archived position is there), nothing beyond the last write tried; and the archive
 * verifies. {@code -Dchronolog.archivecrash.kills=N} and {@code -Dchronolog.archivecrash.seed=S} override.
 */
class ArchiveCrashIT {
    @TempDir
    Path tmp;

    record Ack(int generation, Durability mode) {
    }

    @Test
    void killedWhileShippingTheArchiveHoldsEveryArchivedWriteWithoutGap() throws Exception {
        int kills = Integer.getInteger("chronolog.archivecrash.kills", 24);
        long seed = Long.getLong("chronolog.archivecrash.seed", System.nanoTime());
        System.out.println("ArchiveCrashIT seed=" + seed + " kills=" + kills + " (rerun with -Dchronolog.archivecrash.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        Path serverDir = Files.createDirectories(tmp.resolve("s3"));
        try (S3Server server = S3Server.start(serverDir)) {
            S3Server.useCredentialsInThisJvm();
            server.createBucket("crash");
            ArchiveOptions archive = server.archive("crash", "prod").lag(Duration.ofMillis(10)).build();
            Path data = Files.createDirectories(tmp.resolve("data"));
            Path dir = data.resolve("app");
            Map<Long, Ack> acked = new TreeMap<>();
            long maxTried = 0;
            int killedOpening = 0;
            int[] generationsOf = new int[Durability.values().length];
            for (int generation = 0; generation < kills; generation++) {
                Durability mode = generation < 2 ? (generation == 0 ? Durability.SYNC : Durability.ARCHIVED)
                        : random.nextBoolean() ? Durability.SYNC : Durability.ARCHIVED;
                generationsOf[mode.ordinal()]++;
                ProcessBuilder pb = ChildJvm.builder(ArchiveCrashChild.class, dir.toString(), mode.name(), archive.url(),
                        server.endpoint().toString(), Integer.toString(generation), Long.toString(random.nextLong()));
                pb.environment().put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
                pb.environment().put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
                pb.redirectError(tmp.resolve("child-" + generation + ".err").toFile());
                Process child = pb.start();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Thread reader = new Thread(() -> copy(child.getInputStream(), out));
                reader.start();
                if (random.nextInt(5) == 0) {
                    Thread.sleep(random.nextInt(300, 1500)); // while it opens and resumes shipping the last child's frames
                    killedOpening++;
                } else {
                    // once its first write is acknowledged (an ARCHIVED one waits for the archiver's first turn)
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (!text(out).contains("ACK") && System.nanoTime() < deadline && child.isAlive()) {
                        Thread.sleep(5);
                    }
                    assertTrue(text(out).contains("ACK"), "seed " + seed + ", generation " + generation + ": no write was acknowledged: "
                            + Files.readString(tmp.resolve("child-" + generation + ".err")));
                    Thread.sleep(random.nextInt(0, 800)); // while it writes and uploads
                }
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                reader.join(10_000);
                String all = text(out);
                long acksBefore = acked.size();
                int end = all.lastIndexOf('\n'); // a line cut by the kill does not count
                for (String line : (end < 0 ? "" : all.substring(0, end)).split("\n")) {
                    if (line.startsWith("ACK ")) {
                        long n = Long.parseLong(line.substring(4));
                        Ack before = acked.put(n, new Ack(generation, mode));
                        assertNull(before, "seed " + seed + ": write " + n + " acknowledged twice (generations " + before + " and "
                                + generation + "): an acknowledged write was lost locally");
                    } else if (line.startsWith("TRY ")) {
                        maxTried = Math.max(maxTried, Long.parseLong(line.substring(4)));
                    }
                }
                if (Boolean.getBoolean("chronolog.archivecrash.verbose")) {
                    String err = Files.readString(tmp.resolve("child-" + generation + ".err"));
                    System.out.println("generation " + generation + " " + mode + ": " + (acked.size() - acksBefore) + " acknowledged, "
                            + (all.contains("OPEN") ? "opened" : "killed opening") + (err.isBlank() ? "" : "\n" + err));
                }
            }
            long archivedAcks = acked.values().stream().filter(a -> a.mode() == Durability.ARCHIVED).count();
            long syncAcks = acked.size() - archivedAcks;
            assertTrue(archivedAcks > 0 && syncAcks > 0, "seed " + seed + ": both modes acknowledged writes: " + archivedAcks + "/" + syncAcks);

            // the machine is lost
            ArchiveFixture.deleteTree(dir);
            ArchiveVerifyReport verified = Archives.verify(archive, "app", tmp);
            assertTrue(verified.ok(), "seed " + seed + ": " + verified.problems());
            ArchiveRestoreResult restored = Archives.restore(archive, "app", Archives.Target.newest(), data, null, false,
                    Options.builder().background(false).build(), null);
            assertTrue(restored.takeover());
            Map<Long, Object[]> rows = new HashMap<>();
            long count;
            try (ReadOnlyDatabase db = Database.openReadOnly(dir, Options.defaults())) {
                count = db.query("SELECT count(*) FROM t").get(0).getLong(0);
                for (Row r : db.query("SELECT n, gen, mode FROM t ORDER BY n").asList()) {
                    rows.put(r.getLong(0), new Object[] {r.getLong(1), r.getString(2)});
                }
            }
            long last = rows.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
            assertEquals(count, rows.size(), "seed " + seed + ": no write is in the restored database twice");
            assertEquals(last, rows.size(), "seed " + seed + ": the restored writes are 1.." + last + " without a gap");
            assertTrue(last <= maxTried, "seed " + seed + ": nothing beyond the last write tried (" + maxTried + ") is restored: " + last);
            long syncLost = 0;
            for (Map.Entry<Long, Ack> e : acked.entrySet()) {
                Object[] row = rows.get(e.getKey());
                if (e.getValue().mode() == Durability.ARCHIVED) {
                    assertTrue(row != null, "seed " + seed + ": write " + e.getKey() + " was acknowledged as ARCHIVED (generation "
                            + e.getValue().generation() + ") but the archive does not hold it (it ends at " + last + ")");
                }
                if (row == null) {
                    syncLost++;
                    continue;
                }
                assertEquals(List.of((long) e.getValue().generation(), e.getValue().mode().name()), List.of(row),
                        "seed " + seed + ": write " + e.getKey() + " is the one acknowledged");
            }
            String summary = String.format("ArchiveCrashIT seed=%d: %d kills (%d while opening; %d SYNC and %d ARCHIVED generations);"
                    + " %d writes acknowledged (%d ARCHIVED, %d SYNC); the archive restored writes 1..%d (%d tried);"
                    + " %d SYNC acknowledgements past the archived position; ARCHIVED acknowledgements lost: 0", seed, kills,
                    killedOpening, generationsOf[Durability.SYNC.ordinal()], generationsOf[Durability.ARCHIVED.ordinal()], acked.size(),
                    archivedAcks, syncAcks, last, maxTried, syncLost);
            System.out.println(summary);
            ReliabilityReport.write("ArchiveCrashIT", summary);
        }
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int r; (r = in.read(buf)) >= 0; ) {
                synchronized (out) {
                    out.write(buf, 0, r);
                }
            }
        } catch (java.io.IOException e) {
            // the child was killed
        }
    }
}
