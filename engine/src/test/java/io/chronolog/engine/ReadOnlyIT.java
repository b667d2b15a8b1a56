package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A read-only open beside a child JVM that holds the database and keeps writing. */
class ReadOnlyIT {
    @TempDir
    Path tmp;

    @Test
    void readsExportsAndLogListingWorkWhileAnotherProcessWrites() throws Exception {
        long seed = 77;
        Path dir = tmp.resolve("shared");
        Path out = tmp.resolve("writer.out");
        Process child = ChildJvm.builder(CrashWorkload.class, dir.toString(), Long.toString(seed), "ASYNC")
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ackCount(out) < 200 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(ackCount(out) >= 200, "the writer did not get going");
            DatabaseInUseException inUse = assertThrows(DatabaseInUseException.class, () -> Database.open(dir));
            assertTrue(inUse.getMessage().contains("is in use by process " + child.pid()), inUse.getMessage());
            for (int round = 0; round < 3; round++) {
                try (ReadOnlyDatabase db = Database.openReadOnly(dir, Options.defaults())) {
                    assertTrue(db.readOnly());
                    Bookmark b = db.bookmark();
                    long writes = db.writes(null, null, Integer.MAX_VALUE).size() - 1; // markers are frames too
                    assertTrue(writes >= 200);
                    List<LoggedWrite> last = db.writes(null, null, 5);
                    assertEquals(5, last.size());
                    assertTrue(b.compareTo(last.get(4).bookmark()) >= 0);
                    assertEquals(Workload.write(seed, writes), last.get(4).statements());
                    Path export = tmp.resolve("export-" + round + ".sqlite3");
                    db.exportTo(b, export);
                    List<List<Statement>> all = new ArrayList<>();
                    all.add(List.of(Statement.of(Workload.SCHEMA)));
                    for (long n = 1; n <= writes; n++) {
                        all.add(Workload.write(seed, n));
                    }
                    assertEquals(Oracle.after(all), SqliteFiles.dump(export));
                    assertTrue(db.query("SELECT count(*) FROM kv").get(0).getLong(0) >= 0);
                    // a read-only open has no write verb to call (ReadOnlyDatabase has no execute, batch, restore)
                    assertTrue(java.util.Arrays.stream(db.getClass().getMethods()).map(java.lang.reflect.Method::getName)
                            .noneMatch(m -> m.equals("execute") || m.equals("batch") || m.equals("restore")));
                    ReadOnlyException e = assertThrows(ReadOnlyException.class, () -> db.backups().create());
                    assertTrue(e.getMessage().contains("open read-only"), e.getMessage());
                }
                Thread.sleep(100);
            }
            assertTrue(child.isAlive(), "the writer must not be disturbed");
            long before = ackCount(out);
            Thread.sleep(300);
            assertTrue(ackCount(out) > before, "the writer kept writing");
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static long ackCount(Path out) throws java.io.IOException {
        if (!Files.exists(out)) {
            return 0;
        }
        return Files.readString(out, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("ACK ")).count();
    }
}
