package io.chronolog.engine.internal.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.ArchiveException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master key ring: the key file and the environment variable (comments, blank lines, separators,
 * the current key first), a key file other users may access refused, every kind of malformed entry
 * named by its line or entry with no key material in the message, generated keys, and rotation: a
 * ring [new current, old] reads what [old] wrote and writes with the new key.
 */
class ArchiveKeysTest {
    @TempDir
    Path dir;

    static final Random RANDOM = seeded();

    private static Random seeded() {
        long seed = System.nanoTime();
        System.out.println("ArchiveKeysTest seed=" + seed);
        return new Random(seed);
    }

    static byte[] randomKey() {
        byte[] k = new byte[ArchiveKeys.KEY_BYTES];
        RANDOM.nextBytes(k);
        return k;
    }

    static String b64(byte[] k) {
        return Base64.getEncoder().encodeToString(k);
    }

    /** {@code text} in a new file of {@code dir} with permissions {@code 0600}. */
    Path keyFile(String text) throws Exception {
        Path f = dir.resolve("keys-" + System.nanoTime());
        Files.writeString(f, text, StandardCharsets.UTF_8);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
        return f;
    }

    @Test
    void aKeyFileIsReadWithCommentsAndTheCurrentKeyFirst() throws Exception {
        byte[] k2 = randomKey();
        byte[] k1 = randomKey();
        byte[] k200 = randomKey();
        Path f = keyFile("# archive master keys, current first\r\n\n  2:" + b64(k2) + "  \r\n# retired in May\n1:" + b64(k1)
                + "\n\t200:" + b64(k200).replace("=", "") + "\n");
        ArchiveKeys ring = ArchiveKeys.fromFile(f);
        assertEquals(2, ring.currentId());
        assertEquals(List.of(2, 1, 200), ring.ids());
        assertTrue(ring.holds(200));
        assertFalse(ring.holds(3));
        assertEquals("key file " + f, ring.source());
        assertArrayEquals(k2, ring.key(2).getEncoded());
        assertArrayEquals(k1, ring.key(1).getEncoded());
        assertArrayEquals(k200, ring.key(200).getEncoded());
        String shown = ring.toString();
        assertEquals("ArchiveKeys[2 (current), 1, 200 from key file " + f + "]", shown);
    }

    @Test
    void theEnvironmentVariableSeparatesKeysByCommasOrWhiteSpace() {
        byte[] a = randomKey();
        byte[] b = randomKey();
        byte[] c = randomKey();
        ArchiveKeys ring = ArchiveKeys.fromEnvironment("CHRONOLOG_ARCHIVE_KEY",
                Map.of("CHRONOLOG_ARCHIVE_KEY", " 9:" + b64(a) + ", 4:" + b64(b) + "\n 255:" + b64(c) + ","));
        assertEquals(List.of(9, 4, 255), ring.ids());
        assertArrayEquals(a, ring.key(9).getEncoded());
        assertArrayEquals(c, ring.key(255).getEncoded());
        assertEquals("environment variable CHRONOLOG_ARCHIVE_KEY", ring.source());

        ArchiveException unset = assertThrows(ArchiveException.class, () -> ArchiveKeys.fromEnvironment("CHRONOLOG_ARCHIVE_KEY", Map.of()));
        assertTrue(unset.getMessage().startsWith("environment variable CHRONOLOG_ARCHIVE_KEY is not set: give the master keys as ID:BASE64"),
                unset.getMessage());
        ArchiveException empty = assertThrows(ArchiveException.class,
                () -> ArchiveKeys.fromEnvironment("K", Map.of("K", " , ")));
        assertTrue(empty.getMessage().startsWith("environment variable K "), empty.getMessage());
    }

    @Test
    void aKeyFileOtherUsersMayAccessIsRefused() throws Exception {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        String key = b64(randomKey());
        Path f = keyFile("1:" + key + "\n");
        for (String mode : new String[] {"rw-r-----", "rw----r--", "rw--w----", "rw------x", "r--r--r--", "rw-rw-rw-"}) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
            ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveKeys.fromFile(f), mode);
            assertTrue(e.getMessage().startsWith("key file " + f + " is accessible by other users (permissions 0"), e.getMessage());
            assertTrue(e.getMessage().endsWith("a key file must be readable by its owner only (chmod 600 " + f + ")"), e.getMessage());
            assertFalse(e.getMessage().contains(key));
        }
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals("key file " + f + " is accessible by other users (permissions 0640): a key file must be readable by its owner"
                + " only (chmod 600 " + f + ")", assertThrows(ArchiveException.class, () -> ArchiveKeys.fromFile(f)).getMessage());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
        assertEquals(1, ArchiveKeys.fromFile(f).currentId());
    }

    @Test
    void aMissingEmptyOrDirectoryKeyFileIsNamed() throws Exception {
        Path missing = dir.resolve("nope");
        assertEquals("key file " + missing + " does not exist: give the file that holds the master keys",
                assertThrows(ArchiveException.class, () -> ArchiveKeys.fromFile(missing)).getMessage());
        Path empty = keyFile("# only a comment\n\n");
        assertTrue(assertThrows(ArchiveException.class, () -> ArchiveKeys.fromFile(empty)).getMessage()
                .startsWith("key file " + empty + " holds no key: add a line ID:BASE64"));
        assertTrue(assertThrows(ArchiveException.class, () -> ArchiveKeys.fromFile(dir)).getMessage()
                .startsWith("key file " + dir + " is a directory"));
    }

    @Test
    void malformedLinesAreNamedByNumberWithoutKeyMaterial() throws Exception {
        byte[] good = randomKey();
        byte[] secret = randomKey();
        String s = b64(secret);
        String head = "# keys\n1:" + b64(good) + "\n";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(s, "line 3: expected ID:BASE64 (a key id from 1 to 255, a colon, 32 bytes in base64), found no colon");
        cases.put("x:" + s, "line 3: the key id before the colon is not a number from 1 to 255");
        cases.put("-2:" + s, "line 3: the key id before the colon is not a number from 1 to 255");
        cases.put(s.substring(0, 20) + ":" + s.substring(20), "line 3: the key id before the colon is not a number from 1 to 255");
        cases.put("0:" + s, "line 3: key id 0 is out of range: a key id is a number from 1 to 255");
        cases.put("256:" + s, "line 3: key id 256 is out of range: a key id is a number from 1 to 255");
        cases.put("2:" + s.substring(0, 20) + "!" + s.substring(21),
                "line 3: the key of id 2 is not valid base64 (standard alphabet A-Z a-z 0-9 + /, padding optional)");
        cases.put("2:" + s.replace('+', '-').replace('/', '_') + (s.contains("+") || s.contains("/") ? "" : "~"),
                "line 3: the key of id 2 is not valid base64 (standard alphabet A-Z a-z 0-9 + /, padding optional)");
        cases.put("2:" + b64(java.util.Arrays.copyOf(secret, 16)), "line 3: the key of id 2 is 16 bytes, a master key is 32 (AES-256)");
        cases.put("2:" + b64(java.util.Arrays.copyOf(secret, 33)), "line 3: the key of id 2 is 33 bytes, a master key is 32 (AES-256)");
        cases.put("1:" + s, "line 3: key id 1 is already on line 2: every master key needs its own id");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path f = keyFile(head + c.getKey() + "\n");
            ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveKeys.fromFile(f), c.getValue());
            assertEquals("key file " + f + ", " + c.getValue(), e.getMessage());
            assertNoKeyMaterial(e.getMessage(), s, b64(good));

            String env = "1:" + b64(good) + "," + c.getKey();
            ArchiveException fromEnv = assertThrows(ArchiveException.class,
                    () -> ArchiveKeys.fromEnvironment("CHRONOLOG_ARCHIVE_KEY", Map.of("CHRONOLOG_ARCHIVE_KEY", env)));
            assertEquals("environment variable CHRONOLOG_ARCHIVE_KEY, " + c.getValue().replace("line 3", "entry 2")
                    .replace("line 2", "entry 1"), fromEnv.getMessage());
            assertNoKeyMaterial(fromEnv.getMessage(), s, b64(good));
        }
    }

    /** No run of 6 characters of either key's base64 appears in {@code message}. */
    private static void assertNoKeyMaterial(String message, String... keys) {
        for (String key : keys) {
            for (int i = 0; i + 6 <= key.length(); i++) {
                String piece = key.substring(i, i + 6);
                assertFalse(message.contains(piece), "the message holds key material '" + piece + "': " + message);
            }
        }
    }

    @Test
    void generatedLinesAreFreshKeysOfTheRightSize() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String line = ArchiveKeys.generate(7);
            assertTrue(line.startsWith("7:"), line);
            assertEquals(ArchiveKeys.KEY_BYTES, Base64.getDecoder().decode(line.substring(2)).length);
            assertTrue(seen.add(line), "a generated key repeated");
            assertEquals(7, ArchiveKeys.fromEnvironment("V", Map.of("V", line)).currentId());
        }
        assertEquals("key id 256 is out of range: a key id is a number from 1 to 255",
                assertThrows(ArchiveException.class, () -> ArchiveKeys.generate(256)).getMessage());
        assertThrows(ArchiveException.class, () -> ArchiveKeys.generate(0));
    }

    @Test
    void masterKeysShowNoBytesAndCompareByContent() {
        byte[] k = randomKey();
        ArchiveKeys.MasterKey a = new ArchiveKeys.MasterKey(3, k);
        k[0] ^= 1; // the record copied the array
        assertNotEquals(new ArchiveKeys.MasterKey(3, k), a);
        k[0] ^= 1;
        assertEquals(new ArchiveKeys.MasterKey(3, k), a);
        assertEquals("MasterKey[id=3]", a.toString());
        a.bytes()[0] ^= 1; // and copies it out
        assertEquals(new ArchiveKeys.MasterKey(3, k), a);
        assertThrows(IllegalArgumentException.class, () -> new ArchiveKeys.MasterKey(0, k));
        assertThrows(IllegalArgumentException.class, () -> new ArchiveKeys.MasterKey(1, new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> ArchiveKeys.of(a, new ArchiveKeys.MasterKey(3, randomKey())));
    }

    @Test
    void rotationReadsOldObjectsAndWritesWithTheNewKey() throws Exception {
        String oldKey = b64(randomKey());
        String newKey = b64(randomKey());
        ArchiveKeys before = ArchiveKeys.fromFile(keyFile("1:" + oldKey + "\n"));
        byte[] body = new byte[1000];
        RANDOM.nextBytes(body);
        String key = ArchiveSegment.key(1);
        byte[] old = ArchiveEnvelope.seal(before, key, body);
        assertEquals(1, ArchiveEnvelope.masterKeyId(key, old));

        ArchiveKeys after = ArchiveKeys.fromFile(keyFile("# rotated\n2:" + newKey + "\n1:" + oldKey + "\n"));
        assertArrayEquals(body, ArchiveEnvelope.open(after, key, old));
        byte[] fresh = ArchiveEnvelope.seal(after, ArchiveSegment.key(2), body);
        assertEquals(2, ArchiveEnvelope.masterKeyId(ArchiveSegment.key(2), fresh));
        assertArrayEquals(body, ArchiveEnvelope.open(after, ArchiveSegment.key(2), fresh));

        // a reader that still has only the old key is told which key it lacks
        ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveEnvelope.open(before, ArchiveSegment.key(2), fresh));
        assertTrue(e.getMessage().startsWith("archive object " + ArchiveSegment.key(2) + " is encrypted with master key 2, which the key"
                + " ring does not hold (it holds 1 (current), from key file "), e.getMessage());
        // once the old key is dropped, old objects are lost to this ring, and it says so
        ArchiveKeys dropped = ArchiveKeys.fromEnvironment("K", Map.of("K", "2:" + newKey));
        assertTrue(assertThrows(ArchiveException.class, () -> ArchiveEnvelope.open(dropped, key, old)).getMessage()
                .contains("is encrypted with master key 1, which the key ring does not hold (it holds 2 (current), from environment variable K)"));
    }
}
