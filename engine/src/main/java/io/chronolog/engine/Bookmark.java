package io.chronolog.engine;

import java.util.regex.Pattern;

/**
 * The name of one frame of a database's history: {@code EEEEEEEE-CCCCCCCC-OOOOOOOO-<32 hex>}
 * (epoch, checkpoint, offset since that checkpoint, chain hash), all lower-case hex of fixed width.
 *
 * <p>The API's main value: every write returns one, and restores, exports, forks and diffs take
 * one. The engine makes it from a frame of the log; the log does not store it, and applications
 * store its text. Immutable and thread-safe. Invariants: {@code parse(toString())} equals the
 * bookmark, and {@link #compareTo} orders bookmarks exactly as the lexicographic order of their
 * text, which is chronological order.
 *
 * @param epoch      restore generation, an unsigned 32-bit value held in an int
 * @param checkpoint checkpoint number, unsigned 32-bit, {@code 0..0xffffffff}
 * @param offset     frames since that checkpoint, unsigned 32-bit, {@code 0..0xffffffff}
 * @param hashHi     first 8 bytes of the frame's chain hash, big-endian
 * @param hashLo     last 8 bytes of the frame's chain hash, big-endian
 */
public record Bookmark(int epoch, long checkpoint, long offset, long hashHi, long hashLo) implements Comparable<Bookmark> {

    /** Length of the text form. */
    public static final int TEXT_LENGTH = 8 + 1 + 8 + 1 + 8 + 1 + 32;

    /** Length of the chain hash in bytes. */
    public static final int HASH_BYTES = 16;

    private static final Pattern SHAPE = Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$");
    private static final String FORM = "EEEEEEEE-CCCCCCCC-OOOOOOOO-<32 hex>";
    private static final String[] PART_NAMES = {"epoch", "checkpoint", "offset", "hash"};
    private static final int[] PART_WIDTHS = {8, 8, 8, 32};
    private static final int QUOTE_LIMIT = 80;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Validates the fields. */
    public Bookmark {
        if (checkpoint < 0 || checkpoint > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("bookmark checkpoint out of range: expected=0..4294967295 actual=" + checkpoint);
        }
        if (offset < 0 || offset > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("bookmark offset out of range: expected=0..4294967295 actual=" + offset);
        }
    }

    /**
     * Parses the text form.
     *
     * @throws MalformedBookmarkException naming the problem (null or empty, whitespace, wrong number
     *     of parts, wrong length, upper-case hex, non-hex character) and quoting the input
     */
    public static Bookmark parse(String text) {
        if (text == null) {
            throw new MalformedBookmarkException("malformed bookmark: null; expected " + FORM);
        }
        if (text.isEmpty()) {
            throw new MalformedBookmarkException("malformed bookmark: empty; expected " + FORM);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw bad("contains whitespace at index " + i, text);
            }
        }
        String[] parts = text.split("-", -1);
        if (parts.length != 4) {
            throw bad("wrong number of parts: expected=4 actual=" + parts.length + " (form " + FORM + ")", text);
        }
        if (text.length() != TEXT_LENGTH) {
            StringBuilder which = new StringBuilder();
            for (int p = 0; p < 4; p++) {
                if (parts[p].length() != PART_WIDTHS[p]) {
                    which.append(which.length() == 0 ? "" : ", ").append(PART_NAMES[p]).append(" has ")
                            .append(parts[p].length()).append(" digits, expected ").append(PART_WIDTHS[p]);
                }
            }
            throw bad("wrong length: expected=" + TEXT_LENGTH + " actual=" + text.length() + " (" + which + ")", text);
        }
        for (int p = 0; p < 4; p++) {
            if (parts[p].length() != PART_WIDTHS[p]) {
                throw bad("wrong length of the " + PART_NAMES[p] + " part: expected=" + PART_WIDTHS[p]
                        + " actual=" + parts[p].length(), text);
            }
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'F') {
                throw bad("upper-case hex digit '" + c + "' at index " + i + ": bookmarks are lower-case", text);
            }
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '-' && hexDigit(c) < 0) {
                throw bad("non-hex character '" + c + "' (U+" + String.format("%04X", (int) c) + ") at index " + i
                        + ": only 0-9 and a-f are allowed", text);
            }
        }
        if (!SHAPE.matcher(text).matches()) {
            throw bad("does not match " + SHAPE.pattern(), text);
        }
        int epoch = (int) Long.parseLong(parts[0], 16);
        long checkpoint = Long.parseLong(parts[1], 16);
        long offset = Long.parseLong(parts[2], 16);
        return new Bookmark(epoch, checkpoint, offset, Long.parseUnsignedLong(parts[3].substring(0, 16), 16),
                Long.parseUnsignedLong(parts[3].substring(16), 16));
    }

    /** The chain hash as 32 lower-case hex digits: {@link #hashHi} then {@link #hashLo}. */
    public String hashHex() {
        char[] c = new char[2 * HASH_BYTES];
        for (int i = 0; i < 16; i++) {
            c[i] = HEX[(int) (hashHi >>> (60 - 4 * i)) & 0xF];
            c[16 + i] = HEX[(int) (hashLo >>> (60 - 4 * i)) & 0xF];
        }
        return new String(c);
    }

    /** The chain hash as 16 bytes, big-endian: {@link #hashHi} then {@link #hashLo}; a new array each call. */
    public byte[] hashBytes() {
        byte[] out = new byte[HASH_BYTES];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (hashHi >>> (56 - 8 * i));
            out[8 + i] = (byte) (hashLo >>> (56 - 8 * i));
        }
        return out;
    }

    /** The text form {@code EEEEEEEE-CCCCCCCC-OOOOOOOO-<32 hex>}. */
    @Override
    public String toString() {
        return hex8(epoch & 0xFFFF_FFFFL) + '-' + hex8(checkpoint) + '-' + hex8(offset) + '-' + hashHex();
    }

    /** Orders by epoch, checkpoint, offset (all unsigned) then hash: the order of the text form. */
    @Override
    public int compareTo(Bookmark other) {
        int c = Integer.compareUnsigned(epoch, other.epoch);
        if (c == 0) {
            c = Long.compare(checkpoint, other.checkpoint);
        }
        if (c == 0) {
            c = Long.compare(offset, other.offset);
        }
        if (c == 0) {
            c = Long.compareUnsigned(hashHi, other.hashHi);
        }
        return c != 0 ? c : Long.compareUnsigned(hashLo, other.hashLo);
    }

    private static int hexDigit(char ch) {
        if (ch >= '0' && ch <= '9') {
            return ch - '0';
        }
        if (ch >= 'a' && ch <= 'f') {
            return ch - 'a' + 10;
        }
        return -1;
    }

    private static String hex8(long v) {
        String s = Long.toHexString(v);
        return "00000000".substring(s.length()) + s;
    }

    private static MalformedBookmarkException bad(String problem, String text) {
        String quoted = text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "...";
        return new MalformedBookmarkException(PrintableText.of("malformed bookmark: " + problem + ": \"" + quoted + "\""));
    }
}
