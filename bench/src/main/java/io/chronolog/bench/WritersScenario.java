package io.chronolog.bench;

import io.chronolog.engine.Durability;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code writers}: single-row autocommit INSERTs from 1, 2, 4, 8 and 16 writer threads into one
 * database. Chronolog {@code SYNC} (group commit) against sqlite-jdbc WAL {@code synchronous=FULL}
 * with one connection shared under a lock. The same number of inserts per round at every thread
 * count, split evenly between the threads; each round runs in a fresh directory through
 * {@link RoundRunner}, which checks the row count. Sides interleaved, the first side alternating.
 */
final class WritersScenario implements MeasuredScenario {
    static final String NAME = "writers";
    static final int[] THREADS = {1, 2, 4, 8, 16};
    static final String CHRONOLOG = "chronolog SYNC";
    static final String SQLITE = "sqlite WAL FULL, shared connection";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        int perRound = context.quick() ? 800 : 4_000;
        int rounds = context.rounds();
        RoundRunner runner = new RoundRunner(context.work());
        List<Sample> samples = new ArrayList<>();
        for (int threads : THREADS) {
            List<Side> sides = sides(threads, perRound);
            for (Side side : sides(threads, Math.max(threads, perRound / 8))) {
                runner.run(NAME + "-warmup", side, 0);
            }
            String v = variant(threads);
            for (int round = 1; round <= rounds; round++) {
                List<Side> order = new ArrayList<>(sides);
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (Side side : order) {
                    RoundResult r = runner.run(NAME, side, round);
                    samples.add(new Sample(NAME, round, side.name(), v, "inserts_per_s", r.insertsPerSecond()));
                    samples.add(new Sample(NAME, round, side.name(), v, "p50_us", r.p50Micros()));
                    samples.add(new Sample(NAME, round, side.name(), v, "p99_us", r.p99Micros()));
                    BenchContext.progress("%s %d threads round %d/%d %-36s %,10.0f inserts/s  p50 %6.0f µs  p99 %7.0f µs  %s", NAME,
                            threads, round, rounds, side.name(), r.insertsPerSecond(), r.p50Micros(), r.p99Micros(), r.notes());
                }
            }
        }
        return report(samples, perRound, rounds);
    }

    static String variant(int threads) {
        return threads + (threads == 1 ? " thread" : " threads");
    }

    /** Chronolog first, the baseline second; {@code total} inserts per round split over the threads. */
    static List<Side> sides(int threads, int total) {
        int perThread = Math.max(1, total / threads);
        return List.of(
                new Side(CHRONOLOG, true, threads, perThread, dir -> new ChronologTarget(dir, Durability.SYNC)),
                new Side(SQLITE, false, threads, perThread, dir -> new SqliteTarget(dir, "FULL")));
    }

    private static ScenarioResult report(List<Sample> samples, int perRound, int rounds) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%,d single-row autocommit INSERTs per side and round, split evenly over the threads; "
                + "%d measured rounds after one warm-up per thread count. Chronolog `Durability.SYNC` (group commit) against "
                + "sqlite-jdbc WAL `synchronous=FULL`, one connection shared under a lock. Inserts/s, median (min-max) over the rounds; "
                + "p99 median over the rounds.%n%n", perRound, rounds));
        md.append("| threads | chronolog SYNC inserts/s | p99 µs | sqlite FULL inserts/s | p99 µs | Chronolog/SQLite (per-round min-max) |\n");
        md.append("|---:|---:|---:|---:|---:|---|\n");
        for (int threads : THREADS) {
            String v = variant(threads);
            double[] c = Sample.values(samples, CHRONOLOG, v, "inserts_per_s");
            double[] s = Sample.values(samples, SQLITE, v, "inserts_per_s");
            double[] ratios = new double[Math.min(c.length, s.length)];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = c[i] / s[i];
            }
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | **%.2f** (%.2f-%.2f) |%n", threads, Fmt.medianRange(c, 0),
                    Fmt.number(Stats.median(Sample.values(samples, CHRONOLOG, v, "p99_us")), 0), Fmt.medianRange(s, 0),
                    Fmt.number(Stats.median(Sample.values(samples, SQLITE, v, "p99_us")), 0), Stats.median(c) / Stats.median(s),
                    Stats.min(ratios), Stats.max(ratios)));
        }
        double one = Stats.median(Sample.values(samples, CHRONOLOG, variant(1), "inserts_per_s"));
        double eight = Stats.median(Sample.values(samples, CHRONOLOG, variant(8), "inserts_per_s"));
        double sqliteOne = Stats.median(Sample.values(samples, SQLITE, variant(1), "inserts_per_s"));
        double chronologOne = one;
        List<String> verdicts = List.of(
                String.format(Locale.ROOT, "writers: Chronolog SYNC with 8 writers = %.2fx one writer (%,.0f vs %,.0f inserts/s): target ≥ %.0fx %s.",
                        eight / one, eight, one, Report.GROUP_COMMIT_TARGET, Fmt.verdict(eight / one >= Report.GROUP_COMMIT_TARGET)),
                String.format(Locale.ROOT, "writers: at 1 thread Chronolog/SQLite = %.2f at equal durability: target ≥ %.1f %s.",
                        chronologOne / sqliteOne, Report.RATIO_TARGET, Fmt.verdict(chronologOne / sqliteOne >= Report.RATIO_TARGET)));
        return new ScenarioResult(NAME, samples, md.toString(), verdicts);
    }
}
