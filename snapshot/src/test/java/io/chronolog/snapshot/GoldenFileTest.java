package io.chronolog.snapshot;

import io.chronolog.snapshot.internal.CatalogueFormat;
import io.chronolog.snapshot.internal.CheckpointFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reads the checkpoint directory written by format version 1 and committed under
 * {@code src/test/resources/golden/v1}. These files are never regenerated: if this test fails, the
 * code broke compatibility with data already on disk.
 */
class GoldenFileTest {

    @TempDir
    Path tmp;

    /** The image stored in golden checkpoint {@code variant + 1}. */
    static byte[] goldenImage(int variant) {
        byte[] b = new byte[4096];
        byte[] magic = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, b, 0, 16);
        for (int i = 16; i < b.length; i++) {
            b[i] = (byte) ((i / 64) * 7 + (i % 7) + variant);
        }
        return b;
    }

    static final List<CheckpointMeta> EXPECTED = List.of(
            new CheckpointMeta(1, 0, 42, Images.hash(0x00), 1_767_225_600_000L, 3, 4096, 731, 0x54897a3fL,
                    Images.hash(0xf0), CheckpointMeta.Kind.CHECKPOINT, "", CheckpointMeta.State.AVAILABLE),
            new CheckpointMeta(2, 1, 100, Images.hash(0x10), 1_767_229_200_000L, 3, 4096, 731, 0x30361ed3L,
                    Images.hash(0xe0), CheckpointMeta.Kind.BACKUP_MANUAL, "0b1e8c2a-5d4f-4c3b-9a7e-6f2d1c0b9a88",
                    CheckpointMeta.State.AVAILABLE));

    private Path copyGolden(boolean withCatalogue) throws IOException, URISyntaxException {
        Path golden = Path.of(GoldenFileTest.class.getResource("/golden/v1").toURI());
        Path dir = tmp.resolve("checkpoints");
        Files.createDirectories(dir);
        for (String name : List.of(CheckpointFormat.fileName(1), CheckpointFormat.fileName(2), "catalogue")) {
            if (withCatalogue || !name.equals("catalogue")) {
                Files.copy(golden.resolve(name), dir.resolve(name));
            }
        }
        return dir;
    }

    @Test
    void version1DirectoryOpensCleanAndReadsBack() throws Exception {
        try (CheckpointStore store = CheckpointStore.open(copyGolden(true))) {
            assertEquals(List.of(), store.repairs());
            assertEquals(EXPECTED, store.list());
            assertArrayEquals(goldenImage(0), store.read(1));
            assertArrayEquals(goldenImage(1), store.read(2));
            store.verify(1);
            store.verify(2);
            Path out = tmp.resolve("restored.sqlite3");
            store.extractTo(2, out, null);
            assertArrayEquals(goldenImage(1), Files.readAllBytes(out));
        }
    }

    @Test
    void version1CheckpointsRebuildTheSameCatalogue() throws Exception {
        try (CheckpointStore store = CheckpointStore.open(copyGolden(false))) {
            assertEquals(EXPECTED, store.list());
            assertArrayEquals(goldenImage(0), store.read(1));
        }
    }

    @Test
    void writerStillProducesVersion1HeadersAndCatalogueByteForByte() throws Exception {
        Path dir = copyGolden(true);
        for (CheckpointMeta m : EXPECTED) {
            byte[] file = Files.readAllBytes(dir.resolve(CheckpointFormat.fileName(m.number())));
            byte[] header = Arrays.copyOf(file, CheckpointFormat.headerLength(m.label()));
            assertEquals(HexFormat.of().formatHex(header), HexFormat.of().formatHex(CheckpointFormat.encodeHeader(m)));
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("catalogue")), CatalogueFormat.encode(EXPECTED));
    }

    @Test
    void documentedHexExampleIsTheGoldenHeader() throws Exception {
        byte[] file = Files.readAllBytes(copyGolden(true).resolve(CheckpointFormat.fileName(1)));
        String doc = Files.readString(FormatDocTest.formatDoc());
        StringBuilder expected = new StringBuilder();
        for (int row = 0; row < 91; row += 16) {
            StringBuilder line = new StringBuilder(String.format("%08x:", row));
            for (int i = row; i < Math.min(row + 16, 91); i++) {
                line.append(String.format(" %02x", file[i]));
            }
            expected.append(line).append('\n');
        }
        for (String line : expected.toString().split("\n")) {
            assertEquals(true, doc.contains(line), "FORMAT doc lacks hex line: " + line);
        }
    }
}
