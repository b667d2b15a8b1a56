package io.chronolog.snapshot;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointMetaTest {

    private static CheckpointMeta meta(byte[] chain, String label) {
        return new CheckpointMeta(1, 0, 2, chain, 3, 4, 5, 6, 0xFFFF_FFFFL, Images.hash(9),
                CheckpointMeta.Kind.BACKUP_AUTOMATIC, label, CheckpointMeta.State.AVAILABLE);
    }

    @Test
    void equalsAndHashCodeCompareArrayContents() {
        CheckpointMeta a = meta(Images.hash(1), "x");
        CheckpointMeta b = meta(Images.hash(1), "x");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, meta(Images.hash(2), "x"));
        assertNotEquals(a, a.withState(CheckpointMeta.State.MISSING));
        assertTrue(a.toString().contains("chainHash=0102030405060708090a0b0c0d0e0f10"), a.toString());
        assertTrue(a.isBackup());
    }

    @Test
    void arraysAreCopiedInAndOut() {
        byte[] chain = Images.hash(1);
        CheckpointMeta m = meta(chain, "");
        chain[0] = 99;
        assertEquals(1, m.chainHash()[0]);
        m.chainHash()[0] = 77;
        assertEquals(1, m.chainHash()[0]);
        assertNotSame(m.contentDigest(), m.contentDigest());
    }

    @Test
    void constructorRejectsOutOfRangeFields() {
        assertThrows(IllegalArgumentException.class, () -> meta(new byte[15], ""));
        assertThrows(NullPointerException.class, () -> meta(null, ""));
        assertThrows(IllegalArgumentException.class, () -> meta(Images.hash(0), "é".repeat(40_000)));
        assertThrows(IllegalArgumentException.class, () -> meta(Images.hash(0), "\uD800"));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointMeta(-1, 0, 0, Images.hash(0), 0, 0, 0, 0, 0,
                Images.hash(0), CheckpointMeta.Kind.CHECKPOINT, "", CheckpointMeta.State.AVAILABLE));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointMeta(1, 0, 0, Images.hash(0), 0, 0, 0, 0,
                1L << 32, Images.hash(0), CheckpointMeta.Kind.CHECKPOINT, "", CheckpointMeta.State.AVAILABLE));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointDraft(1, -1, 0, Images.hash(0), 0, 0,
                Images.hash(0), CheckpointMeta.Kind.CHECKPOINT, ""));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointDraft(1, 0, 0, Images.hash(0), 0, 0,
                new byte[17], CheckpointMeta.Kind.CHECKPOINT, ""));
    }

    @Test
    void draftBecomesMetaWithMeasuredValues() {
        CheckpointDraft d = Images.draft(5, CheckpointMeta.Kind.BACKUP_MANUAL, "id");
        CheckpointMeta m = d.toMeta(10, 7, 0x1234, CheckpointMeta.State.AVAILABLE);
        assertEquals(d.number(), m.number());
        assertEquals("id", m.label());
        assertEquals(10, m.rawSize());
        assertEquals(7, m.compressedSize());
        assertEquals(d, Images.draft(5, CheckpointMeta.Kind.BACKUP_MANUAL, "id"));
    }
}
