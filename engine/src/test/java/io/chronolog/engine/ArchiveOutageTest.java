package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.internal.archive.FaultProxy;
import io.chronolog.engine.internal.archive.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The archive goes away (a fault-injecting proxy in front of a real S3 server: down, answering
 * 503, or never answering) while two databases ship to it, one in {@link Durability#SYNC} and one
 * in {@link Durability#ARCHIVED} mode. SYNC writes keep succeeding while the status shows the lag
 * growing (and, once an upload failed, the error); an ARCHIVED write fails with an
 * {@link ArchiveException} after {@link ArchiveOptions#archivedWait()} yet stays applied. When the
 * archive is back, shipping catches up by itself, and a restore from the archive equals a plain
 * SQLite database that ran every write that was applied.
 */
class ArchiveOutageTest {
    private static S3Server server;
    private static FaultProxy proxy;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.start(Files.createTempDirectory("chronolog-s3"));
        S3Server.useCredentialsInThisJvm();
        proxy = FaultProxy.start(server.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        server.close();
    }

    private static OracleHistory.State write(Database db, HistoryWorkload workload, OracleHistory oracle, OracleHistory.State state) {
        List<Statement> w = workload.next();
        try {
            db.batch(w);
        } catch (SqlException e) {
            return state; // the workload's schema model and the database disagree: the write changed nothing
        }
        return oracle.after(state, w);
    }

    @ParameterizedTest
    @EnumSource(value = FaultProxy.Mode.class, names = {"DOWN_REFUSE", "HTTP_503", "STALL"})
    void shippingCatchesUpAfterAnOutage(FaultProxy.Mode fault) throws Exception {
        long seed = System.nanoTime();
        System.out.println("ArchiveOutageTest seed=" + seed + " fault=" + fault);
        proxy.mode(FaultProxy.Mode.PASS);
        String bucket = "outage-" + System.nanoTime();
        server.createBucket(bucket);
        ArchiveOptions direct = server.archive(bucket, "prod").build();
        ArchiveOptions proxied = direct.toBuilder().endpoint(proxy.endpoint()).lag(Duration.ofMillis(10))
                .archivedWait(Duration.ofSeconds(1)).build();
        OracleHistory oracleS = new OracleHistory(tmp.resolve("oracle-s"));
        OracleHistory oracleA = new OracleHistory(tmp.resolve("oracle-a"));
        HistoryWorkload workloadS = new HistoryWorkload(seed);
        HistoryWorkload workloadA = new HistoryWorkload(seed + 1);
        OracleHistory.State s = oracleS.root();
        OracleHistory.State a = oracleA.root();
        Path data = Files.createDirectories(tmp.resolve("data"));
        try (Database syncDb = Database.open(data.resolve("s"), Options.builder().background(false).archive(proxied).build());
                Database archivedDb = Database.open(data.resolve("a"), Options.builder().background(false).durability(Durability.ARCHIVED)
                        .archive(proxied).build())) {
            for (int i = 0; i < 20; i++) {
                s = write(syncDb, workloadS, oracleS, s);
                a = write(archivedDb, workloadA, oracleA, a);
            }
            assertEquals(0, syncDb.archiveSync(Duration.ofSeconds(30)).lagFrames());
            assertEquals(0, archivedDb.archiveStatus().lagFrames(), "ARCHIVED writes were archived when acknowledged");

            proxy.mode(fault);
            long lastLag = 0;
            for (int i = 0; i < 30; i++) {
                s = write(syncDb, workloadS, oracleS, s); // SYNC writes go on
                long lag = syncDb.archiveStatus().lagFrames();
                assertTrue(lag >= lastLag, "the lag only grows while the archive is away: " + lastLag + " then " + lag);
                lastLag = lag;
                Thread.sleep(30);
            }
            assertTrue(lastLag >= 25, "lag frames " + lastLag);
            if (fault != FaultProxy.Mode.STALL) { // a stalled upload has not failed yet: it waits out the store's timeouts
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (syncDb.archiveStatus().lastError() == null && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                ArchiveStatus st = syncDb.archiveStatus();
                assertNotNull(st.lastError(), st.toString());
                assertTrue(st.lagFrames() >= lastLag && st.lagMillis() > 0, st.toString());
                System.out.println(fault + ": " + st.lastError());
            }

            // an ARCHIVED write is not acknowledged, but it is applied and shipped later
            long started = System.nanoTime();
            ArchiveException notArchived = assertThrows(ArchiveException.class,
                    () -> archivedDb.execute("CREATE TABLE written_during_outage(x)"));
            long waited = (System.nanoTime() - started) / 1_000_000;
            assertTrue(waited >= 900 && waited < 8000, "failed after the archived wait of 1 s: " + waited + " ms");
            assertTrue(notArchived.getMessage().contains("not archived within 1000 ms"), notArchived.getMessage());
            a = oracleA.after(a, List.of(Statement.of("CREATE TABLE written_during_outage(x)")));
            assertEquals(1, archivedDb.query("SELECT count(*) FROM sqlite_schema WHERE name = 'written_during_outage'").get(0).getLong(0));

            // back: both catch up by themselves
            proxy.mode(FaultProxy.Mode.PASS);
            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            while ((syncDb.archiveStatus().lagFrames() > 0 || archivedDb.archiveStatus().lagFrames() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            ArchiveStatus caughtUp = syncDb.archiveStatus();
            assertEquals(0, caughtUp.lagFrames(), caughtUp.toString());
            assertEquals(syncDb.bookmark(), caughtUp.archived());
            assertNull(caughtUp.lastError(), caughtUp.toString());
            assertEquals(0, archivedDb.archiveStatus().lagFrames(), archivedDb.archiveStatus().toString());
            assertEquals(archivedDb.bookmark(), archivedDb.archiveStatus().archived());
            System.out.println(fault + ": caught up in " + (Duration.ofSeconds(45).toNanos() - (deadline - System.nanoTime())) / 1_000_000
                    + " ms after the archive came back; proxy saw " + proxy.requestCounts());
        }
        Path forks = Files.createDirectories(tmp.resolve("forks"));
        Options plain = Options.builder().background(false).build();
        Archives.restore(direct, "s", Archives.Target.newest(), forks, "s2", false, plain, null);
        Archives.restore(direct, "a", Archives.Target.newest(), forks, "a2", false, plain, null);
        assertEquals(oracleS.tables(s), ArchiveFixture.tables(forks.resolve("s2"), tmp), "seed " + seed);
        assertEquals(oracleA.tables(a), ArchiveFixture.tables(forks.resolve("a2"), tmp), "seed " + seed);
        for (String name : List.of("s", "a")) {
            ArchiveVerifyReport verified = Archives.verify(direct, name, tmp);
            assertTrue(verified.ok(), name + ": " + verified.problems());
        }
    }
}
