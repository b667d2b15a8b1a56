package io.chronolog.engine.internal.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.ArchiveException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The encrypting object store over a directory ({@link FileObjectStore} in a temporary directory):
 * round trips of generated bodies (seed printed), no plaintext on disk, rotation, a wrong key, the
 * write-once contract on plaintext (a retried create of one body is stored, another body is not),
 * a copied object refused, a plain object read through the encrypted store and an envelope read by
 * a plain reader both refused with one line.
 */
class EncryptedObjectStoreTest {
    @TempDir
    Path dir;

    FileObjectStore plain;
    long seed;
    Random random;

    @BeforeEach
    void setUp() throws Exception {
        plain = new FileObjectStore(ArchiveUrl.parse(Files.createDirectories(dir.resolve("archive")).toUri().toString()));
        seed = System.nanoTime();
        System.out.println("EncryptedObjectStoreTest seed=" + seed);
        random = new Random(seed);
    }

    static ArchiveKeys ring(String spec) {
        return ArchiveKeys.fromEnvironment("CHRONOLOG_ARCHIVE_KEY", Map.of("CHRONOLOG_ARCHIVE_KEY", spec));
    }

    static final String KEY_1 = ArchiveKeys.generate(1);
    static final String KEY_2 = ArchiveKeys.generate(2);

    Path fileOf(String key) {
        return dir.resolve("archive").resolve(key);
    }

    @Test
    void createAndGetRoundTripAndTheRestDelegates() {
        EncryptedObjectStore store = new EncryptedObjectStore(plain, ring(KEY_1));
        store.checkAccess();
        byte[][] bodies = new byte[40][];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = new byte[i == 0 ? 0 : random.nextInt(i == 1 ? 300_000 : 3000)];
            random.nextBytes(bodies[i]);
            assertTrue(store.createIfAbsent(ArchiveSegment.key(i + 1), bodies[i]), "seed " + seed);
        }
        for (int i = 0; i < bodies.length; i++) {
            assertArrayEquals(bodies[i], store.get(ArchiveSegment.key(i + 1)).orElseThrow(), "seed " + seed + " object " + i);
        }
        assertEquals(Optional.empty(), store.get(ArchiveSegment.key(1000)));
        assertEquals(plain.list("segments/"), store.list("segments/"));
        assertEquals(bodies.length, store.list("segments/").size());
        store.delete(ArchiveSegment.key(1));
        assertEquals(Optional.empty(), store.get(ArchiveSegment.key(1)));
        assertEquals(plain.describe() + " (encrypted, current key 1)", store.describe());
        assertEquals(1, store.keys().currentId());
        store.close();
    }

    @Test
    void theFilesOnDiskHoldNoPlaintext() throws Exception {
        EncryptedObjectStore store = new EncryptedObjectStore(plain, ring(KEY_1));
        String text = "INSERT INTO accounts VALUES ('alice', 'secret-" + random.nextInt(1_000_000) + "');\n";
        byte[] body = text.repeat(50).getBytes(StandardCharsets.UTF_8);
        assertTrue(store.createIfAbsent("segments/x.seg", body));
        byte[] onDisk = Files.readAllBytes(fileOf("segments/x.seg"));
        assertTrue(ArchiveEnvelope.isEnvelope(onDisk));
        assertEquals(body.length + ArchiveEnvelope.OVERHEAD_BYTES, onDisk.length);
        String raw = new String(onDisk, StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains("alice"), "plaintext on disk");
        assertFalse(raw.contains("INSERT"), "plaintext on disk");
        assertArrayEquals(body, store.get("segments/x.seg").orElseThrow());
    }

    @Test
    void aRotatedRingReadsOldObjectsAndWritesWithTheNewKey() throws Exception {
        byte[] a = new byte[2000];
        byte[] b = new byte[3000];
        random.nextBytes(a);
        random.nextBytes(b);
        EncryptedObjectStore before = new EncryptedObjectStore(plain, ring(KEY_1));
        assertTrue(before.createIfAbsent(ArchiveSegment.key(1), a));

        EncryptedObjectStore after = new EncryptedObjectStore(plain, ring(KEY_2 + "," + KEY_1));
        assertEquals(plain.describe() + " (encrypted, current key 2)", after.describe());
        assertArrayEquals(a, after.get(ArchiveSegment.key(1)).orElseThrow());
        assertTrue(after.createIfAbsent(ArchiveSegment.key(2), b));
        assertEquals(2, ArchiveEnvelope.masterKeyId(ArchiveSegment.key(2), Files.readAllBytes(fileOf(ArchiveSegment.key(2)))));
        assertEquals(1, ArchiveEnvelope.masterKeyId(ArchiveSegment.key(1), Files.readAllBytes(fileOf(ArchiveSegment.key(1)))));
        assertArrayEquals(b, after.get(ArchiveSegment.key(2)).orElseThrow());
        // a retried create of an object the old key wrote is still recognised as stored
        assertTrue(after.createIfAbsent(ArchiveSegment.key(1), a));

        ArchiveException e = assertThrows(ArchiveException.class, () -> before.get(ArchiveSegment.key(2)));
        assertEquals("archive object " + ArchiveSegment.key(2) + " is encrypted with master key 2, which the key ring does not hold"
                + " (it holds 1 (current), from environment variable CHRONOLOG_ARCHIVE_KEY): add key 2 to the ring", e.getMessage());
    }

    @Test
    void aWrongMasterKeyFailsWithOneLine() {
        EncryptedObjectStore store = new EncryptedObjectStore(plain, ring(KEY_1));
        assertTrue(store.createIfAbsent("segments/a.seg", new byte[] {1, 2, 3}));
        EncryptedObjectStore other = new EncryptedObjectStore(plain, ring(ArchiveKeys.generate(1)));
        ArchiveException e = assertThrows(ArchiveException.class, () -> other.get("segments/a.seg"));
        assertEquals("archive object segments/a.seg does not decrypt with master key 1: wrong key or the object is damaged",
                e.getMessage());
        // nor can a create with the wrong key decide whether the object there is its body
        assertThrows(ArchiveException.class, () -> other.createIfAbsent("segments/a.seg", new byte[] {1, 2, 3}));
    }

    @Test
    void aRetriedCreateOfTheSameBodyIsStoredAndAnotherBodyIsNot() throws Exception {
        EncryptedObjectStore store = new EncryptedObjectStore(plain, ring(KEY_1));
        byte[] body = new byte[5000];
        random.nextBytes(body);
        String key = ArchiveSegment.key(7);
        assertTrue(store.createIfAbsent(key, body));
        byte[] first = Files.readAllBytes(fileOf(key));
        assertTrue(store.createIfAbsent(key, body.clone()), "a retried create of its own body");
        assertTrue(new EncryptedObjectStore(plain, ring(KEY_1)).createIfAbsent(key, body), "a create after a restart");
        byte[] other = body.clone();
        other[other.length - 1] ^= 1;
        assertFalse(store.createIfAbsent(key, other), "another body holds the key");
        assertFalse(store.createIfAbsent(key, new byte[0]));
        assertArrayEquals(first, Files.readAllBytes(fileOf(key)), "the object is written once");
        assertArrayEquals(body, store.get(key).orElseThrow());
    }

    @Test
    void anObjectCopiedUnderAnotherKeyIsRefused() throws Exception {
        EncryptedObjectStore store = new EncryptedObjectStore(plain, ring(KEY_1));
        assertTrue(store.createIfAbsent(ArchiveSegment.key(1), "the first segment".getBytes(StandardCharsets.UTF_8)));
        Files.copy(fileOf(ArchiveSegment.key(1)), fileOf(ArchiveSegment.key(5)));
        ArchiveException e = assertThrows(ArchiveException.class, () -> store.get(ArchiveSegment.key(5)));
        assertEquals("archive object " + ArchiveSegment.key(5) + " does not authenticate: master key 1 opens its data key, but its"
                + " body is damaged or was sealed under another object key (a copied or renamed object)", e.getMessage());
    }

    @Test
    void aPlainObjectReadThroughTheEncryptedStoreFails() {
        byte[] segment = ArchiveSegmentTest.example().encode();
        assertTrue(plain.createIfAbsent(ArchiveSegment.key(1), segment));
        EncryptedObjectStore store = new EncryptedObjectStore(plain, ring(KEY_1));
        String expected = "archive object " + ArchiveSegment.key(1) + " is not encrypted, but this archive is configured with encryption:"
                + " it was written without a master key (it does not start with \"CLAE\")";
        assertEquals(expected, assertThrows(ArchiveException.class, () -> store.get(ArchiveSegment.key(1))).getMessage());
        assertEquals(expected, assertThrows(ArchiveException.class, () -> store.createIfAbsent(ArchiveSegment.key(1), segment))
                .getMessage());
    }

    @Test
    void anEnvelopeReadByAPlainReaderFails() {
        EncryptedObjectStore store = new EncryptedObjectStore(plain, ring(KEY_1));
        byte[] segment = ArchiveSegmentTest.example().encode();
        assertTrue(store.createIfAbsent(ArchiveSegment.key(1), segment));
        byte[] raw = plain.get(ArchiveSegment.key(1)).orElseThrow();
        ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveEnvelope.requirePlain(ArchiveSegment.key(1), raw));
        assertEquals("archive object " + ArchiveSegment.key(1) + " is encrypted: give the master key (--key-file or"
                + " CHRONOLOG_ARCHIVE_KEY)", e.getMessage());
        List<String> keys = plain.list("");
        assertEquals(List.of(ArchiveSegment.key(1)), keys);
    }
}
