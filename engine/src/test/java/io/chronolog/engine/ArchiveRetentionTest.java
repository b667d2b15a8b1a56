package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local retention of 2 days, archive retention of 10, over 15 days of engine time (a clock moved by
 * hand, wall and monotonic time together): the local log is pruned, the archive keeps 10 days (its
 * collector runs after shipping once an hour of engine time has passed), so a bookmark 8 days old
 * is restored from the archive and equals a plain SQLite database that ran the same writes, while
 * one 12 days old is refused with a clear error. With the archive unreachable, local pruning keeps
 * every frame and checkpoint the archive lacks; once it is back they ship, and restore.
 */
class ArchiveRetentionTest {
    private static final Instant T0 = Instant.parse("2030-03-01T00:00:00Z");
    private static final Duration LOCAL = Duration.ofDays(2);
    private static final Duration ARCHIVE = Duration.ofDays(10);

    @TempDir
    Path tmp;

    private MutableClock clock;

    record Moment(Bookmark bookmark, OracleHistory.State state, Instant time, long position) {
    }

    private Options options(ArchiveOptions archive) {
        return Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).retention(LOCAL).archive(archive).build();
    }

    /**
     * The restoring process's options: its retention window covers the archive's, since the copy
     * is opened with them and a moment older than their window would be refused.
     */
    private Options restoring() {
        return Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).retention(ARCHIVE.plusDays(1)).build();
    }

    private ArchiveOptions archive(Path dir) throws Exception {
        return ArchiveOptions.builder(Files.createDirectories(dir).toUri().toString()).lag(Duration.ofMillis(10))
                .retention(ARCHIVE).archivedWait(Duration.ofSeconds(5)).build();
    }

    /** Writes every 4 hours of engine time for {@code days}, a checkpoint a day, a prune after each write. */
    private OracleHistory.State days(Database db, int days, boolean sync, HistoryWorkload workload, OracleHistory oracle,
            OracleHistory.State state, List<Moment> moments) {
        for (int step = 0; step < days * 6; step++) {
            clock.advance(Duration.ofHours(4));
            List<Statement> w = workload.next();
            try {
                Result r = db.batch(w).get(w.size() - 1);
                state = oracle.after(state, w);
                moments.add(new Moment(r.bookmark(), state, clock.instant(), db.positionOf(r.bookmark())));
            } catch (SqlException e) {
                // the workload's schema model and the database disagree: the write changed nothing
            }
            if (step % 6 == 5) {
                db.checkpoint();
            }
            if (sync) {
                db.archiveSync(Duration.ofSeconds(30));
            }
            db.prune();
        }
        return state;
    }

    private static Moment aged(List<Moment> moments, Instant now, Duration age) {
        Instant at = now.minus(age);
        return moments.stream().min(Comparator.comparing((Moment m) -> Duration.between(m.time(), at).abs())).orElseThrow();
    }

    @Test
    void theArchiveKeepsItsOwnLongerWindow() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ArchiveRetentionTest.theArchiveKeepsItsOwnLongerWindow seed=" + seed);
        clock = new MutableClock(T0);
        ArchiveOptions archive = archive(tmp.resolve("archive"));
        OracleHistory oracle = new OracleHistory(tmp.resolve("oracle"));
        HistoryWorkload workload = new HistoryWorkload(seed);
        List<Moment> moments = new ArrayList<>();
        Path data = Files.createDirectories(tmp.resolve("data"));
        try (Database db = Database.open(data.resolve("app"), options(archive))) {
            days(db, 15, true, workload, oracle, oracle.root(), moments);
            Instant now = clock.instant();
            Moment eight = aged(moments, now, Duration.ofDays(8));
            Moment twelve = aged(moments, now, Duration.ofDays(12));
            // locally, both are gone
            assertThrows(BookmarkException.class, () -> db.planRestore(eight.bookmark()));
            assertThrows(RuntimeException.class, () -> db.frame(moments.get(0).position()), "the local log is pruned");

            ArchiveVerifyReport verified = Archives.verify(archive, "app", tmp);
            assertTrue(verified.ok(), "seed " + seed + ": " + verified.problems());
            ArchivedDatabase listed = Archives.list(archive).get(0);
            assertTrue(listed.firstPosition() > moments.get(0).position(), "the archive's collector deleted its oldest history: " + listed);
            assertTrue(listed.firstPosition() <= eight.position(), "... but not what its window needs: " + listed);

            ArchiveRestoreResult r = Archives.restore(archive, "app", new Archives.Target(eight.bookmark(), null), data, "eightdaysago",
                    false, restoring(), null);
            assertEquals(eight.bookmark(), r.restoredTo());
            assertEquals(oracle.tables(eight.state()), ArchiveFixture.tables(data.resolve("eightdaysago"), tmp), "seed " + seed);

            ChronologException refused = assertThrows(ChronologException.class, () -> Archives.restore(archive, "app",
                    new Archives.Target(twelve.bookmark(), null), data, "twelvedaysago", false, restoring(), null));
            System.out.println("12 days old: " + refused.getMessage());
            assertTrue(refused instanceof BookmarkException || refused instanceof ArchiveException, refused.toString());
            assertTrue(refused.getMessage().contains("archive"), refused.getMessage());
            assertTrue(!Files.exists(data.resolve("twelvedaysago")));
        }
    }

    @Test
    void localRetentionKeepsWhatTheArchiveLacks() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ArchiveRetentionTest.localRetentionKeepsWhatTheArchiveLacks seed=" + seed);
        clock = new MutableClock(T0);
        Path archiveDir = tmp.resolve("archive");
        ArchiveOptions archive = archive(archiveDir);
        OracleHistory oracle = new OracleHistory(tmp.resolve("oracle"));
        HistoryWorkload workload = new HistoryWorkload(seed);
        List<Moment> moments = new ArrayList<>();
        Path data = Files.createDirectories(tmp.resolve("data"));
        try (Database db = Database.open(data.resolve("app"), options(archive))) {
            OracleHistory.State state = days(db, 3, true, workload, oracle, oracle.root(), moments);
            long archived = db.archiveStatus().lagFrames() == 0 ? db.positionOf(db.archiveStatus().archived()) : -1;
            assertTrue(archived > 0);
            int before = moments.size();
            // the archive becomes unreachable: a plain file where its directory was
            Path away = tmp.resolve("archive-away");
            Files.move(archiveDir, away);
            Files.writeString(archiveDir, "not a directory");
            state = days(db, 5, false, workload, oracle, state, moments);
            ArchiveStatus status = db.archiveStatus();
            assertTrue(status.lagFrames() >= moments.size() - before, status.toString());
            assertNotNull(status.lastError(), status.toString());
            assertTrue(status.unarchivedLocalBytes() > 0, status.toString());
            // 5 days of frames past the 2-day window, none archived: every one is still in the log
            for (Moment m : moments.subList(before, moments.size())) {
                assertEquals(m.position(), db.frame(m.position()).position());
            }
            assertEquals(archived + 1, db.frame(archived + 1).position(), "the first frame the archive lacks is kept");
            long checkpointsKept = db.checkpoints().stream().filter(c -> c.position() > archived).count();
            assertTrue(checkpointsKept >= 4, "the checkpoints taken during the outage are kept: " + db.checkpoints());

            // the archive is back: everything ships, then local pruning goes ahead
            Files.delete(archiveDir);
            Files.move(away, archiveDir);
            ArchiveStatus synced = db.archiveSync(Duration.ofSeconds(60));
            assertEquals(0, synced.lagFrames(), synced.toString());
            db.prune();
            Moment during = moments.get(before + 2);
            assertThrows(RuntimeException.class, () -> db.frame(during.position()), "pruned once archived");
            ArchiveRestoreResult r = Archives.restore(archive, "app", new Archives.Target(during.bookmark(), null), data, "duringoutage",
                    false, restoring(), null);
            assertEquals(during.bookmark(), r.restoredTo());
            assertEquals(oracle.tables(during.state()), ArchiveFixture.tables(data.resolve("duringoutage"), tmp), "seed " + seed);
            ArchiveVerifyReport verified = Archives.verify(archive, "app", tmp);
            assertTrue(verified.ok(), "seed " + seed + ": " + verified.problems());
        }
    }
}
