package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Histories whose archived end needs more than the newest checkpoint: a restore as the last
 * frame, a redo of a restore (whose frame loads an older restore's checkpoint), a bookmark whose
 * checkpoint was taken before the base; each restored from the archive alone and compared with the
 * state the local database had.
 */
class ArchiveRestoreClosureTest {

    private static Map<String, List<String>> state(ReadableDatabase db, Bookmark at, Path file) throws Exception {
        db.exportTo(at, file);
        Map<String, List<String>> t = SqliteFiles.dump(file);
        Files.delete(file);
        return t;
    }

    @Test
    void aRestoreAsTheNewestFrameAndARedoOfARestore(@TempDir Path tmp) throws Exception {
        ArchiveOptions archive = ArchiveOptions.builder(Files.createDirectories(tmp.resolve("archive")).toUri().toString()).build();
        Path data = tmp.resolve("data");
        Map<String, List<String>> expected;
        Bookmark first;
        Bookmark afterSecond;
        try (Database db = Database.open(data.resolve("app"), Options.builder().archive(archive).background(false).build())) {
            first = db.execute("CREATE TABLE t(x)").bookmark();
            db.execute("INSERT INTO t VALUES (1)");
            db.checkpoint();
            afterSecond = db.execute("INSERT INTO t VALUES (2)").bookmark();
            RestoreResult r1 = db.restore(first);
            db.restore(r1.previousBookmark()); // undo
            db.restore(r1.bookmark());         // redo: loads the first restore's checkpoint again
            db.archiveSync(Duration.ofSeconds(30));
            expected = state(db, db.bookmark(), tmp.resolve("e.sqlite3"));
        }
        ArchiveFixture.deleteTree(data.resolve("app"));
        Archives.restore(archive, "app", Archives.Target.newest(), data, "fork", false, Options.builder().background(false).build(), null);
        try (ReadOnlyDatabase db = Database.openReadOnly(data.resolve("fork"), Options.defaults())) {
            assertEquals(expected, state(db, db.bookmark(), tmp.resolve("f.sqlite3")));
        }
        Archives.restore(archive, "app", new Archives.Target(afterSecond, null), data, "fork2", false,
                Options.builder().background(false).build(), null);
        Archives.restore(archive, "app", Archives.Target.newest(), data, null, false, Options.builder().background(false).build(), null);
        try (ReadOnlyDatabase db = Database.openReadOnly(data.resolve("app"), Options.defaults())) {
            assertEquals(expected, state(db, db.bookmark(), tmp.resolve("g.sqlite3")));
            try (var files = Files.list(data.resolve("app"))) {
                assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.contains("damaged")).toList());
            }
        }
    }

    @Test
    void aFencedWritersCheckpointLeftInTheArchiveIsPassedOver(@TempDir Path tmp) throws Exception {
        ArchiveOptions archive = ArchiveOptions.builder(Files.createDirectories(tmp.resolve("archive")).toUri().toString()).build();
        Options options = Options.builder().archive(archive).background(false).build();
        Path a = tmp.resolve("a").resolve("app");
        Path b = tmp.resolve("b").resolve("app");
        try (Database db = Database.open(a, options)) {
            db.execute("CREATE TABLE t(x)");
            db.execute("INSERT INTO t VALUES (1)");
            db.archiveSync(Duration.ofSeconds(30));
        }
        ArchiveFixture.copyTree(a, b); // a second machine with the same history
        Map<String, List<String>> expected;
        Bookmark mid;
        try (Database other = Database.open(b, options)) {
            other.archiveStatus(); // b has read the archive: it continues a's history, as far as it knows
            try (Database db = Database.open(a, options)) {
                mid = db.execute("INSERT INTO t VALUES (2)").bookmark();
                db.checkpoint();
                db.execute("INSERT INTO t VALUES (3)");
                db.archiveSync(Duration.ofSeconds(30));
                expected = state(db, db.bookmark(), tmp.resolve("e.sqlite3"));
            }
            other.execute("INSERT INTO t VALUES (20)");
            other.execute("INSERT INTO t VALUES (21)");
            other.checkpoint(); // the same checkpoint number as a's, at another frame: shipped before its frames
            ArchiveException fenced = assertThrows(ArchiveException.class, () -> other.archiveSync(Duration.ofSeconds(30)));
            assertTrue(fenced.getMessage().contains("fenced"), fenced.getMessage());
        }
        assertTrue(Files.list(tmp.resolve("archive").resolve("app").resolve("checkpoints")).count() >= 2,
                "the fenced writer's checkpoint is in the archive");
        ArchiveVerifyReport verified = Archives.verify(archive, "app", tmp);
        assertTrue(verified.ok(), verified.problems().toString());
        Path data = tmp.resolve("data");
        Archives.restore(archive, "app", Archives.Target.newest(), data, "newest", false, Options.builder().background(false).build(), null);
        try (ReadOnlyDatabase db = Database.openReadOnly(data.resolve("newest"), Options.defaults())) {
            assertEquals(expected, state(db, db.bookmark(), tmp.resolve("n.sqlite3")));
        }
        Archives.restore(archive, "app", new Archives.Target(mid, null), data, "mid", false, Options.builder().background(false).build(), null);
        try (ReadOnlyDatabase db = Database.openReadOnly(data.resolve("mid"), Options.defaults())) {
            assertEquals(2, db.query("SELECT count(*) FROM t").get(0).getLong(0));
        }
    }
}
