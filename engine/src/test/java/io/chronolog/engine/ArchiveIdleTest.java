package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.internal.archive.FaultProxy;
import io.chronolog.engine.internal.archive.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle database is silent: once its archive holds everything, an open database with background
 * jobs running makes no request of the archive (its request counts do not move) for seconds on end;
 * the next write is shipped (the counts move), and then it is silent again. Against a real S3 server.
 */
class ArchiveIdleTest {
    @TempDir
    Path tmp;

    private static long total(Map<String, Long> requests) {
        return requests.values().stream().mapToLong(Long::longValue).sum();
    }

    private static java.util.List<String> keys(ArchiveOptions archive) {
        try (var store = io.chronolog.engine.internal.archive.ArchiveStores.open(archive)) {
            return store.list("");
        }
    }

    @Test
    void anIdleDatabaseMakesNoRequest() throws Exception {
        try (S3Server server = S3Server.start(Files.createDirectories(tmp.resolve("s3")));
                FaultProxy proxy = FaultProxy.start(server.endpoint())) {
            S3Server.useCredentialsInThisJvm();
            server.createBucket("idle");
            // through a proxy that counts what reaches the server, apart from the engine's own counts
            ArchiveOptions archive = server.archive("idle", "prod").endpoint(proxy.endpoint()).lag(Duration.ofMillis(10)).build();
            try (Database db = Database.open(tmp.resolve("app"), Options.builder().archive(archive).build())) {
                db.execute("CREATE TABLE t(x)");
                for (int i = 0; i < 50; i++) {
                    db.execute("INSERT INTO t VALUES (?)", i);
                }
                db.checkpoint();
                // the background schedule's first run (each second) takes the first automatic backup: new data, shipped
                long backupDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (db.backups().list().isEmpty() && System.nanoTime() < backupDeadline) {
                    Thread.sleep(20);
                }
                assertEquals(1, db.backups().list().size(), "the schedule's first backup");
                db.archiveSync(Duration.ofSeconds(30));
                java.util.List<String> keysBefore = keys(archive);
                Map<String, Long> before = db.archiveRequests();
                long seenBefore = proxy.requests();
                assertTrue(total(before) > 0, before.toString());
                Thread.sleep(3000);
                Map<String, Long> idle = db.archiveRequests();
                assertEquals(before, idle, () -> "no request while idle for 3 s; objects before " + keysBefore + ", after " + keys(archive));
                assertEquals(seenBefore, proxy.requests(), "the server saw no request while idle: " + proxy.requestCounts());
                assertEquals(0, db.archiveStatus().lagFrames());

                db.execute("INSERT INTO t VALUES ('one more')");
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (db.archiveStatus().lagFrames() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertEquals(0, db.archiveStatus().lagFrames(), "the write shipped by itself");
                Map<String, Long> shipped = db.archiveRequests();
                assertEquals(before.get("create") + 1, shipped.get("create"), "one segment: " + before + " -> " + shipped);
                long seenShipped = proxy.requests();
                assertTrue(seenShipped > seenBefore, "the proxy counts: " + proxy.requestCounts());
                Thread.sleep(2000);
                assertEquals(shipped, db.archiveRequests(), "silent again");
                assertEquals(seenShipped, proxy.requests(), "the server saw no request either: " + proxy.requestCounts());
                System.out.println("ArchiveIdleTest: requests after sync " + before + ", after 3 s idle " + idle + ", after one write "
                        + shipped);
            }
        }
    }
}
