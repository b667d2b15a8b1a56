package io.chronolog.engine.internal.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.ArchiveException;
import io.chronolog.engine.ArchiveOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The archive's small records (manifest, lease), the local settings file and the object keys,
 * held to the worked examples in docs/FORMAT.md: the encoders produce exactly those bytes, the
 * decoders read them back, and every bit flip and truncation of an example is refused.
 */
class ArchiveRecordsTest {
    static final byte[] ID = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

    static ArchiveManifest manifest() {
        return new ArchiveManifest("shop", ID, 1790000000123L);
    }

    static ArchiveLease lease() {
        return new ArchiveLease(ArchiveLease.Kind.WRITER, 3, 1001, 1790000000123L, 0, 4242, "db1");
    }

    private static String documented(String marker) throws Exception {
        String doc = io.chronolog.engine.ProjectFiles.read("docs/FORMAT.md");
        int at = doc.indexOf(marker);
        assertTrue(at >= 0, "FORMAT.md has no example after '" + marker + "'");
        int start = doc.indexOf("```\n", at) + 4;
        return doc.substring(start, doc.indexOf("```", start)).replaceAll("\\s+", "");
    }

    @Test
    void examplesMatchTheEncoders() throws Exception {
        assertEquals(documented("Worked example (manifest)"), HexFormat.of().formatHex(manifest().encode()));
        assertEquals(documented("Worked example (lease)"), HexFormat.of().formatHex(lease().encode()));
        String doc = io.chronolog.engine.ProjectFiles.read("docs/FORMAT.md");
        assertTrue(doc.contains("Current archive manifest version: " + ArchiveManifest.VERSION + "\n"));
        assertTrue(doc.contains("Current archive lease version: " + ArchiveLease.VERSION + "\n"));
    }

    @Test
    void decodersReadTheExamplesBack() {
        ArchiveManifest m = ArchiveManifest.decode(manifest().encode(), "shop/manifest");
        assertEquals("shop", m.name());
        assertEquals(manifest().idHex(), m.idHex());
        assertEquals(1790000000123L, m.createdMillis());
        assertEquals(lease(), ArchiveLease.decode(lease().encode(), "shop/writers/3"));
    }

    @Test
    void everyBitFlipAndTruncationIsRefused() {
        for (byte[] good : new byte[][] {manifest().encode(), lease().encode()}) {
            for (int bit = 0; bit < good.length * 8; bit++) {
                byte[] bad = good.clone();
                bad[bit / 8] ^= (byte) (1 << (bit % 8));
                assertThrows(ArchiveException.class, () -> {
                    ArchiveManifest.decode(bad, "k");
                    ArchiveLease.decode(bad, "k");
                }, "bit " + bit);
            }
            for (int n = 0; n < good.length; n++) {
                byte[] cut = java.util.Arrays.copyOf(good, n);
                assertThrows(RuntimeException.class, () -> {
                    ArchiveManifest.decode(cut, "k");
                    ArchiveLease.decode(cut, "k");
                }, "length " + n);
            }
        }
    }

    @Test
    void keysSortAsPositionsAndParseBack() {
        var k = new ArchiveLayout.CheckpointKey(1234, 2, 7, 1790000000123L, true);
        assertEquals("checkpoints/00000000000000001234-0000000002-00000000000000000007-00000001790000000123-r.ckpt", k.key());
        assertEquals(k, ArchiveLayout.checkpoint(k.key()).orElseThrow());
        assertEquals(1001L, ArchiveLayout.segment(ArchiveLayout.segmentKey(1001)).orElseThrow());
        assertTrue(ArchiveLayout.segmentKey(9).compareTo(ArchiveLayout.segmentKey(10)) < 0);
        assertEquals("abc", ArchiveLayout.backupInfo(ArchiveLayout.backupInfoKey("abc")).orElseThrow());
        assertEquals(3L, ArchiveLayout.writer(ArchiveLayout.writerKey(3)).orElseThrow());
    }

    @Test
    void settingsFileRoundTripsAndRefusesDamage() throws Exception {
        ArchiveOptions o = ArchiveOptions.builder("s3://bucket/prod").region("eu-west-1").pathStyle(true).lag(Duration.ofMillis(500))
                .retention(Duration.ofDays(90)).keyVariable("CHRONOLOG_ARCHIVE_KEY").build();
        ArchiveSettingsFile s = new ArchiveSettingsFile(o, ID);
        String text = s.encode();
        assertTrue(text.startsWith("chronolog-archive-settings 1\n"), text);
        assertTrue(!text.contains("secret") && !text.contains("AWS_SECRET"), "no credential is kept");
        ArchiveSettingsFile back = ArchiveSettingsFile.parse(text, Path.of("archive.settings"));
        assertEquals(o, back.options());
        assertEquals(HexFormat.of().formatHex(ID), HexFormat.of().formatHex(back.archiveId()));
        for (int i = 0; i < text.length() - 1; i++) {
            String bad = text.substring(0, i) + (char) (text.charAt(i) ^ 1) + text.substring(i + 1);
            assertThrows(RuntimeException.class, () -> ArchiveSettingsFile.parse(bad, Path.of("archive.settings")), "char " + i);
        }
    }

    public static void main(String[] args) {
        System.out.println(HexFormat.of().formatHex(manifest().encode()));
        System.out.println(HexFormat.of().formatHex(lease().encode()));
    }
}
