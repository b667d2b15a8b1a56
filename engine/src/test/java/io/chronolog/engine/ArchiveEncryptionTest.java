package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.internal.archive.ArchiveEnvelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An encrypted archive end to end: a key file (mode 600) with key 1; the database ships, and a
 * restore from the archive equals a plain SQLite database that ran the same writes, while no
 * object holds a distinctive string the database holds (an unencrypted archive of the same writes
 * does: the probe works). Rotation: key 2 first, key 1 after it; new objects are sealed with key 2,
 * and a restore reads old and new ones. A restore with key 2 only fails in one line naming key 1;
 * one without a key says the archive is encrypted.
 */
class ArchiveEncryptionTest {
    @TempDir
    Path tmp;

    private static void keyFile(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static String entry(int id, byte[] key) {
        return id + ":" + Base64.getEncoder().encodeToString(key) + "\n";
    }

    private ArchiveOptions fileArchive(String name, Path keys) throws Exception {
        return ArchiveOptions.builder(Files.createDirectories(tmp.resolve(name)).toUri().toString()).lag(Duration.ofMillis(10))
                .keyFile(keys).build();
    }

    /** Master key ids of the objects under {@code dir}, counted; every object must be an envelope. */
    private static Map<Integer, Integer> keyIds(Path dir) throws Exception {
        Map<Integer, Integer> ids = new TreeMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                byte[] b = Files.readAllBytes(p);
                assertTrue(ArchiveEnvelope.isEnvelope(b), "every object is sealed: " + p);
                ids.merge(ArchiveEnvelope.masterKeyId(p.toString(), b), 1, Integer::sum);
            }
        }
        return ids;
    }

    @Test
    void encryptedAtRestRestoredWithTheRingAndRotated() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ArchiveEncryptionTest seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        random.nextBytes(k1);
        random.nextBytes(k2);
        Path keys = Files.createDirectories(tmp.resolve("keys")).resolve("ring");
        keyFile(keys, entry(1, k1));
        ArchiveOptions encrypted = fileArchive("encrypted", keys);
        ArchiveOptions plainArchive = fileArchive("plain", null);
        byte[] secretBytes = new byte[24];
        random.nextBytes(secretBytes);
        String secret = "CHRONOLOG-SECRET-" + HexFormat.of().formatHex(secretBytes);

        OracleHistory oracle = new OracleHistory(tmp.resolve("oracle"));
        HistoryWorkload workload = new HistoryWorkload(seed);
        List<List<Statement>> writes = new java.util.ArrayList<>();
        writes.add(List.of(Statement.of("CREATE TABLE secrets(s TEXT)")));
        for (int i = 0; i < 60; i++) {
            writes.add(workload.next());
            if (i == 30) {
                writes.add(List.of(Statement.of("INSERT INTO secrets VALUES (?)", secret)));
            }
        }
        OracleHistory.State state = oracle.root();
        Path encData = Files.createDirectories(tmp.resolve("enc-data"));
        for (ArchiveOptions archive : List.of(encrypted, plainArchive)) {
            Path data = archive == encrypted ? encData : Files.createDirectories(tmp.resolve("plain-data"));
            try (Database db = Database.open(data.resolve("app"), Options.builder().background(false).archive(archive).build())) {
                OracleHistory.State s = oracle.root();
                for (int i = 0; i < writes.size(); i++) {
                    try {
                        db.batch(writes.get(i));
                        s = oracle.after(s, writes.get(i));
                    } catch (SqlException e) {
                        // the workload's schema model and the database disagree: the write changed nothing
                    }
                    if (i == 40) {
                        db.checkpoint();
                    }
                }
                assertEquals(0, db.archiveSync(Duration.ofSeconds(30)).lagFrames());
                state = s;
            }
        }
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        assertTrue(ArchiveFixture.anyFileHolds(tmp.resolve("plain"), needle), "the probe finds the string in an unencrypted archive");
        assertFalse(ArchiveFixture.anyFileHolds(tmp.resolve("encrypted"), needle), "no encrypted object holds the plaintext");
        assertEquals(Map.of(1, keyIds(tmp.resolve("encrypted")).get(1)), keyIds(tmp.resolve("encrypted")), "all sealed with key 1");

        Path forks = Files.createDirectories(tmp.resolve("forks"));
        Options restoring = Options.builder().background(false).build();
        Archives.restore(encrypted, "app", Archives.Target.newest(), forks, "before", false, restoring, null);
        assertEquals(oracle.tables(state), ArchiveFixture.tables(forks.resolve("before"), tmp), "seed " + seed);

        // rotation: key 2 is current, key 1 still opens what it sealed
        keyFile(keys, entry(2, k2) + entry(1, k1));
        try (Database db = Database.open(encData.resolve("app"), Options.builder().background(false).archive(encrypted).build())) {
            for (int i = 0; i < 40; i++) {
                List<Statement> w = workload.next();
                try {
                    db.batch(w);
                    state = oracle.after(state, w);
                } catch (SqlException e) {
                    // as above
                }
                if (i == 20) {
                    db.checkpoint();
                }
            }
            assertEquals(0, db.archiveSync(Duration.ofSeconds(30)).lagFrames());
        }
        Map<Integer, Integer> ids = keyIds(tmp.resolve("encrypted"));
        assertTrue(ids.getOrDefault(1, 0) > 0 && ids.getOrDefault(2, 0) > 0, "objects of both keys: " + ids);
        assertFalse(ArchiveFixture.anyFileHolds(tmp.resolve("encrypted"), needle));
        Archives.restore(encrypted, "app", Archives.Target.newest(), forks, "after", false, restoring, null);
        assertEquals(oracle.tables(state), ArchiveFixture.tables(forks.resolve("after"), tmp), "seed " + seed);
        ArchiveVerifyReport verified = Archives.verify(encrypted, "app", tmp);
        assertTrue(verified.ok(), verified.problems().toString());

        // key 2 alone: the objects of key 1 cannot be opened, and the message says which key is missing
        Path onlyTwo = tmp.resolve("keys").resolve("only-two");
        keyFile(onlyTwo, entry(2, k2));
        ArchiveException missing = assertThrows(ArchiveException.class, () -> Archives.restore(encrypted.toBuilder().keyFile(onlyTwo).build(),
                "app", Archives.Target.newest(), forks, "keytwoonly", false, restoring, null));
        System.out.println("key 2 only: " + missing.getMessage());
        assertEquals(1, missing.getMessage().lines().count(), missing.getMessage());
        assertTrue(missing.getMessage().contains("master key 1"), missing.getMessage());
        assertFalse(missing.getMessage().contains(Base64.getEncoder().encodeToString(k2)), "no key material in the message");
        assertFalse(Files.exists(forks.resolve("keytwoonly")));

        // no key at all
        ArchiveException noKey = assertThrows(ArchiveException.class, () -> Archives.restore(encrypted.toBuilder().keyFile(null).build(),
                "app", Archives.Target.newest(), forks, "nokey", false, restoring, null));
        System.out.println("no key: " + noKey.getMessage());
        assertEquals(1, noKey.getMessage().lines().count(), noKey.getMessage());
        assertTrue(noKey.getMessage().contains("encrypted"), noKey.getMessage());
        assertFalse(Files.exists(forks.resolve("nokey")));
    }
}
