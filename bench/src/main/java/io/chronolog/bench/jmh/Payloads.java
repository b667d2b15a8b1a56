package io.chronolog.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The payload the log's micro-benchmarks append: the log stores payloads as opaque bytes, so what
 * matters is the size of a logged single-row INSERT as the insert scenarios write it (95 bytes:
 * the engine's statement batch of {@code INSERT INTO t(k, v) VALUES (?, ?)} with a short text and
 * an integer). Immutable.
 */
final class Payloads {
    /** Bytes of the engine's encoded statement batch for that insert. */
    static final int ONE_INSERT_BYTES = 95;

    private Payloads() {
    }

    /** A payload of {@link #ONE_INSERT_BYTES} bytes holding the statement's text, as such a batch mostly does. */
    static byte[] oneInsert() {
        byte[] text = "INSERT INTO t(k, v) VALUES (?, ?) r1-t0-12345".getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(text, ONE_INSERT_BYTES);
    }
}
