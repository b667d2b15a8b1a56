package io.chronolog.engine.internal.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.ArchiveException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The archive envelope: a golden object pinned byte for byte (docs/FORMAT.md) and decoded back,
 * round trips of random bodies (seed printed; empty and 1 MiB included), every single-bit flip,
 * every truncation and an appended byte refused, the object key bound as associated data, and the
 * errors for a wrong, unknown or missing master key.
 */
class ArchiveEnvelopeTest {
    static final String KEY = "segments/00000000000000000001.seg";

    /** Hands out the bytes {@code first, first+1, ...} in order: the golden example's data key and nonces. */
    static final class CountingRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private int next;

        CountingRandom(int first) {
            this.next = first;
        }

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) next++;
            }
        }
    }

    /** A master key of 32 bytes {@code first, first+1, ...}. */
    static ArchiveKeys.MasterKey key(int id, int first) {
        byte[] k = new byte[ArchiveKeys.KEY_BYTES];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (first + i);
        }
        return new ArchiveKeys.MasterKey(id, k);
    }

    /** The worked example's master key: id 1, bytes {@code 80 81 ... 9f}. */
    static final ArchiveKeys.MasterKey EXAMPLE_KEY = key(1, 0x80);
    static final byte[] EXAMPLE_BODY = "hello, archive".getBytes(StandardCharsets.US_ASCII);
    static final ArchiveKeys RING = ArchiveKeys.of(EXAMPLE_KEY);

    static final String GOLDEN = goldenFromFile();

    private static String goldenFromFile() {
        try (var in = ArchiveEnvelopeTest.class.getResourceAsStream("golden-envelope.hex")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        } catch (java.io.IOException | NullPointerException e) {
            throw new AssertionError("golden-envelope.hex is missing beside the test", e);
        }
    }

    @Test
    void theGoldenEnvelopeIsStable() {
        // data key 00..1f, wrap nonce 20..2b, body nonce 2c..37: the order seal draws them in
        byte[] sealed = ArchiveEnvelope.seal(RING, KEY, EXAMPLE_BODY, new CountingRandom(0));
        assertEquals(GOLDEN, HexFormat.of().formatHex(sealed), "the envelope format changed: bump VERSION and document it in docs/FORMAT.md");
        byte[] golden = HexFormat.of().parseHex(GOLDEN);
        assertArrayEquals(EXAMPLE_BODY, ArchiveEnvelope.open(RING, KEY, golden));
        assertEquals(1, ArchiveEnvelope.masterKeyId(KEY, golden));
        assertEquals(ArchiveEnvelope.OVERHEAD_BYTES + EXAMPLE_BODY.length, golden.length);
        assertTrue(ArchiveEnvelope.isEnvelope(golden));
    }

    @Test
    void theFormatDocumentShowsThisVersionThisLayoutAndThisExample() throws Exception {
        String doc = io.chronolog.engine.ProjectFiles.read("docs/FORMAT.md");
        int section = doc.indexOf("## Archive envelope (encrypted archive objects)");
        assertTrue(section >= 0, "the envelope section is missing");
        String s = doc.substring(section);
        assertTrue(s.contains("Current archive envelope version: " + ArchiveEnvelope.VERSION + "\n"), "version line drifted");
        assertTrue(s.contains("\n" + GOLDEN + "\n"), "the worked example drifted from the encoder");
        assertTrue(s.contains("| " + ArchiveEnvelope.KEY_ID_OFFSET + " | 1 | master key id |"), "key id offset");
        assertTrue(s.contains("| " + ArchiveEnvelope.WRAP_NONCE_OFFSET + " | 12 | wrap nonce |"), "wrap nonce offset");
        assertTrue(s.contains("| " + ArchiveEnvelope.WRAPPED_KEY_OFFSET + " | 32 | wrapped data key |"), "wrapped key offset");
        assertTrue(s.contains("| " + ArchiveEnvelope.BODY_NONCE_OFFSET + " | 12 | body nonce |"), "body nonce offset");
        assertTrue(s.contains("| " + ArchiveEnvelope.HEADER_BYTES + " | n | body ciphertext |"), "body offset");
        // the field-by-field listing is the same bytes
        int start = s.indexOf("Field by field:\n\n```\n");
        assertTrue(start >= 0, "the field-by-field listing is missing");
        start = s.indexOf("```\n", start) + 4;
        StringBuilder fields = new StringBuilder();
        for (String line : s.substring(start, s.indexOf("```", start)).split("\n")) {
            if (!line.isBlank()) {
                fields.append(line.strip().split("\\s+")[0]);
            }
        }
        assertEquals(GOLDEN, fields.toString(), "the field-by-field listing drifted from the example");
        // the example's key-file line is the example's master key
        String line = "1:" + Base64.getEncoder().encodeToString(EXAMPLE_KEY.bytes());
        assertTrue(s.contains(line), "the example's key-file line drifted: " + line);
    }

    @Test
    void randomBodiesRoundTrip() {
        long seed = System.nanoTime();
        System.out.println("ArchiveEnvelopeTest seed=" + seed);
        Random random = new Random(seed);
        ArchiveKeys ring = ArchiveKeys.of(key(7, random.nextInt(256)), key(3, random.nextInt(256)));
        int[] sizes = new int[120];
        sizes[0] = 0;
        sizes[1] = 1;
        sizes[2] = 15;
        sizes[3] = 16;
        sizes[4] = 17;
        sizes[5] = 1 << 20;
        for (int i = 6; i < sizes.length; i++) {
            sizes[i] = random.nextInt(5000);
        }
        for (int size : sizes) {
            byte[] body = new byte[size];
            random.nextBytes(body);
            String key = ArchiveSegment.key(1 + random.nextInt(1_000_000));
            byte[] sealed = ArchiveEnvelope.seal(ring, key, body);
            assertEquals(ArchiveEnvelope.OVERHEAD_BYTES + size, sealed.length, "seed " + seed + " size " + size);
            assertEquals(7, ArchiveEnvelope.masterKeyId(key, sealed), "seed " + seed);
            assertArrayEquals(body, ArchiveEnvelope.open(ring, key, sealed), "seed " + seed + " size " + size);
            byte[] again = ArchiveEnvelope.seal(ring, key, body);
            assertFalse(Arrays.equals(sealed, again), "two seals of one body share data key and nonces (seed " + seed + ")");
        }
    }

    @Test
    void everyFlippedBitIsRefused() {
        byte[] good = ArchiveEnvelope.seal(RING, KEY, new byte[] {1, 2, 3, 4, 5});
        // key 3 is 1 with bit 1 flipped: a flip there reaches the wrap's tag, not just the ring's lookup
        ArchiveKeys ring = ArchiveKeys.of(EXAMPLE_KEY, key(3, 0x80), key(5, 0x40));
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveEnvelope.open(ring, KEY, bad),
                        "byte " + i + " bit " + bit);
                assertTrue(e.getMessage().startsWith("archive object " + KEY + " "), e.getMessage());
            }
        }
    }

    @Test
    void everyTruncationAndAnAppendedByteAreRefused() {
        byte[] good = ArchiveEnvelope.seal(RING, KEY, "a short body".getBytes(StandardCharsets.US_ASCII));
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThrows(ArchiveException.class, () -> ArchiveEnvelope.open(RING, KEY, cut), "cut at " + length);
        }
        ArchiveException e = assertThrows(ArchiveException.class,
                () -> ArchiveEnvelope.open(RING, KEY, HexFormat.of().parseHex(GOLDEN.substring(0, 2 * 90))));
        assertEquals("archive object " + KEY + " is truncated: 90 bytes, an encrypted object has at least 97", e.getMessage());
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThrows(ArchiveException.class, () -> ArchiveEnvelope.open(RING, KEY, longer));
    }

    @Test
    void theObjectKeyIsBound() {
        byte[] sealed = ArchiveEnvelope.seal(RING, KEY, EXAMPLE_BODY);
        for (String other : new String[] {ArchiveSegment.key(2), "segments/00000000000000000001.seg ", "", "db/" + KEY}) {
            ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveEnvelope.open(RING, other, sealed), other);
            assertEquals("archive object " + other + " does not authenticate: master key 1 opens its data key, but its body is"
                    + " damaged or was sealed under another object key (a copied or renamed object)", e.getMessage());
        }
        assertArrayEquals(EXAMPLE_BODY, ArchiveEnvelope.open(RING, KEY, sealed));
    }

    @Test
    void aWrongMasterKeyIsNamed() {
        byte[] golden = HexFormat.of().parseHex(GOLDEN);
        ArchiveException e = assertThrows(ArchiveException.class,
                () -> ArchiveEnvelope.open(ArchiveKeys.of(key(1, 0x81)), KEY, golden));
        assertEquals("archive object " + KEY + " does not decrypt with master key 1: wrong key or the object is damaged", e.getMessage());
    }

    @Test
    void aMasterKeyTheRingDoesNotHoldIsNamedWithTheRing() {
        byte[] golden = HexFormat.of().parseHex(GOLDEN);
        ArchiveException e = assertThrows(ArchiveException.class,
                () -> ArchiveEnvelope.open(ArchiveKeys.of(key(4, 0), key(2, 0)), KEY, golden));
        assertEquals("archive object " + KEY + " is encrypted with master key 1, which the key ring does not hold (it holds"
                + " 4 (current), 2, from the given keys): add key 1 to the ring", e.getMessage());
    }

    @Test
    void aPlainObjectAndAnUnknownVersionAreNamed() {
        byte[] segment = ArchiveSegmentTest.example().encode();
        assertFalse(ArchiveEnvelope.isEnvelope(segment));
        ArchiveException plain = assertThrows(ArchiveException.class, () -> ArchiveEnvelope.open(RING, KEY, segment));
        assertTrue(plain.getMessage().startsWith("archive object " + KEY + " is not encrypted, but this archive is configured with"
                + " encryption"), plain.getMessage());
        assertThrows(ArchiveException.class, () -> ArchiveEnvelope.open(RING, KEY, new byte[0]));

        byte[] v2 = HexFormat.of().parseHex(GOLDEN);
        v2[5] = 2;
        ArchiveException version = assertThrows(ArchiveException.class, () -> ArchiveEnvelope.open(RING, KEY, v2));
        assertEquals("archive object " + KEY + " is in envelope version 2, which this reader does not know (it reads 1..1):"
                + " use a newer Chronolog", version.getMessage());
    }

    @Test
    void aPlainReaderIsToldToGiveTheMasterKey() {
        byte[] golden = HexFormat.of().parseHex(GOLDEN);
        ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveEnvelope.requirePlain(KEY, golden));
        assertEquals("archive object " + KEY + " is encrypted: give the master key (--key-file or CHRONOLOG_ARCHIVE_KEY)",
                e.getMessage());
        byte[] segment = ArchiveSegmentTest.example().encode();
        assertSame(segment, ArchiveEnvelope.requirePlain(KEY, segment));
    }
}
