package io.chronolog.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StatsTest {
    private static final long SEED = Long.getLong("chronolog.bench.test.seed", System.nanoTime());

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3.0, Stats.median(new double[] {5, 1, 3}));
        assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
        assertEquals(7.0, Stats.median(new double[] {7}));
    }

    @Test
    void nearestRankPercentiles() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(50, Stats.percentile(sorted, 50));
        assertEquals(99, Stats.percentile(sorted, 99));
        assertEquals(100, Stats.percentile(sorted, 99.9));
        assertEquals(1, Stats.percentile(sorted, 0));
        assertEquals(0, Stats.percentile(new long[0], 50));
    }

    /** Against a sort-and-index oracle on random data; the seed is printed on failure. */
    @Test
    void randomArraysAgreeWithASortedCopy() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(50);
            double[] values = random.doubles(n, -1e6, 1e6).toArray();
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            double expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            assertEquals(expected, Stats.median(values), "seed " + SEED + " trial " + trial);
            assertEquals(sorted[0], Stats.min(values), "seed " + SEED);
            assertEquals(sorted[n - 1], Stats.max(values), "seed " + SEED);
        }
    }

    @Test
    void pooledSortedJoinsAndSorts() {
        long[] all = Stats.pooledSorted(List.of(new long[] {5, 1}, new long[] {}, new long[] {3, 2, 4}));
        assertEquals("[1, 2, 3, 4, 5]", Arrays.toString(all));
    }
}
