package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.internal.log.Effect;
import io.chronolog.engine.internal.log.StatementBatch;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameKind;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.LogOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logged frame the live file cannot take (here one written straight into the log, as a damaged
 * or foreign log could hold) never leaves the database unopenable: it opens for reads at the last
 * frame it applied, refuses writes with an error naming the restore that makes it writable, and
 * that restore works.
 */
class UnappliableFrameTest {
    @TempDir
    Path tmp;

    @Test
    void opensForReadsAndTheNamedRestoreMakesItWritable() throws Exception {
        Path dir = tmp.resolve("db");
        Bookmark good;
        try (Database db = Database.open(dir)) {
            db.execute("CREATE TABLE t(v)");
            good = db.execute("INSERT INTO t VALUES (1)").bookmark();
        }
        try (FrameLog log = FrameLog.open(dir.resolve("wal"), LogOptions.defaults(System::currentTimeMillis))) {
            Frame last = log.read(log.lastPosition());
            byte[] payload = new StatementBatch(7, List.of(Statement.of("INSERT INTO missing VALUES (1)")),
                    List.of(new Effect(1, 1))).encode();
            log.append(last.epoch(), last.checkpoint(), last.offset() + 1, last.timestamp() + 1, FrameKind.STATEMENTS, payload);
            log.sync();
        }
        try (Database db = Database.open(dir)) {
            assertEquals(1, db.query("SELECT count(*) FROM t").get(0).getLong(0));
            ChronologException e = assertThrows(ChronologException.class, () -> db.execute("INSERT INTO t VALUES (2)"));
            assertTrue(e.getMessage().contains("cannot be applied") && e.getMessage().contains("--bookmark " + good), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
            db.restore(good);
            db.execute("INSERT INTO t VALUES (2)");
            assertEquals(2, db.query("SELECT count(*) FROM t").get(0).getLong(0));
        }
        try (Database db = Database.open(dir)) {
            assertEquals(2, db.query("SELECT count(*) FROM t").get(0).getLong(0));
            assertTrue(db.verify().problems().stream().allMatch(p -> p.contains("frame 3")) , String.valueOf(db.verify()));
        }
    }
}
