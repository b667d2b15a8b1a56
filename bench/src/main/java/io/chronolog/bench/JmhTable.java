package io.chronolog.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/** The JMH results as CSV ({@code jmh.csv}) and a markdown table. Pure apart from {@link #write}. */
final class JmhTable {
    static final String CSV_HEADER = "benchmark,params,mode,score,error,unit,samples";

    private JmhTable() {
    }

    /**
     * One benchmark's result.
     *
     * @param benchmark the method's name without the package ("FrameCodecBench.encode")
     * @param params    its {@code @Param} values ("sync=true"), "" when it has none
     * @param error     half-width of the 99.9% confidence interval; NaN with too few samples
     */
    record Row(String benchmark, String params, String mode, double score, double error, String unit, long samples) {
        static Row of(RunResult r) {
            Result<?> p = r.getPrimaryResult();
            Map<String, String> params = new TreeMap<>();
            for (String key : r.getParams().getParamsKeys()) {
                params.put(key, r.getParams().getParam(key));
            }
            StringBuilder ps = new StringBuilder();
            params.forEach((k, v) -> ps.append(ps.length() == 0 ? "" : " ").append(k).append('=').append(v));
            return new Row(r.getParams().getBenchmark().replace(JmhMain.PACKAGE, ""), ps.toString(),
                    r.getParams().getMode().shortLabel(), p.getScore(), p.getScoreError(), p.getScoreUnit(), p.getSampleCount());
        }

        String csv() {
            return String.format(Locale.ROOT, "%s,\"%s\",%s,%.4f,%.4f,%s,%d", benchmark, params, mode, score, error, unit, samples);
        }
    }

    static String csv(List<Row> rows) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Row r : rows) {
            sb.append(r.csv()).append('\n');
        }
        return sb.toString();
    }

    static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| benchmark | params | mode | score | ± (99.9%) | unit |\n|---|---|---|---:|---:|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", r.benchmark(), r.params(), r.mode(),
                    Fmt.number(r.score(), r.score() < 10 ? 3 : 1), Double.isNaN(r.error()) ? "n/a" : Fmt.number(r.error(), r.error() < 10 ? 3 : 1),
                    r.unit()));
        }
        return sb.toString();
    }

    static void write(Path dir, List<Row> rows, String header) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("jmh.csv"), csv(rows), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("summary-jmh.md"), header + "\n## Results\n\n" + markdown(rows), StandardCharsets.UTF_8);
    }
}
