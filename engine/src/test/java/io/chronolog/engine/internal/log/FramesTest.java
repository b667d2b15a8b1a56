package io.chronolog.engine.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chronolog.engine.Bookmark;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameCodec;
import io.chronolog.wal.FrameKind;
import io.chronolog.wal.Hash128;
import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void aFramesBookmarkIsItsEpochCheckpointOffsetAndHash() {
        Frame unsealed = new Frame(1, 7, 0xFFFF_FFFFL, 0x8000_0000L, 1_790_000_000_123L, FrameKind.STATEMENTS,
                new byte[] {1, 2}, Hash128.ZERO);
        Hash128 hash = FrameCodec.chain(Hash128.ZERO, unsealed);
        Frame f = new Frame(1, 7, 0xFFFF_FFFFL, 0x8000_0000L, 1_790_000_000_123L, FrameKind.STATEMENTS, new byte[] {1, 2}, hash);
        Bookmark b = Frames.bookmark(f);
        assertEquals(Frames.bookmark(7, 0xFFFF_FFFFL, 0x8000_0000L, f.hash()), b);
        assertEquals(new Bookmark(7, 0xFFFF_FFFFL, 0x8000_0000L, hash.hi(), hash.lo()), b);
        assertEquals("00000007-ffffffff-80000000-" + hash.toHex(), b.toString());
        assertEquals(hash.toHex(), b.hashHex());
        assertEquals(hash, Frames.hash(b));
        assertEquals(Hash128.ZERO, Frames.hash(Frames.bookmark(0, 0, 0, Hash128.ZERO)));
    }

    @Test
    void hashRoundTripsThroughTheBookmark() {
        Hash128 h = new Hash128(0x8000_0000_0000_0001L, -1L);
        Bookmark b = Frames.bookmark(1, 2, 3, h);
        assertEquals(h, Frames.hash(b));
        assertEquals(h, Hash128.fromBytes(b.hashBytes()));
        assertEquals(h, Frames.hash(Bookmark.parse(b.toString())));
        assertEquals(0, h.compareTo(Frames.hash(b)));
    }

    @Test
    void aMissingHashIsRefusedNamingIt() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Frames.bookmark(0, 0, 0, null));
        assertEquals("hash", e.getMessage());
    }
}
