package io.chronolog.engine.internal.sql;

/**
 * The pseudo-random generator behind {@code random()} and {@code randomblob()} in writes: SplitMix64
 * (Steele, Lea, Flood 2014), fixed here so that a frame's seed gives the same sequence in every
 * version of the engine and the JVM. Not thread-safe; one per frame being applied.
 */
public final class SplitMix64 {
    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    void nextBytes(byte[] out) {
        int i = 0;
        while (i < out.length) {
            long v = nextLong();
            for (int k = 0; k < 8 && i < out.length; k++, v >>>= 8) {
                out[i++] = (byte) v;
            }
        }
    }
}
