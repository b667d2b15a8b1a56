package io.chronolog.engine;

import io.chronolog.engine.internal.history.Restorer;
import io.chronolog.engine.internal.live.LiveDatabase;
import io.chronolog.engine.internal.live.LiveFileSwap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rename that installs a restored image: a crash stopped at each step of it (simulated by an
 * {@link Error} thrown from the test hook, after which the database is abandoned and reopened) ends
 * at open in the restored state, equal to a plain SQLite database that ran the same first k writes;
 * and a reader another open holds makes the restore copy instead of rename, with the same result.
 * {@code -Dtests.seed=N} replays a failing run.
 */
class LiveFileSwapTest {
    @TempDir
    Path tmp;

    final long seed = Long.getLong("tests.seed", System.nanoTime());
    final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
    final List<List<Statement>> writes = new ArrayList<>();
    final List<Bookmark> bookmarks = new ArrayList<>();

    /** Stands for the process dying at a step. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(LiveFileSwap.Step step) {
            super("simulated crash at " + step);
        }
    }

    Options options() {
        return Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).durability(Durability.SYNC).build();
    }

    void history(Database db, int n, int every) {
        HistoryWorkload workload = new HistoryWorkload(seed);
        bookmarks.add(db.bookmark());
        for (int k = 1; k <= n; k++) {
            clock.advance(Duration.ofSeconds(1));
            List<Statement> write = workload.next();
            writes.add(write);
            bookmarks.add(db.batch(write).get(0).bookmark());
            if (k % every == 0) {
                db.checkpoint();
            }
        }
    }

    /** A target k: half the time just after a checkpoint (nothing replayed), else anywhere. */
    int target(SplittableRandom random, int n, int every) {
        return random.nextBoolean() ? every * (1 + random.nextInt(n / every - 1)) : 1 + random.nextInt(n - 1);
    }

    /** Queries through {@code db} count the schema objects and every table's rows the dump holds. */
    static void assertQueriesSee(ReadableDatabase db, Map<String, List<String>> expected, String what) {
        assertEquals(expected.get("schema").size(), db.query("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' "
                + "AND name NOT LIKE '\\_chronolog\\_%' ESCAPE '\\'").get(0).getLong(0), what + ": schema");
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            if (!e.getKey().equals("schema")) {
                assertEquals(e.getValue().size(), db.query("SELECT count(*) FROM \"" + e.getKey() + "\"").get(0).getLong(0),
                        what + ": rows of " + e.getKey());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LiveFileSwap.Step.class)
    void aCrashAtAnyStepOfTheRenameEndsInTheRestoredStateAtOpen(LiveFileSwap.Step crashAt) throws Exception {
        System.out.println("LiveFileSwapTest seed=" + seed + " (rerun with -Dtests.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = tmp.resolve("swap");
        int k;
        Database db = Database.open(dir, options());
        try {
            history(db, 200, 40);
            k = target(random, 200, 40);
            List<LiveFileSwap.Step> reached = new CopyOnWriteArrayList<>();
            db.liveFileSwap().hook(step -> {
                reached.add(step);
                if (step == crashAt) {
                    throw new SimulatedCrash(step);
                }
            });
            int target = k;
            SimulatedCrash crash = assertThrows(SimulatedCrash.class, () -> db.restore(bookmarks.get(target)));
            assertEquals("simulated crash at " + crashAt, crash.getMessage());
            assertEquals(crashAt, reached.get(reached.size() - 1));
        } finally {
            try {
                db.close();
            } catch (ChronologException ignored) {
                // the abandoned instance may fail to close what the crash left half done; the files are what count
            }
        }
        try (Database reopened = Database.open(dir, options())) {
            assertEquals(crashAt == LiveFileSwap.Step.RENAMED ? 0 : 1, reopened.framesReplayedAtOpen(),
                    "open replays the RESTORE frame unless the rename happened");
            Map<String, List<String>> expected = Oracle.after(writes.subList(0, k));
            assertEquals(expected, SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)), "restored state after k=" + k);
            assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().startsWith(Restorer.TEMP_PREFIX)),
                    "open deleted the leftover image");
            VerifyReport report = reopened.verify();
            assertTrue(report.ok(), report.problems().toString());
            // the database goes on: a write after the restore lands on the restored state
            List<Statement> more = List.of(Statement.of("CREATE TABLE after_restore(x INTEGER)"),
                    Statement.of("INSERT INTO after_restore(x) VALUES (?)", (long) k));
            reopened.batch(more);
            List<List<Statement>> after = new ArrayList<>(writes.subList(0, k));
            after.add(more);
            assertEquals(Oracle.after(after), SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)));
        }
    }

    @Test
    void withNoOtherReaderTheImageIsRenamedAndQueriesSeeTheRestoredState() throws Exception {
        System.out.println("LiveFileSwapTest seed=" + seed + " (rerun with -Dtests.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = tmp.resolve("renamed");
        try (Database db = Database.open(dir, options())) {
            history(db, 200, 40);
            db.query("SELECT count(*) FROM sqlite_schema"); // a pooled reader connection on the old file
            List<LiveFileSwap.Step> reached = new CopyOnWriteArrayList<>();
            db.liveFileSwap().hook(reached::add);
            for (int round = 0; round < 4; round++) {
                reached.clear();
                int k = target(random, 200, 40);
                db.restore(bookmarks.get(k));
                assertEquals(List.of(LiveFileSwap.Step.values()), reached, "renamed, k=" + k);
                Map<String, List<String>> expected = Oracle.after(writes.subList(0, k));
                assertEquals(expected, SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)), "k=" + k);
                assertQueriesSee(db, expected, "k=" + k);
            }
            assertTrue(db.verify().ok());
        }
    }

    @Test
    void aReaderOfAReadOnlyOpenMakesTheRestoreCopyInsteadOfRename() throws Exception {
        System.out.println("LiveFileSwapTest seed=" + seed + " (rerun with -Dtests.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = tmp.resolve("copied");
        try (Database db = Database.open(dir, options())) {
            history(db, 200, 40);
            int k = target(random, 200, 40);
            List<LiveFileSwap.Step> reached = new CopyOnWriteArrayList<>();
            db.liveFileSwap().hook(reached::add);
            try (ReadOnlyDatabase reader = Database.openReadOnly(dir, Options.defaults())) {
                reader.query("SELECT count(*) FROM sqlite_schema"); // holds a connection on live.sqlite3 from now on
                db.restore(bookmarks.get(k));
                assertEquals(List.of(LiveFileSwap.Step.IMAGE_FORCED), reached, "no rename while another open reads the file");
                Map<String, List<String>> expected = Oracle.after(writes.subList(0, k));
                assertEquals(expected, SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)));
                assertQueriesSee(reader, expected, "the reader's connection sees the copied state");
            }
            reached.clear();
            k = target(random, 200, 40);
            db.restore(bookmarks.get(k));
            assertEquals(List.of(LiveFileSwap.Step.values()), reached, "renamed once the read-only open closed");
            assertEquals(Oracle.after(writes.subList(0, k)), SqliteFiles.dump(dir.resolve(LiveDatabase.FILE_NAME)));
        }
    }
}
