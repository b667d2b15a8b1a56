package io.chronolog.engine.internal.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.wal.CorruptFrameException;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameCodec;
import io.chronolog.wal.FrameKind;
import io.chronolog.wal.Hash128;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The archive segment format: a golden object pinned byte for byte (docs/FORMAT.md), round trips
 * of random runs of frames (seed printed), and every single-bit flip and every truncation of a
 * segment refused by decoding.
 */
class ArchiveSegmentTest {

    /** Frames {@code first..first+count-1} chained from {@code anchor}, with payloads from {@code random}. */
    static List<Frame> chain(Hash128 anchor, long first, int count, Random random) {
        List<Frame> out = new ArrayList<>();
        Hash128 previous = anchor;
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[random.nextInt(40)];
            random.nextBytes(payload);
            long position = first + i;
            FrameKind kind = FrameKind.values()[random.nextInt(FrameKind.values().length)];
            Hash128 h = FrameCodec.chain(previous, position, 2, 5, position % 1000, 1_790_000_000_000L + i, kind, payload);
            out.add(new Frame(position, 2, 5, position % 1000, 1_790_000_000_000L + i, kind, payload, h));
            previous = h;
        }
        return out;
    }

    /** The worked example of docs/FORMAT.md: frames 1 and 2 after h(0). */
    static ArchiveSegment example() {
        Hash128 h1 = FrameCodec.chain(Hash128.ZERO, 1, 0, 0, 1, 1_790_000_000_123L, FrameKind.STATEMENTS, new byte[] {(byte) 0xab});
        Frame f1 = new Frame(1, 0, 0, 1, 1_790_000_000_123L, FrameKind.STATEMENTS, new byte[] {(byte) 0xab}, h1);
        Hash128 h2 = FrameCodec.chain(h1, 2, 0, 0, 2, 1_790_000_000_124L, FrameKind.STATEMENTS, new byte[0]);
        Frame f2 = new Frame(2, 0, 0, 2, 1_790_000_000_124L, FrameKind.STATEMENTS, new byte[0], h2);
        return new ArchiveSegment(Hash128.ZERO, List.of(f1, f2));
    }

    @Test
    void theGoldenSegmentIsStable() throws Exception {
        byte[] bytes = example().encode();
        String hex = HexFormat.of().formatHex(bytes);
        assertEquals(GOLDEN, hex, "the segment format changed: bump VERSION and document it in docs/FORMAT.md");
        ArchiveSegment back = ArchiveSegment.decode(HexFormat.of().parseHex(GOLDEN));
        assertEquals(1, back.firstPosition());
        assertEquals(2, back.lastPosition());
        assertEquals("segments/00000000000000000001.seg", ArchiveSegment.key(1));
    }

    static final String GOLDEN = goldenFromFile();

    private static String goldenFromFile() {
        try (var in = ArchiveSegmentTest.class.getResourceAsStream("golden-segment.hex")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        } catch (java.io.IOException | NullPointerException e) {
            throw new AssertionError("golden-segment.hex is missing beside the test", e);
        }
    }

    @Test
    void theFormatDocumentShowsThisVersionAndThisExample() throws Exception {
        String doc = io.chronolog.engine.ProjectFiles.read("docs/FORMAT.md");
        assertTrue(doc.contains("Current archive segment version: " + ArchiveSegment.VERSION + "\n"), "version line drifted");
        assertTrue(doc.contains("\n" + GOLDEN + "\n"), "the worked example drifted from the encoder");
    }

    @Test
    void randomRunsRoundTrip() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ArchiveSegmentTest seed=" + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            Hash128 anchor = round == 0 ? Hash128.ZERO : new Hash128(random.nextLong(), random.nextLong());
            long first = 1 + random.nextInt(1_000_000);
            ArchiveSegment s = new ArchiveSegment(anchor, chain(anchor, first, 1 + random.nextInt(30), random));
            ArchiveSegment back = ArchiveSegment.decode(s.encode());
            assertEquals(s.anchor(), back.anchor(), "seed " + seed);
            assertEquals(s.frames(), back.frames(), "seed " + seed);
        }
    }

    @Test
    void everyFlippedBitAndEveryTruncationIsRefused() {
        byte[] good = new ArchiveSegment(Hash128.ZERO, chain(Hash128.ZERO, 1, 3, new Random(11))).encode();
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThrows(CorruptFrameException.class, () -> ArchiveSegment.decode(bad), "byte " + i + " bit " + bit);
            }
        }
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThrows(CorruptFrameException.class, () -> ArchiveSegment.decode(cut), "cut at " + length);
        }
    }

    @Test
    void aSegmentWhoseFramesDoNotChainFromItsAnchorIsRefused() {
        List<Frame> frames = chain(Hash128.ZERO, 10, 3, new Random(3));
        byte[] wrongAnchor = new ArchiveSegment(new Hash128(1, 2), frames).encode(); // checksum is right, chain is not
        CorruptFrameException e = assertThrows(CorruptFrameException.class, () -> ArchiveSegment.decode(wrongAnchor));
        assertTrue(e.getMessage().contains("breaks the hash chain"), e.getMessage());
    }
}
