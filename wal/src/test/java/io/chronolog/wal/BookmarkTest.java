package io.chronolog.wal;

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
        Bookmark max = new Bookmark(-1, 0xFFFF_FFFFL, 0xFFFF_FFFFL, new Hash128(-1, -1));
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
                    (rnd.nextLong(0, 2) << 31) + rnd.nextLong(0, 3), new Hash128(rnd.nextLong(), rnd.nextLong())));
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
    void messageQuotesATruncatedInput() {
        String longText = "x".repeat(500);
        MalformedBookmarkException e = assertThrows(MalformedBookmarkException.class, () -> Bookmark.parse(longText));
        assertTrue(e.getMessage().contains("\"" + "x".repeat(80) + "...\""), e.getMessage());
        assertTrue(e.getMessage().length() < 250, e.getMessage());
    }

    private static void refused(String text, String expected) {
        MalformedBookmarkException e = assertThrows(MalformedBookmarkException.class, () -> Bookmark.parse(text));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
        assertTrue(e instanceof IllegalArgumentException);
        if (text != null && !text.isEmpty()) {
            assertTrue(e.getMessage().contains("\""), e.getMessage());
        }
    }
}
