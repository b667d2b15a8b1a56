package io.chronolog.bench;

/**
 * One side's measurement in one round.
 *
 * @param latencies per-insert latencies in nanoseconds, sorted
 * @param notes     side-specific counters (see {@link InsertTarget#notes()})
 */
record RoundResult(String scenario, Side side, int round, long nanos, long[] latencies, String notes) {

    double insertsPerSecond() {
        return side.inserts() * 1e9 / nanos;
    }

    double p50Micros() {
        return Stats.percentile(latencies, 50) / 1000.0;
    }

    double p99Micros() {
        return Stats.percentile(latencies, 99) / 1000.0;
    }
}
