package io.chronolog.engine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Outcomes of injected faults, counted per file kind and fault, printed as a table. Invariant: each
 * case is counted once, in exactly one outcome. Not thread-safe.
 */
final class CorruptionTally {
    /** What became of one injected fault. */
    enum Outcome {
        /** Opened, and every table and every probe equals the oracle. */
        RECOVERED,
        /** Open refused with one clear line naming the damaged file. */
        DETECTED_AT_OPEN,
        /** Opened; verify (or a clear error reading) names the damage. */
        DETECTED_BY_VERIFY,
        /** Wrong rows with no error, or an unclear error. */
        WRONG
    }

    private final Map<String, EnumMap<Outcome, Integer>> counts = new LinkedHashMap<>();
    private final List<String> lines = new ArrayList<>();
    private final List<String> wrong = new ArrayList<>();

    void add(Damage d, Outcome o, String detail) {
        counts.computeIfAbsent(d.kind() + " | " + d.fault(), k -> new EnumMap<>(Outcome.class)).merge(o, 1, Integer::sum);
        String line = o + "  " + d + (detail == null || detail.isEmpty() ? "" : "  -> " + detail);
        lines.add(line);
        if (o == Outcome.WRONG) {
            wrong.add(line);
        }
    }

    List<String> wrong() {
        return wrong;
    }

    int total() {
        return lines.size();
    }

    String table(long seed) {
        StringBuilder sb = new StringBuilder();
        sb.append("corruption injection, seed=").append(seed).append(" (rerun with -Dchronolog.corruption.seed=").append(seed)
                .append(")\n");
        String fmt = "%-48s %-10s %8s %9s %9s %9s %6s%n";
        sb.append(String.format(fmt, "file kind", "fault", "injected", "recovered", "at-open", "by-verify", "WRONG"));
        EnumMap<Outcome, Integer> sums = new EnumMap<>(Outcome.class);
        for (var e : counts.entrySet()) {
            String[] k = e.getKey().split(" \\| ");
            EnumMap<Outcome, Integer> c = e.getValue();
            int injected = c.values().stream().mapToInt(Integer::intValue).sum();
            sb.append(String.format(fmt, k[0], k[1], injected, get(c, Outcome.RECOVERED), get(c, Outcome.DETECTED_AT_OPEN),
                    get(c, Outcome.DETECTED_BY_VERIFY), get(c, Outcome.WRONG)));
            c.forEach((o, n) -> sums.merge(o, n, Integer::sum));
        }
        sb.append(String.format(fmt, "total", "", total(), get(sums, Outcome.RECOVERED), get(sums, Outcome.DETECTED_AT_OPEN),
                get(sums, Outcome.DETECTED_BY_VERIFY), get(sums, Outcome.WRONG)));
        sb.append("\ncases:\n");
        lines.forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    private static int get(EnumMap<Outcome, Integer> c, Outcome o) {
        return c.getOrDefault(o, 0);
    }
}
