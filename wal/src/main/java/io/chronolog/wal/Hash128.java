package io.chronolog.wal;

import java.util.Objects;

/**
 * A 128-bit chain hash: the first 16 bytes of a SHA-256 digest, held as two big-endian longs.
 *
 * <p>On disk it is the last 16 bytes of every frame (see {@code docs/FORMAT.md}); in text it is
 * 32 lower-case hex digits. Instances are immutable and thread-safe. Invariant: {@code toBytes()}
 * and {@code toHex()} are big-endian renderings of {@code hi} followed by {@code lo}.
 */
public record Hash128(long hi, long lo) implements Comparable<Hash128> {

    /** {@code h(0)}: the hash that precedes frame 1 (all zero bits). */
    public static final Hash128 ZERO = new Hash128(0L, 0L);

    /** Number of bytes in the binary form. */
    public static final int BYTES = 16;

    /** Number of characters in the hex form. */
    public static final int HEX_LENGTH = 32;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * Reads a hash from exactly 16 bytes, big-endian.
     *
     * @throws IllegalArgumentException if {@code b16} is null or not 16 bytes long
     */
    public static Hash128 fromBytes(byte[] b16) {
        Objects.requireNonNull(b16, "hash bytes");
        if (b16.length != BYTES) {
            throw new IllegalArgumentException("hash bytes: expected=16 actual=" + b16.length);
        }
        return fromBytes(b16, 0);
    }

    /** Reads a hash from 16 bytes of {@code b} starting at {@code offset}, big-endian. */
    public static Hash128 fromBytes(byte[] b, int offset) {
        Objects.checkFromIndexSize(offset, BYTES, b.length);
        return new Hash128(readLong(b, offset), readLong(b, offset + 8));
    }

    /** The 16-byte big-endian form: {@code hi} then {@code lo}. */
    public byte[] toBytes() {
        byte[] out = new byte[BYTES];
        writeTo(out, 0);
        return out;
    }

    /** Writes the 16-byte big-endian form into {@code out} at {@code offset}. */
    public void writeTo(byte[] out, int offset) {
        Objects.checkFromIndexSize(offset, BYTES, out.length);
        writeLong(out, offset, hi);
        writeLong(out, offset + 8, lo);
    }

    /** The 32-character lower-case hex form. */
    public String toHex() {
        char[] c = new char[HEX_LENGTH];
        for (int i = 0; i < 16; i++) {
            c[i] = HEX[(int) (hi >>> (60 - 4 * i)) & 0xF];
            c[16 + i] = HEX[(int) (lo >>> (60 - 4 * i)) & 0xF];
        }
        return new String(c);
    }

    /**
     * Parses exactly 32 lower-case hex digits ({@code [0-9a-f]}, ASCII only).
     *
     * @throws IllegalArgumentException naming the problem if the text is not in that form
     */
    public static Hash128 parseHex(String hex32) {
        if (hex32 == null) {
            throw new IllegalArgumentException("hash is null");
        }
        if (hex32.length() != HEX_LENGTH) {
            throw new IllegalArgumentException("hash must be 32 lower-case hex digits: expected length=32 actual=" + hex32.length());
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < HEX_LENGTH; i++) {
            int d = hexDigit(hex32.charAt(i));
            if (d < 0) {
                throw new IllegalArgumentException("hash must be 32 lower-case hex digits: bad character '"
                        + hex32.charAt(i) + "' at index " + i);
            }
            if (i < 16) {
                hi = (hi << 4) | d;
            } else {
                lo = (lo << 4) | d;
            }
        }
        return new Hash128(hi, lo);
    }

    /** Unsigned comparison, the same order as comparing {@link #toHex()} strings. */
    @Override
    public int compareTo(Hash128 other) {
        int c = Long.compareUnsigned(hi, other.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, other.lo);
    }

    @Override
    public String toString() {
        return toHex();
    }

    static int hexDigit(char ch) {
        if (ch >= '0' && ch <= '9') {
            return ch - '0';
        }
        if (ch >= 'a' && ch <= 'f') {
            return ch - 'a' + 10;
        }
        return -1;
    }

    private static long readLong(byte[] b, int o) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[o + i] & 0xFFL);
        }
        return v;
    }

    private static void writeLong(byte[] b, int o, long v) {
        for (int i = 7; i >= 0; i--) {
            b[o + i] = (byte) v;
            v >>>= 8;
        }
    }
}
