package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.internal.log.Frames;
import io.chronolog.snapshot.CheckpointMeta;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyTest {
    @TempDir
    Path tmp;

    private Database history(Path dir) {
        Database db = Database.open(dir, Options.builder().background(false).durability(Durability.ASYNC).build());
        HistoryWorkload w = new HistoryWorkload(7);
        for (int i = 1; i <= 300; i++) {
            db.batch(w.next());
            if (i % 60 == 0) {
                db.checkpoint();
            }
        }
        return db;
    }

    @Test
    void aCleanDatabaseVerifies() {
        try (Database db = history(tmp.resolve("clean"))) {
            db.restore(db.frame(100).bookmark());
            db.execute("CREATE TABLE after(v)");
            db.checkpoint();
            VerifyReport r = db.verify();
            assertTrue(r.ok(), r.problems().toString());
            assertTrue(r.frames() > 300);
            assertEquals(7, r.checkpoints());
        }
    }

    @Test
    void damagedTruncatedAndMissingCheckpointsAreReportedByNumber() throws Exception {
        Path dir = tmp.resolve("bad");
        try (Database db = history(dir)) {
            List<CheckpointInfo> cps = db.checkpoints();
            Path flipped = dir.resolve("checkpoints").resolve(String.format("%020d.ckpt", cps.get(1).number()));
            try (RandomAccessFile f = new RandomAccessFile(flipped.toFile(), "rw")) {
                f.seek(f.length() - 40);
                int b = f.read();
                f.seek(f.length() - 40);
                f.write(b ^ 0xFF);
            }
            Path truncated = dir.resolve("checkpoints").resolve(String.format("%020d.ckpt", cps.get(2).number()));
            try (RandomAccessFile f = new RandomAccessFile(truncated.toFile(), "rw")) {
                f.setLength(f.length() / 2);
            }
            Files.delete(dir.resolve("checkpoints").resolve(String.format("%020d.ckpt", cps.get(3).number())));
            VerifyReport r = db.verify();
            assertFalse(r.ok());
            String all = String.join("\n", r.problems());
            assertTrue(all.contains("checkpoint " + cps.get(1).number() + ":"), all);
            assertTrue(all.contains("checkpoint " + cps.get(2).number() + ":"), all);
            assertTrue(all.contains("checkpoint " + cps.get(3).number() + ":"), all);
            // restores that do not need the damaged images still work, and those that do fall back
            db.restore(db.frame(50).bookmark());
            db.restore(db.frame(250).bookmark());
        }
    }

    @Test
    void aLiveFileThatDriftedFromTheLogIsReported() throws Exception {
        Path dir = tmp.resolve("drift");
        try (Database db = history(dir)) {
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("live.sqlite3"));
                    var s = c.createStatement()) {
                s.execute("CREATE TABLE sneaked_in(v)");
            }
            VerifyReport r = db.verify();
            assertFalse(r.ok());
            assertTrue(r.problems().get(0).startsWith("live.sqlite3: its content differs"), r.problems().toString());
        }
    }

    @Test
    void forkStartsANewDatabaseAtThatMoment() throws Exception {
        Path dir = tmp.resolve("src");
        try (Database db = history(dir)) {
            var at = db.frame(120).bookmark();
            Path copy = tmp.resolve("exported.sqlite3");
            db.exportTo(at, copy);
            db.fork(at, tmp.resolve("forked"));
            try (Database fork = Database.open(tmp.resolve("forked"), Options.builder().background(false).build())) {
                assertEquals(SqliteFiles.dump(copy), SqliteFiles.dump(tmp.resolve("forked").resolve("live.sqlite3")));
                fork.execute("CREATE TABLE only_in_fork(v)");
                assertEquals(1, fork.history().size());
                assertTrue(fork.verify().ok(), fork.verify().problems().toString());
            }
            assertFalse(SqliteFiles.dump(dir.resolve("live.sqlite3")).containsKey("only_in_fork"));
        }
    }
}
