package io.chronolog.bench;

import java.util.Arrays;

/** Order statistics over plain arrays. Pure functions. */
final class Stats {
    private Stats() {
    }

    /** The median of {@code values} (mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /** Nearest-rank percentile {@code p} (0-100) of already sorted {@code sorted}. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length - 1e-9);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** All arrays joined and sorted. */
    static long[] pooledSorted(Iterable<long[]> arrays) {
        int n = 0;
        for (long[] a : arrays) {
            n += a.length;
        }
        long[] all = new long[n];
        int at = 0;
        for (long[] a : arrays) {
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        Arrays.sort(all);
        return all;
    }
}
