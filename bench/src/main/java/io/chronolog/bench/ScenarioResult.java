package io.chronolog.bench;

import java.util.List;

/**
 * What one measured scenario hands back: every figure (for its CSV), a markdown section (tables
 * and notes) and one verdict line per target.
 */
record ScenarioResult(String scenario, List<Sample> samples, String markdown, List<String> verdicts) {
    ScenarioResult {
        samples = List.copyOf(samples);
        verdicts = List.copyOf(verdicts);
    }

    /** The section for summary.md: the markdown, then the verdicts as a list. */
    String section() {
        StringBuilder sb = new StringBuilder("### ").append(scenario).append("\n\n").append(markdown).append('\n');
        for (String v : verdicts) {
            sb.append("- ").append(v).append('\n');
        }
        return sb.toString();
    }
}
