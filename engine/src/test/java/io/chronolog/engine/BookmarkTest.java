package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BookmarkTest {

    static final String GOOD = "00000001-0000000a-000000ff-0123456789abcdef0123456789abcdef";

    @Test
    void textRoundTrips() {
        Bookmark b = Bookmark.parse(GOOD);
        assertEquals(1, b.epoch());
        assertEquals(10, b.checkpoint());
        assertEquals(255, b.offset());
        assertEquals(GOOD, b.toString());
        Bookmark max = new Bookmark(-1, 0xFFFF_FFFFL, 0xFFFF_FFFFL, -1, -1);
        assertEquals("ffffffff-ffffffff-ffffffff-ffffffffffffffffffffffffffffffff", max.toString());
        assertEquals(max, Bookmark.parse(max.toString()));
    }

    @Test
    void orderIsTheLexicographicOrderOfTheText() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Bookmark> list = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            list.add(new Bookmark(rnd.nextInt(4) == 0 ? -rnd.nextInt(3) - 1 : rnd.nextInt(3), rnd.nextLong(0, 3) * 0x7FFF_FFFFL,
                    (rnd.nextLong(0, 2) << 31) + rnd.nextLong(0, 3), rnd.nextLong(), rnd.nextLong()));
        }
        List<Bookmark> byValue = new ArrayList<>(list);
        byValue.sort(null);
        List<Bookmark> byText = new ArrayList<>(list);
        byText.sort(Comparator.comparing(Bookmark::toString));
        assertEquals(byText, byValue, "seed=" + seed);
        assertTrue(Bookmark.parse("00000000-00000002-00000000-" + "0".repeat(32))
                .compareTo(Bookmark.parse("00000000-00000001-00000005-" + "f".repeat(32))) > 0);
        assertTrue(Bookmark.parse("00000001-00000000-00000000-" + "0".repeat(32))
                .compareTo(Bookmark.parse("00000000-ffffffff-ffffffff-" + "f".repeat(32))) > 0);
    }

    @Test
    void parseRefusesEveryBadInputSayingWhich() {
        refused(null, "null");
        refused("", "empty");
        refused(GOOD.substring(1), "wrong length: expected=59 actual=58");
        refused(GOOD + "0", "wrong length: expected=59 actual=60");
        refused(GOOD.replaceFirst("-", "0"), "wrong number of parts: expected=4 actual=3");
        refused("00000001-0000000a-000000ff", "wrong number of parts: expected=4 actual=3");
        refused(GOOD + "-0", "wrong number of parts: expected=4 actual=5");
        refused("00000001-0000000a-000000ff-0123456789abcdef0123456789abcde-f", "wrong number of parts: expected=4 actual=5");
        refused("0000001-00000000a-000000ff-0123456789abcdef0123456789abcdef", "wrong length of the epoch part");
        refused(GOOD.toUpperCase(), "upper-case hex digit 'A'");
        refused(GOOD.replace('a', 'g'), "non-hex character 'g'");
        refused(GOOD.replace('1', '\u0661'), "non-hex character '\u0661' (U+0661)");
        refused(GOOD.replace('1', '\uFF11'), "non-hex character '\uFF11' (U+FF11)");
        refused(" " + GOOD.substring(1), "whitespace at index 0");
        refused(GOOD.substring(0, 58) + "\n", "whitespace at index 58");
        refused(GOOD.replace('-', '_'), "wrong number of parts: expected=4 actual=1");
    }

    @Test
    void hashIsHeldAsTwoLongsShownAsHexAndBytes() {
        Bookmark b = Bookmark.parse(GOOD);
        assertEquals(0x0123456789abcdefL, b.hashHi());
        assertEquals(0x0123456789abcdefL, b.hashLo());
        assertEquals("0123456789abcdef0123456789abcdef", b.hashHex());
        Bookmark high = new Bookmark(0, 0, 0, 0x8000_0000_0000_00ffL, -2L);
        assertEquals("80000000000000fffffffffffffffffe", high.hashHex());
        assertArrayEquals(new byte[] {(byte) 0x80, 0, 0, 0, 0, 0, 0, (byte) 0xff, -1, -1, -1, -1, -1, -1, -1, -2}, high.hashBytes());
        high.hashBytes()[0] = 1;
        assertEquals((byte) 0x80, high.hashBytes()[0]);
        assertEquals(Bookmark.parse(high.toString()), high);
    }

    @Test
    void constructorRefusesFieldsOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Bookmark(0, -1, 0, 0, 0));
        assertEquals("bookmark checkpoint out of range: expected=0..4294967295 actual=-1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Bookmark(0, 0, 0x1_0000_0000L, 0, 0));
        assertEquals("bookmark offset out of range: expected=0..4294967295 actual=4294967296", e.getMessage());
    }

    @Test
    void malformedBookmarkMessagesQuoteControlCharactersEscaped() {
        try {
            Bookmark.parse("00000000-00000001-0000000c-d7f5bca\u001D36d671ba43f24ad0aaa41d720");
            throw new AssertionError("accepted");
        } catch (MalformedBookmarkException e) {
            assertEquals("malformed bookmark: contains whitespace at index 34: "
                    + "\"00000000-00000001-0000000c-d7f5bca\\u001D36d671ba43f24ad0aaa41d720\"", e.getMessage());
        }
    }

    @Test
    void messageQuotesATruncatedInput() {
        String longText = "x".repeat(500);
        MalformedBookmarkException e = assertThrows(MalformedBookmarkException.class, () -> Bookmark.parse(longText));
        assertTrue(e.getMessage().contains("\"" + "x".repeat(80) + "...\""), e.getMessage());
        assertTrue(e.getMessage().length() < 250, e.getMessage());
    }

    private static void refused(String text, String expected) {
        MalformedBookmarkException e = assertThrows(MalformedBookmarkException.class, () -> Bookmark.parse(text));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
        assertTrue(e instanceof BookmarkException && e instanceof ChronologException, e.getClass().getName());
        if (text != null && !text.isEmpty()) {
            assertTrue(e.getMessage().contains("\""), e.getMessage());
        }
    }
}
