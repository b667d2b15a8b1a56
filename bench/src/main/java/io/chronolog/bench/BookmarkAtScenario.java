package io.chronolog.bench;

import io.chronolog.engine.Bookmark;
import io.chronolog.engine.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code bookmark-at}: {@link Database#bookmarkAt} latency on {@link History} logs of 1M frames
 * (with {@code --large} also 10M; quick 50k), over random times uniform between the history's
 * first and last frame, each answer checked (its frame is at or before the time, the next frame
 * after it). Peer: a linear scan, {@link Database#frame} from position 1 upwards until the
 * timestamp passes the time, one random time per round and only on logs of up to
 * {@value #SCAN_LIMIT} frames (a scan of 1M frames takes seconds), each answer equal to
 * {@code bookmarkAt}'s.
 */
final class BookmarkAtScenario implements MeasuredScenario {
    static final String NAME = "bookmark-at";
    static final double TARGET_MS = 1.0;
    static final String LOOKUP = "chronolog bookmarkAt";
    static final String SCAN = "linear scan of frames";
    static final long SEED = Long.getLong("chronolog.bench.seed", 0x5eed_b00cL);
    /** Longest history the linear scan runs on. */
    static final long SCAN_LIMIT = 2_000_000;

    @Override
    public String name() {
        return NAME;
    }

    /** History lengths looked up: 1M frames (with {@code --large} also 10M; quick 50k). */
    static int[] sizes(boolean quick, boolean large) {
        if (quick) {
            return new int[] {50_000};
        }
        return large ? new int[] {1_000_000, 10_000_000} : new int[] {1_000_000};
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        int[] sizes = sizes(context.quick(), context.large());
        int lookups = context.quick() ? 1_000 : 10_000;
        int rounds = context.rounds();
        List<Sample> samples = new ArrayList<>();
        List<String> variants = new ArrayList<>();
        System.err.printf(Locale.ROOT, "seed %d%n", SEED);
        for (int n : sizes) {
            History h = context.histories().get(n);
            // One scan per round, and only up to SCAN_LIMIT frames: at 1M frames a scan reads ~500,000
            // frames at tens of µs each (5-25 s), at 10M ten times that.
            boolean scan = h.lastPosition <= SCAN_LIMIT;
            Database db = h.db;
            long first = db.frame(1).timestamp();
            long last = db.frame(h.lastPosition).timestamp();
            String v = Fmt.count(h.lastPosition) + " frames";
            variants.add(v);
            samples.add(new Sample(NAME, 0, LOOKUP, v, "history_ms", last - first));
            samples.add(new Sample(NAME, 0, LOOKUP, v, "frames", h.lastPosition));
            lookups(db, new SplittableRandom(SEED), first, last, 1_000, h.lastPosition);
            if (scan) {
                scans(db, new SplittableRandom(SEED), first, last, 1);
            }
            for (int round = 1; round <= rounds; round++) {
                SplittableRandom random = new SplittableRandom(SEED + round);
                int scans = scan ? 1 : 0;
                long[] lookup;
                long[] scanned;
                if (round % 2 == 1) {
                    lookup = lookups(db, random, first, last, lookups, h.lastPosition);
                    scanned = scans(db, random, first, last, scans);
                } else {
                    scanned = scans(db, random, first, last, scans);
                    lookup = lookups(db, random, first, last, lookups, h.lastPosition);
                }
                add(samples, round, LOOKUP, v, lookup);
                if (scan) {
                    add(samples, round, SCAN, v, scanned);
                }
                BenchContext.progress("%s %s round %d/%d: bookmarkAt p50 %.1f µs p99 %.1f µs (%,d lookups); scan p50 %.1f ms (%d scans)", NAME,
                        v, round, rounds, Stats.percentile(lookup, 50) / 1e3, Stats.percentile(lookup, 99) / 1e3, lookup.length,
                        Stats.percentile(scanned, 50) / 1e6, scanned.length);
            }
        }
        return report(samples, variants, lookups, rounds);
    }

    private static void add(List<Sample> samples, int round, String side, String v, long[] sortedNanos) {
        samples.add(new Sample(NAME, round, side, v, "count", sortedNanos.length));
        samples.add(new Sample(NAME, round, side, v, "p50_us", Stats.percentile(sortedNanos, 50) / 1e3));
        samples.add(new Sample(NAME, round, side, v, "p99_us", Stats.percentile(sortedNanos, 99) / 1e3));
        samples.add(new Sample(NAME, round, side, v, "max_us", sortedNanos.length == 0 ? 0 : sortedNanos[sortedNanos.length - 1] / 1e3));
    }

    /** {@code count} timed lookups at random times, then every answer checked; the latencies, sorted. */
    private static long[] lookups(Database db, SplittableRandom random, long first, long last, int count, long lastPosition) {
        long[] times = new long[count];
        Bookmark[] answers = new Bookmark[count];
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            times[i] = random.nextLong(first, last + 1);
        }
        for (int i = 0; i < count; i++) {
            Instant t = Instant.ofEpochMilli(times[i]);
            long t0 = System.nanoTime();
            answers[i] = db.bookmarkAt(t);
            nanos[i] = System.nanoTime() - t0;
        }
        for (int i = 0; i < count; i++) {
            long p = db.positionOf(answers[i]);
            if (db.frame(p).timestamp() > times[i] || p < lastPosition && db.frame(p + 1).timestamp() <= times[i]) {
                throw new IllegalStateException("bookmarkAt(" + times[i] + ") = frame " + p + " (at " + db.frame(p).timestamp()
                        + "), but the next frame is at " + db.frame(p + 1).timestamp() + ": not the last frame at or before the time");
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /** {@code count} timed linear scans at random times, each compared with bookmarkAt; the latencies, sorted. */
    private static long[] scans(Database db, SplittableRandom random, long first, long last, int count) {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long t = random.nextLong(first, last + 1);
            long t0 = System.nanoTime();
            long p = 1;
            while (db.frame(p).timestamp() <= t) {
                p++;
            }
            long found = p - 1;
            nanos[i] = System.nanoTime() - t0;
            long expected = db.positionOf(db.bookmarkAt(Instant.ofEpochMilli(t)));
            if (found != expected) {
                throw new IllegalStateException("linear scan for " + t + " found frame " + found + ", bookmarkAt frame " + expected);
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static ScenarioResult report(List<Sample> samples, List<String> variants, int lookups, int rounds) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Histories of restore-history (upserts over %,d keys, built with ASYNC). %,d random times per "
                + "round for `bookmarkAt`, each answer checked; the linear scan (`db.frame(p)` from 1 upwards) once per round, on "
                + "histories of up to %,d frames. Per-round figures, median (min-max) over %d rounds.%n%n",
                History.KEYS, lookups, SCAN_LIMIT, rounds));
        md.append("| history | span of commit times | side | p50 | p99 | max |\n|---:|---:|---|---:|---:|---:|\n");
        List<String> verdicts = new ArrayList<>();
        for (String v : variants) {
            double[] p50 = Sample.values(samples, LOOKUP, v, "p50_us");
            double[] p99 = Sample.values(samples, LOOKUP, v, "p99_us");
            double[] max = Sample.values(samples, LOOKUP, v, "max_us");
            double[] scanP50 = Sample.values(samples, SCAN, v, "p50_us");
            double[] scanMax = Sample.values(samples, SCAN, v, "max_us");
            String span = String.format(Locale.ROOT, "%,.0f s", RestoreHistoryScenario.once(samples, v, "history_ms") / 1e3);
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s µs | %s µs | %s µs |%n", v, span, LOOKUP, Fmt.medianRange(p50, 1),
                    Fmt.medianRange(p99, 1), Fmt.medianRange(max, 1)));
            if (scanP50.length > 0) {
                md.append(String.format(Locale.ROOT, "| %s | | %s | %s ms | | %s ms |%n", v, SCAN, Fmt.medianRange(div(scanP50, 1e3), 1),
                        Fmt.medianRange(div(scanMax, 1e3), 1)));
            }
            String scanText = scanP50.length == 0 ? "no linear scan at this length"
                    : String.format(Locale.ROOT, "the linear scan takes %.1f ms at its median, %.0fx the lookup",
                            Stats.median(scanP50) / 1e3, Stats.median(scanP50) / Stats.median(p50));
            verdicts.add(String.format(Locale.ROOT,
                    "bookmark-at: bookmarkAt at %s p50 %.1f µs, p99 %.1f µs (median of the rounds; worst round %.1f µs): target under "
                            + "%.0f ms %s; %s.",
                    v, Stats.median(p50), Stats.median(p99), Stats.max(p99), TARGET_MS, Fmt.verdict(Stats.median(p99) < TARGET_MS * 1e3),
                    scanText));
        }
        return new ScenarioResult(NAME, samples, md.toString(), verdicts);
    }

    private static double[] div(double[] values, double by) {
        return Arrays.stream(values).map(x -> x / by).toArray();
    }
}
