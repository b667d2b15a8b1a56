package io.chronolog.engine;

/**
 * Makes text that quotes an input safe to print as one line of an error message: control
 * characters, line and paragraph separators, invisible format characters (zero-width spaces,
 * bidirectional overrides, byte-order marks) and unpaired surrogates become a backslash, {@code u}
 * and the four hex digits of the UTF-16 unit (a line feed becomes {@code \\u000A});
 * everything else, including paired surrogates, is kept.
 * Stateless and thread-safe; it puts nothing on disk.
 */
public final class PrintableText {
    private PrintableText() {
    }

    /** {@code text} with every character that a terminal would not show as itself escaped; {@code null} stays null. */
    public static String of(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !hidden(text, i)) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (hidden(text, i)) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean hidden(String text, int i) {
        char c = text.charAt(i);
        if (Character.isISOControl(c)) {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
        }
        int type = Character.getType(c);
        return type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
    }
}
