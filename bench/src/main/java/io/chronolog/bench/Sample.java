package io.chronolog.bench;

import java.util.List;
import java.util.Locale;

/**
 * One measured figure of one round: a row of a scenario's CSV.
 *
 * @param scenario the scenario's name ("restore-history")
 * @param round    1-based measured round; 0 for figures taken once per run (build times, sizes)
 * @param side     who was measured ("chronolog restore", "sqlite full replay")
 * @param variant  the case within the scenario ("100,000 statements", "100 MB"); "" when there is one
 * @param metric   what was measured ("ms", "p99_us", "mb_per_s")
 * @param value    the figure
 */
record Sample(String scenario, int round, String side, String variant, String metric, double value) {

    static final String CSV_HEADER = "scenario,round,side,variant,metric,value";

    String csv() {
        return String.format(Locale.ROOT, "%s,%d,\"%s\",\"%s\",%s,%.6f", scenario, round, side, variant, metric, value);
    }

    /** The values of the measured rounds (round &ge; 1) matching side, variant and metric, in round order. */
    static double[] values(List<Sample> samples, String side, String variant, String metric) {
        return samples.stream()
                .filter(s -> s.round() >= 1 && s.side().equals(side) && s.variant().equals(variant) && s.metric().equals(metric))
                .mapToDouble(Sample::value).toArray();
    }
}
