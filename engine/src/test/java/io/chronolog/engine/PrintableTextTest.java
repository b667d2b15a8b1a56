package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PrintableTextTest {
    @Test
    void plainTextIsReturnedAsItIs() {
        String s = "bad database name 'café-名前 x': names are 1-64 characters";
        assertSame(s, PrintableText.of(s));
        assertNull(PrintableText.of(null));
    }

    @Test
    void controlCharactersAndLineBreaksAreEscaped() {
        assertEquals("a\\u0000b\\u000Ac\\u001B[31md\\u007F\\u0085", PrintableText.of("a\0b\nc\u001b[31md\u007f\u0085"));
        assertEquals("x\\u2028y\\u2029", PrintableText.of("x\u2028y\u2029"));
    }

    @Test
    void invisibleFormatCharactersAreEscaped() {
        assertEquals("a\\u200Bb\\u202Ec\\uFEFFd\\u00ADe", PrintableText.of("a\u200Bb\u202Ec\uFEFFd\u00ADe"));
    }

    @Test
    void unpairedSurrogatesAreEscapedAndPairsKept() {
        assertEquals("a\\uD800b\\uDC00c\uD83D\uDE00", PrintableText.of("a\uD800b\uDC00c\uD83D\uDE00"));
        assertEquals("\\uD83D", PrintableText.of("\uD83D"));
    }
}
