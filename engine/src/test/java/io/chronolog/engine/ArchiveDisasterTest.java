package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.internal.archive.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The machine is lost: the database's whole directory is deleted, and it is built again from the
 * archive alone, at the newest archived frame (as the archive's new writer) and, as forks, at 20
 * random bookmarks of a history with checkpoints and a restore in it; every table is compared with
 * a plain SQLite database that ran the same writes. Against a real S3 server (s3proxy on 127.0.0.1)
 * and a {@code file://} archive.
 */
class ArchiveDisasterTest {
    private static S3Server server;
    private static Path serverDir;

    @BeforeAll
    static void startServer() throws Exception {
        serverDir = Files.createTempDirectory("chronolog-s3");
        server = S3Server.start(serverDir);
        S3Server.useCredentialsInThisJvm();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private ArchiveOptions archive(String kind, Path scratch) throws Exception {
        if (kind.equals("s3")) {
            String bucket = "disaster-" + System.nanoTime();
            server.createBucket(bucket);
            return server.archive(bucket, "prod").lag(Duration.ofMillis(20)).build();
        }
        return ArchiveOptions.builder(Files.createDirectories(scratch.resolve("archive")).toUri().toString()).lag(Duration.ofMillis(20)).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "file"})
    void theDatabaseIsRebuiltFromTheArchiveAloneAtEveryMoment(String kind, @TempDir Path tmp) throws Exception {
        long seed = System.nanoTime();
        System.out.println("ArchiveDisasterTest seed=" + seed + " kind=" + kind);
        SplittableRandom random = new SplittableRandom(seed);
        ArchiveOptions archive = archive(kind, tmp);
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path dir = data.resolve("app");
        OracleHistory oracle = new OracleHistory(tmp.resolve("oracle"));
        HistoryWorkload workload = new HistoryWorkload(seed);
        record Moment(Bookmark bookmark, OracleHistory.State state) {
        }
        List<Moment> moments = new ArrayList<>();
        OracleHistory.State state = oracle.root();
        Options options = Options.builder().background(false).archive(archive).build();
        try (Database db = Database.open(dir, options)) {
            for (int i = 0; i < 240; i++) {
                List<Statement> write = workload.next();
                try {
                    List<Result> r = db.batch(write);
                    state = oracle.after(state, write);
                    moments.add(new Moment(r.get(r.size() - 1).bookmark(), state));
                } catch (SqlException e) {
                    // the workload's schema model and a restored schema disagree: the write changed nothing
                }
                if (i % 50 == 49) {
                    db.checkpoint();
                }
                if (i == 150 || (i > 20 && random.nextInt(30) == 0)) {
                    // restores anywhere back, undos and redos: frames that load older restores' checkpoints
                    Moment back = moments.get(random.nextInt(moments.size()));
                    RestoreResult rr = db.restore(back.bookmark());
                    state = oracle.restoredTo(back.state());
                    moments.add(new Moment(rr.bookmark(), state));
                }
                if (i == 200) {
                    db.backups().create();
                }
            }
            ArchiveStatus status = db.archiveSync(Duration.ofSeconds(60));
            assertEquals(0, status.lagFrames(), status.toString());
            assertEquals(db.bookmark(), status.archived());
        }
        Map<String, List<String>> newest = oracle.tables(state);
        ArchiveFixture.deleteTree(dir); // the machine is lost

        List<ArchivedDatabase> listed = Archives.list(archive);
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("app", listed.get(0).name());
        assertEquals(moments.get(moments.size() - 1).bookmark(), listed.get(0).last());
        ArchiveVerifyReport verified = Archives.verify(archive, "app", tmp);
        assertTrue(verified.ok(), verified.problems().toString());
        assertEquals(1, Archives.backups(archive, "app").size());

        ArchiveRestoreResult dry = Archives.restore(archive, "app", Archives.Target.newest(), data, null, true, Options.defaults(), null);
        assertTrue(dry.dryRun());
        assertFalse(Files.exists(dir), "a dry run writes nothing");

        // 20 random moments, each as a fork
        for (int k = 0; k < 20; k++) {
            Moment m = moments.get(random.nextInt(moments.size()));
            String fork = "fork" + k;
            ArchiveRestoreResult r = Archives.restore(archive, "app", new Archives.Target(m.bookmark(), null), data, fork, false,
                    Options.builder().background(false).build(), null);
            assertEquals(m.bookmark(), r.restoredTo());
            assertEquals(oracle.tables(m.state()), exported(data.resolve(fork), tmp.resolve("fork" + k + ".sqlite3")),
                    "fork at " + m.bookmark() + " (seed " + seed + ")");
            ArchiveFixture.deleteTree(data.resolve(fork));
        }

        // the newest moment, as the archive's new writer
        ArchiveRestoreResult taken = Archives.restore(archive, "app", Archives.Target.newest(), data, null, false,
                Options.builder().background(false).build(), null);
        assertTrue(taken.takeover());
        assertEquals(newest, exported(dir, tmp.resolve("newest.sqlite3")), "seed " + seed);
        try (Database db = Database.open(dir, Options.builder().background(false).build())) {
            db.execute("CREATE TABLE after_takeover(x)");
            ArchiveStatus s = db.archiveSync(Duration.ofSeconds(60));
            assertEquals(db.bookmark(), s.archived(), "the restored database ships to the same archive");
        }
        assertThrows(ChronologException.class, () -> Archives.restore(archive, "app", Archives.Target.newest(), data, null, false,
                Options.defaults(), null), "a restore never replaces an existing database");
        assertThrows(ArchiveException.class, () -> Archives.restore(archive, "nosuch", Archives.Target.newest(), data, "x", false,
                Options.defaults(), null));
    }

    private static Map<String, List<String>> exported(Path dir, Path file) throws Exception {
        try (ReadOnlyDatabase db = Database.openReadOnly(dir, Options.defaults())) {
            db.exportTo(db.bookmark(), file);
        }
        Map<String, List<String>> tables = SqliteFiles.dump(file);
        Files.delete(file);
        return tables;
    }
}
