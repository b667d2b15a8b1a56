package io.chronolog.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns round results into the markdown summary (medians, min-max, p50/p99, Chronolog/SQLite
 * ratios, then the sections of the measured scenarios) and one CSV per scenario. Pure apart from
 * {@link #write}.
 */
final class Report {
    /** Target: Chronolog throughput at least this fraction of SQLite's at equal durability. */
    static final double RATIO_TARGET = 0.9;
    /** Target: 8 Chronolog SYNC writers at least this many times one. */
    static final double GROUP_COMMIT_TARGET = 4.0;

    final List<RoundResult> results;
    final List<ScenarioResult> measured;

    Report(List<RoundResult> results, List<ScenarioResult> measured) {
        this.results = results;
        this.measured = measured;
    }

    /** Results of one scenario by side name, in the order the sides were declared. */
    private Map<String, List<RoundResult>> bySide(String scenario) {
        Map<String, List<RoundResult>> m = new LinkedHashMap<>();
        for (RoundResult r : results) {
            if (r.scenario().equals(scenario)) {
                m.computeIfAbsent(r.side().name(), k -> new ArrayList<>()).add(r);
            }
        }
        return m;
    }

    private List<String> scenarios() {
        List<String> names = new ArrayList<>();
        for (RoundResult r : results) {
            if (!names.contains(r.scenario())) {
                names.add(r.scenario());
            }
        }
        return names;
    }

    static double[] rates(List<RoundResult> rounds) {
        return rounds.stream().mapToDouble(RoundResult::insertsPerSecond).toArray();
    }

    /** The insert table and its verdict lines (when insert scenarios ran), then each measured scenario's section. */
    String markdown() {
        StringBuilder sb = new StringBuilder();
        if (!results.isEmpty()) {
            sb.append(insertMarkdown());
        }
        for (ScenarioResult m : measured) {
            sb.append('\n').append(m.section());
        }
        return sb.toString();
    }

    /**
     * One markdown body per scenario of the run, in run order: its table and verdict lines (the
     * generated blocks of RESULTS.md).
     */
    Map<String, String> blocks() {
        Map<String, String> blocks = new LinkedHashMap<>();
        for (String scenario : scenarios()) {
            blocks.put(scenario, insertMarkdown(List.of(scenario)));
        }
        for (ScenarioResult m : measured) {
            StringBuilder sb = new StringBuilder(m.markdown());
            if (!m.markdown().endsWith("\n")) {
                sb.append('\n');
            }
            sb.append('\n');
            for (String v : m.verdicts()) {
                sb.append("- ").append(v).append('\n');
            }
            blocks.put(m.scenario(), sb.toString());
        }
        return blocks;
    }

    private String insertMarkdown() {
        return insertMarkdown(scenarios());
    }

    private String insertMarkdown(List<String> chosen) {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | side | threads | inserts/round | rounds | inserts/s median | min-max | p50 µs | p99 µs | Chronolog/SQLite (median; per-round min-max) |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (String scenario : chosen) {
            Map<String, List<RoundResult>> sides = bySide(scenario);
            double baseline = baselineMedian(sides);
            for (Map.Entry<String, List<RoundResult>> e : sides.entrySet()) {
                List<RoundResult> rounds = e.getValue();
                Side side = rounds.get(0).side();
                double[] rates = rates(rounds);
                long[] lat = Stats.pooledSorted(rounds.stream().map(RoundResult::latencies).toList());
                String ratio = "";
                if (side.chronolog() && !Double.isNaN(baseline) && side.threads() == baselineThreads(sides)) {
                    double[] perRound = perRoundRatios(rounds, sides);
                    ratio = String.format(Locale.ROOT, "**%.2f** (%.2f-%.2f)", Stats.median(rates) / baseline,
                            Stats.min(perRound), Stats.max(perRound));
                }
                sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %,d | %d | %,.0f | %,.0f-%,.0f | %.0f | %.0f | %s |%n",
                        scenario, side.name(), side.threads(), side.inserts(), rounds.size(), Stats.median(rates),
                        Stats.min(rates), Stats.max(rates), Stats.percentile(lat, 50) / 1000.0,
                        Stats.percentile(lat, 99) / 1000.0, ratio));
            }
        }
        sb.append('\n');
        for (String verdict : verdicts(chosen)) {
            sb.append("- ").append(verdict).append('\n');
        }
        return sb.toString();
    }

    private static double baselineMedian(Map<String, List<RoundResult>> sides) {
        for (List<RoundResult> rounds : sides.values()) {
            if (!rounds.get(0).side().chronolog()) {
                return Stats.median(rates(rounds));
            }
        }
        return Double.NaN;
    }

    private static int baselineThreads(Map<String, List<RoundResult>> sides) {
        for (List<RoundResult> rounds : sides.values()) {
            if (!rounds.get(0).side().chronolog()) {
                return rounds.get(0).side().threads();
            }
        }
        return -1;
    }

    /** Chronolog / baseline throughput of the same round, for each round. */
    private static double[] perRoundRatios(List<RoundResult> chronolog, Map<String, List<RoundResult>> sides) {
        List<RoundResult> base = null;
        for (List<RoundResult> rounds : sides.values()) {
            if (!rounds.get(0).side().chronolog()) {
                base = rounds;
            }
        }
        double[] ratios = new double[chronolog.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = chronolog.get(i).insertsPerSecond() / base.get(i).insertsPerSecond();
        }
        return ratios;
    }

    /** One sentence per target: met or missed, with the figures. */
    List<String> verdicts() {
        return verdicts(scenarios());
    }

    private List<String> verdicts(List<String> chosen) {
        List<String> lines = new ArrayList<>();
        for (String scenario : chosen) {
            Map<String, List<RoundResult>> sides = bySide(scenario);
            double baseline = baselineMedian(sides);
            int baseThreads = baselineThreads(sides);
            Double single = null;
            Double multi = null;
            for (List<RoundResult> rounds : sides.values()) {
                Side side = rounds.get(0).side();
                if (!side.chronolog()) {
                    continue;
                }
                double median = Stats.median(rates(rounds));
                if (side.threads() == baseThreads) {
                    double ratio = median / baseline;
                    lines.add(String.format(Locale.ROOT, "%s: Chronolog/SQLite = %.2f at equal durability: target ≥ %.1f %s.",
                            scenario, ratio, RATIO_TARGET, ratio >= RATIO_TARGET ? "MET" : "MISSED"));
                }
                if (side.threads() == 1) {
                    single = median;
                } else {
                    multi = median;
                }
            }
            if (single != null && multi != null) {
                double scale = multi / single;
                lines.add(String.format(Locale.ROOT, "%s: Chronolog SYNC with 8 writers = %.2fx one writer (%,.0f vs %,.0f inserts/s): target ≥ %.0fx %s.",
                        scenario, scale, multi, single, GROUP_COMMIT_TARGET, scale >= GROUP_COMMIT_TARGET ? "MET" : "MISSED"));
            }
        }
        return lines;
    }

    /** Per-round lines with the engine's own counters, for the summary file. */
    String rounds() {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | round | side | inserts/s | p50 µs | p99 µs | engine counters |\n|---|---:|---|---:|---:|---:|---|\n");
        for (RoundResult r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f | %.0f | %.0f | %s |%n", r.scenario(), r.round(),
                    r.side().name(), r.insertsPerSecond(), r.p50Micros(), r.p99Micros(), r.notes()));
        }
        return sb.toString();
    }

    void write(Path dir, String summaryName, String header) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(summaryName), header + "\n## Results\n\n" + markdown()
                + (results.isEmpty() ? "" : "\n## Insert rounds\n\n" + rounds()), StandardCharsets.UTF_8);
        for (ScenarioResult m : measured) {
            StringBuilder csv = new StringBuilder(Sample.CSV_HEADER).append('\n');
            for (Sample s : m.samples()) {
                csv.append(s.csv()).append('\n');
            }
            Files.writeString(dir.resolve(m.scenario() + ".csv"), csv.toString(), StandardCharsets.UTF_8);
        }
        for (String scenario : scenarios()) {
            StringBuilder csv = new StringBuilder("scenario,round,side,threads,inserts,seconds,inserts_per_s,p50_us,p99_us,engine_counters\n");
            for (RoundResult r : results) {
                if (r.scenario().equals(scenario)) {
                    csv.append(String.format(Locale.ROOT, "%s,%d,%s,%d,%d,%.6f,%.1f,%.1f,%.1f,\"%s\"%n", scenario, r.round(),
                            r.side().name(), r.side().threads(), r.side().inserts(), r.nanos() / 1e9, r.insertsPerSecond(),
                            r.p50Micros(), r.p99Micros(), r.notes()));
                }
            }
            Files.writeString(dir.resolve(scenario + ".csv"), csv.toString(), StandardCharsets.UTF_8);
        }
    }
}
