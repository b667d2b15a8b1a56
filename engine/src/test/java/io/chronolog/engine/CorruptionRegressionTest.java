package io.chronolog.engine;

import io.chronolog.engine.internal.directory.DatabaseDirectory;

import io.chronolog.engine.internal.history.Checkpoints;
import io.chronolog.engine.internal.live.LiveFileRepair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.snapshot.CheckpointMeta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faults {@link CorruptionIT} found handled wrongly, each kept as a fixed case: a live file whose
 * meta row or header is damaged (once replayed from frame 1 over existing tables, or served and
 * then failing writes), a damaged backup image and a log missing its first cycle file (once passed
 * by verify), a deleted restore checkpoint (once an error naming nothing), a damaged
 * {@code metadata.cq4t} (once a read-only queue and a writer that spun forever), and a cycle file
 * cut inside Chronicle's header (once a raw AssertionError).
 */
class CorruptionRegressionTest {
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    private static CorruptionFixture fx;

    @BeforeAll
    static void build() throws Exception {
        fx = CorruptionFixture.build(shared.resolve("base"), 20261123L);
    }

    private Path copy() throws Exception {
        Path dir = tmp.resolve("db");
        fx.copyTo(fx.closed, dir);
        return dir;
    }

    private static boolean keptAside(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("live.sqlite3" + LiveFileRepair.DAMAGED_INFIX));
        }
    }

    @Test
    void aLiveFileWhoseMetaRowIsZeroedIsKeptAsideAndRebuilt() throws Exception {
        Path dir = copy();
        CorruptionFixture.LiveLayout live = CorruptionFixture.liveLayout(dir.resolve("live.sqlite3"));
        long end = live.metaPage() * live.pageSize();
        new Damage("meta row", Damage.Fault.ZERO_RANGE, Path.of("live.sqlite3"), end - 23, 23, 0).applyTo(dir);
        try (Database db = Database.open(dir, fx.options)) {
            assertEquals(fx.expected, CorruptionIT.engineDump(db));
            assertTrue(db.verify().ok());
        }
        assertTrue(keptAside(dir));
    }

    @Test
    void aLiveFileWithAWrongFreelistCountIsRebuiltAndTakesWrites() throws Exception {
        Path dir = copy();
        new Damage("header", Damage.Fault.FLIP_BIT, Path.of("live.sqlite3"), 37, 1, 6).applyTo(dir);
        try (Database db = Database.open(dir, fx.options)) {
            assertEquals(fx.expected, CorruptionIT.engineDump(db));
            db.execute("CREATE TABLE later(v)");
            db.execute("INSERT INTO later VALUES (1)");
        }
        assertTrue(keptAside(dir));
    }

    @Test
    void aDamagedBackupImageIsReportedByVerify() throws Exception {
        Path dir = copy();
        CheckpointMeta backup = CorruptionFixture.checkpoints(dir, fx.options).stream().filter(CheckpointMeta::isBackup).findFirst()
                .orElseThrow();
        Path file = Path.of("checkpoints", String.format("%020d.ckpt", backup.number()));
        new Damage("backup", Damage.Fault.FLIP_BIT, file, Files.size(dir.resolve(file.toString())) - 20, 1, 3).applyTo(dir);
        try (Database db = Database.open(dir, fx.options)) {
            VerifyReport r = db.verify();
            assertFalse(r.ok());
            assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("backup " + fx.backupId + " (checkpoint " + backup.number() + ")")),
                    r.problems().toString());
        }
    }

    @Test
    void aLogMissingItsFirstCycleFileIsRefusedAtOpen() throws Exception {
        Path dir = copy();
        Files.delete(CorruptionFixture.cycleFiles(dir).get(0));
        CorruptionException e = assertThrows(CorruptionException.class, () -> Database.open(dir, fx.options));
        assertTrue(e.getMessage().contains("frames missing from the start of the log: expected first frame=1"), e.getMessage());
    }

    @Test
    void aLogMissingItsFirstCycleFileAndItsStateFileIsReportedByVerify() throws Exception {
        Path dir = copy();
        Files.delete(CorruptionFixture.cycleFiles(dir).get(0));
        Files.delete(dir.resolve(DatabaseDirectory.WAL_DIRECTORY).resolve("log.state")); // as a database written before log.state
        try (Database db = Database.open(dir, fx.options)) {
            assertEquals(fx.expected, CorruptionIT.engineDump(db));
            VerifyReport r = db.verify();
            assertFalse(r.ok());
            assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("log: frames ") && p.contains("are missing from")),
                    r.problems().toString());
        }
    }

    @Test
    void rebuildingWithoutTheRestoreCheckpointNamesIt() throws Exception {
        Path dir = copy();
        CheckpointMeta restore = CorruptionFixture.checkpoints(dir, fx.options).stream()
                .filter(c -> Checkpoints.RESTORE_LABEL.equals(c.label())).findFirst().orElseThrow();
        Files.delete(dir.resolve("checkpoints").resolve(String.format("%020d.ckpt", restore.number())));
        CorruptionFixture.Probe epoch1 = fx.probes.stream().filter(p -> p.bookmark().epoch() == 1).findFirst().orElseThrow();
        try (Database db = Database.open(dir, fx.options)) {
            CorruptionException e = assertThrows(CorruptionException.class, () -> db.exportTo(epoch1.bookmark(), tmp.resolve("x.sqlite3")));
            assertTrue(e.getMessage().contains("checkpoint " + restore.number() + " is missing"), e.getMessage());
        }
    }

    @Test
    void aDamagedQueueMetadataFileIsReplacedAndWritesGoOn() throws Exception {
        // Chronicle opened the queue read-only over this damage; the first write then spun forever in the writer
        Path dir = copy();
        new Damage("metadata", Damage.Fault.FLIP_BIT, Path.of("wal", "metadata.cq4t"), 61, 1, 1).applyTo(dir);
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            try (Database db = Database.open(dir, fx.options)) {
                db.execute("CREATE TABLE later(v)");
            }
            try (Database db = Database.open(dir, fx.options)) {
                assertEquals(List.of(), db.query("SELECT * FROM later").asList());
                assertTrue(db.verify().ok());
            }
        });
    }

    @Test
    void aCycleFileCutInsideItsHeaderIsRefusedWithTheLogNamed() throws Exception {
        List<Path> cycles = CorruptionFixture.cycleFiles(fx.closed);
        Path last = cycles.get(cycles.size() - 1);
        long firstFrame = fx.frames(fx.closed, last).get(0).offset();
        for (long at : new long[] {firstFrame / 4, firstFrame / 2, firstFrame * 3 / 4, firstFrame - 8}) {
            Path dir = tmp.resolve("cut-" + at).resolve("db");
            fx.copyTo(fx.closed, dir);
            new Damage("cycle header", Damage.Fault.TRUNCATE, fx.closed.relativize(last), at, 0, 0).applyTo(dir);
            ChronologException e = assertThrows(ChronologException.class, () -> Database.open(dir, fx.options).close(),
                    "truncated to " + at);
            assertTrue(e.getMessage().contains(dir.resolve("wal").toString()) && !e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
