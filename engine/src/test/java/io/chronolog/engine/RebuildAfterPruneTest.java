package io.chronolog.engine;

import io.chronolog.engine.internal.directory.DatabaseDirectory;

import io.chronolog.engine.internal.live.LiveDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's "corrupted live file" step on a pruned log: a missing, empty or damaged
 * {@code live.sqlite3} is rebuilt from a checkpoint plus the log, not by replay from frame 1 (which
 * pruning removed), and falls back to an older checkpoint when the newest is damaged. Every table is
 * compared with a plain SQLite oracle that ran the same statements.
 */
class RebuildAfterPruneTest {
    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<List<Statement>> writes = new ArrayList<>();

    private Options options() {
        return Options.builder().clock(clock).nanoTime(clock::nanoTime).background(false).retention(Duration.ofDays(3)).build();
    }

    /** Six days of hourly writes with a checkpoint a day, pruned to a 3-day window. */
    private Path prunedDatabase() throws Exception {
        Path dir = tmp.resolve("db");
        HistoryWorkload workload = new HistoryWorkload(7);
        try (Database db = Database.open(dir, options())) {
            for (int hour = 0; hour < 6 * 24; hour++) {
                clock.advance(Duration.ofHours(1));
                List<Statement> w = workload.next();
                db.batch(w);
                writes.add(w);
                if (hour % 24 == 23) {
                    db.checkpoint();
                }
            }
            clock.advance(Duration.ofHours(1));
            assertTrue(db.prune() > 0, "nothing was pruned");
        }
        return dir;
    }

    private void reopensEqualToTheOracle(Path dir) throws Exception {
        reopensEqualToTheOracle(dir, null);
    }

    /** Reopens, compares with the oracle; verify is clean, or reports only {@code damaged}. */
    private void reopensEqualToTheOracle(Path dir, Path damaged) throws Exception {
        try (Database db = Database.open(dir, options())) {
            assertEquals(Oracle.after(writes), CorruptionIT.engineDump(db));
            VerifyReport report = db.verify();
            if (damaged == null) {
                assertTrue(report.ok(), report.problems()::toString);
            } else {
                assertEquals(1, report.problems().size(), report.problems()::toString);
                assertTrue(report.problems().get(0).contains(damaged.getFileName().toString()), report.problems()::toString);
            }
            db.execute("CREATE TABLE probe_after(v)");
            db.execute("INSERT INTO probe_after(v) VALUES ('after')");
        }
        try (Database db = Database.open(dir, options())) {
            assertEquals(1, db.query("SELECT count(*) FROM probe_after WHERE v = 'after'").get(0).getLong(0));
        }
    }

    @Test
    void aMissingLiveFileIsRebuiltFromACheckpointAfterPruning() throws Exception {
        Path dir = prunedDatabase();
        for (String s : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(dir.resolve(LiveDatabase.FILE_NAME + s));
        }
        reopensEqualToTheOracle(dir);
    }

    @Test
    void anEmptyLiveFileIsRebuiltFromACheckpointAfterPruning() throws Exception {
        Path dir = prunedDatabase();
        for (String s : new String[] {"-wal", "-shm"}) {
            Files.deleteIfExists(dir.resolve(LiveDatabase.FILE_NAME + s));
        }
        Files.write(dir.resolve(LiveDatabase.FILE_NAME), new byte[0]);
        reopensEqualToTheOracle(dir);
    }

    @Test
    void aDamagedNewestCheckpointFallsBackToAnOlderOne() throws Exception {
        Path dir = prunedDatabase();
        for (String s : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(dir.resolve(LiveDatabase.FILE_NAME + s));
        }
        Path newest;
        try (var files = Files.list(dir.resolve(DatabaseDirectory.CHECKPOINT_DIRECTORY))) {
            newest = files.filter(p -> p.toString().endsWith(".ckpt")).max(Path::compareTo).orElseThrow();
        }
        byte[] b = Files.readAllBytes(newest);
        b[b.length / 2] ^= 0x5a;
        Files.write(newest, b);
        reopensEqualToTheOracle(dir, newest);
    }
}
