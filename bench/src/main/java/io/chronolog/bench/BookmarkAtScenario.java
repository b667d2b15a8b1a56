package io.chronolog.bench;

import io.chronolog.engine.Database;
import io.chronolog.wal.Bookmark;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code bookmark-at}: {@link Database#bookmarkAt} latency on the largest {@link History}
 * (1M inserts; quick 50k), over random times uniform between the history's first and last
 * frame, each answer checked (its frame is at or before the time, the next frame after it).
 * Peer: a linear scan, {@link Database#frame} from position 1 upwards until the timestamp
 * passes the time, one random time per round (a scan of 1M frames takes tens of seconds), each
 * answer equal to {@code bookmarkAt}'s.
 */
final class BookmarkAtScenario implements MeasuredScenario {
    static final String NAME = "bookmark-at";
    static final double TARGET_MS = 1.0;
    static final String LOOKUP = "chronolog bookmarkAt";
    static final String SCAN = "linear scan of frames";
    static final long SEED = 0x5eed_b00cL;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        int[] sizes = RestoreHistoryScenario.sizes(context.quick());
        History h = context.histories().get(sizes[sizes.length - 1]);
        int lookups = context.quick() ? 1_000 : 10_000;
        int rounds = context.rounds();
        // One scan per round: at 1M frames a scan reads ~500,000 frames at ~60 µs each (~30 s), so
        // the hundred asked for would take ~50 minutes.
        int scansInAll = rounds;
        Database db = h.db;
        long first = db.frame(1).timestamp();
        long last = db.frame(h.lastPosition).timestamp();
        String v = RestoreHistoryScenario.variant(h.inserts);
        List<Sample> samples = new ArrayList<>();
        samples.add(new Sample(NAME, 0, LOOKUP, v, "history_ms", last - first));
        System.err.printf(Locale.ROOT, "seed %d%n", SEED);
        lookups(db, new SplittableRandom(SEED), first, last, 1_000);
        scans(db, new SplittableRandom(SEED), first, last, 1);
        for (int round = 1; round <= rounds; round++) {
            SplittableRandom random = new SplittableRandom(SEED + round);
            int scans = scansInAll / rounds + (round <= scansInAll % rounds ? 1 : 0);
            long[] lookup;
            long[] scan;
            if (round % 2 == 1) {
                lookup = lookups(db, random, first, last, lookups);
                scan = scans(db, random, first, last, scans);
            } else {
                scan = scans(db, random, first, last, scans);
                lookup = lookups(db, random, first, last, lookups);
            }
            add(samples, round, LOOKUP, v, lookup);
            add(samples, round, SCAN, v, scan);
            BenchContext.progress("%s round %d/%d: bookmarkAt p50 %.1f µs p99 %.1f µs (%,d lookups); scan p50 %.1f ms (%d scans)", NAME,
                    round, rounds, Stats.percentile(lookup, 50) / 1e3, Stats.percentile(lookup, 99) / 1e3, lookup.length,
                    Stats.percentile(scan, 50) / 1e6, scan.length);
        }
        return report(samples, v, lookups, scansInAll);
    }

    private static void add(List<Sample> samples, int round, String side, String v, long[] sortedNanos) {
        samples.add(new Sample(NAME, round, side, v, "count", sortedNanos.length));
        samples.add(new Sample(NAME, round, side, v, "p50_us", Stats.percentile(sortedNanos, 50) / 1e3));
        samples.add(new Sample(NAME, round, side, v, "p99_us", Stats.percentile(sortedNanos, 99) / 1e3));
        samples.add(new Sample(NAME, round, side, v, "max_us", sortedNanos.length == 0 ? 0 : sortedNanos[sortedNanos.length - 1] / 1e3));
    }

    /** {@code count} timed lookups at random times, then every answer checked; the latencies, sorted. */
    private static long[] lookups(Database db, SplittableRandom random, long first, long last, int count) {
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
            if (db.frame(p).timestamp() > times[i] || db.frame(p + 1).timestamp() <= times[i]) {
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

    private static ScenarioResult report(List<Sample> samples, String v, int lookups, int scans) {
        double[] p50 = Sample.values(samples, LOOKUP, v, "p50_us");
        double[] p99 = Sample.values(samples, LOOKUP, v, "p99_us");
        double[] max = Sample.values(samples, LOOKUP, v, "max_us");
        double[] scanP50 = Sample.values(samples, SCAN, v, "p50_us");
        double[] scanMax = Sample.values(samples, SCAN, v, "max_us");
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "History of %s (%,.0f s of commit timestamps). %,d random times per round for "
                + "`bookmarkAt`; %d random times in all for the linear scan. Per-round figures, median (min-max) over the rounds.%n%n",
                v, RestoreHistoryScenario.once(samples, v, "history_ms") / 1e3, lookups, scans));
        md.append("| side | p50 | p99 | max |\n|---|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| %s | %s µs | %s µs | %s µs |%n", LOOKUP, Fmt.medianRange(p50, 1),
                Fmt.medianRange(p99, 1), Fmt.medianRange(max, 1)));
        md.append(String.format(Locale.ROOT, "| %s | %s ms | | %s ms |%n", SCAN, Fmt.medianRange(div(scanP50, 1e3), 1),
                Fmt.medianRange(div(scanMax, 1e3), 1)));
        double worstP99 = Stats.max(p99);
        List<String> verdicts = List.of(String.format(Locale.ROOT,
                "bookmark-at: bookmarkAt at %s p50 %.1f µs, p99 %.1f µs (median of the rounds; worst round %.1f µs): target under "
                        + "%.0f ms %s; the linear scan takes %.1f ms at its median, %.0fx the lookup.",
                v, Stats.median(p50), Stats.median(p99), worstP99, TARGET_MS, Fmt.verdict(Stats.median(p99) < TARGET_MS * 1e3),
                Stats.median(scanP50) / 1e3, Stats.median(scanP50) / Stats.median(p50)));
        return new ScenarioResult(NAME, samples, md.toString(), verdicts);
    }

    private static double[] div(double[] values, double by) {
        return Arrays.stream(values).map(x -> x / by).toArray();
    }
}
