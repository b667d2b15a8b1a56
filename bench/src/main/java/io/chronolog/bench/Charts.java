package io.chronolog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * One PNG chart per scenario of a run, {@code <scenario>.png} next to its CSV, drawn headless
 * with XChart from the same figures as the tables (medians over the measured rounds). A scenario
 * whose figures do not make a useful picture gets none. Stateless.
 */
final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    private Charts() {
    }

    /** Draws every chart the report's scenarios have; returns the files written. */
    static List<Path> write(Path dir, Report report) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        List<String> insertScenarios = new ArrayList<>();
        for (RoundResult r : report.results) {
            if (!insertScenarios.contains(r.scenario())) {
                insertScenarios.add(r.scenario());
            }
        }
        for (String scenario : insertScenarios) {
            written.add(save(dir, scenario, insertChart(scenario, report.results)));
        }
        for (ScenarioResult m : report.measured) {
            try {
                Chart<?, ?> chart = measuredChart(m);
                if (chart != null) {
                    written.add(save(dir, m.scenario(), chart));
                }
            } catch (RuntimeException e) {
                // A chart is a picture of figures already written to the CSV and the summary: say so, keep going.
                System.err.println("chart of " + m.scenario() + " not drawn: " + e);
            }
        }
        return written;
    }

    private static Path save(Path dir, String scenario, Chart<?, ?> chart) throws IOException {
        Path file = dir.resolve(scenario + ".png");
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    /** Median, min and max inserts/s of every side of an insert scenario. */
    static CategoryChart insertChart(String scenario, List<RoundResult> results) {
        Map<String, double[]> bySide = new LinkedHashMap<>();
        for (RoundResult r : results) {
            if (r.scenario().equals(scenario)) {
                double[] old = bySide.getOrDefault(r.side().name(), new double[0]);
                double[] grown = java.util.Arrays.copyOf(old, old.length + 1);
                grown[old.length] = r.insertsPerSecond();
                bySide.put(r.side().name(), grown);
            }
        }
        return spread(scenario + ": inserts/s per side (" + roundsOf(bySide) + " rounds)", "inserts/s", bySide);
    }

    private static int roundsOf(Map<String, double[]> bySide) {
        return bySide.values().stream().mapToInt(a -> a.length).max().orElse(0);
    }

    /** Bars of the median with the min and the max of the rounds beside it, one group per side. */
    private static CategoryChart spread(String title, String yTitle, Map<String, double[]> bySide) {
        CategoryChart chart = category(title, "", yTitle);
        List<String> sides = new ArrayList<>(bySide.keySet());
        List<Double> min = new ArrayList<>();
        List<Double> median = new ArrayList<>();
        List<Double> max = new ArrayList<>();
        for (double[] v : bySide.values()) {
            min.add(Stats.min(v));
            median.add(Stats.median(v));
            max.add(Stats.max(v));
        }
        chart.addSeries("min", sides, min);
        chart.addSeries("median", sides, median);
        chart.addSeries("max", sides, max);
        return chart;
    }

    /** The chart of a measured scenario, or null when it has none. */
    static Chart<?, ?> measuredChart(ScenarioResult m) {
        List<Sample> s = m.samples();
        return switch (m.scenario()) {
            case BatchScenario.NAME -> {
                Map<String, double[]> bySide = new LinkedHashMap<>();
                for (String side : List.of(BatchScenario.CHRONOLOG, BatchScenario.SQLITE)) {
                    bySide.put(side, values(s, side, "rows_per_s"));
                }
                yield spread("batch: rows/s in transactions of " + BatchScenario.BATCH + " INSERTs (" + roundsOf(bySide) + " rounds)",
                        "rows/s", bySide);
            }
            case WritersScenario.NAME -> xy("writers: inserts/s against writer threads (median of the rounds)", "writer threads",
                    "inserts/s", true, false, s, List.of(WritersScenario.CHRONOLOG, WritersScenario.SQLITE), "inserts_per_s", null);
            case RestoreHistoryScenario.NAME -> xy("restore-history: restore ms against history length (database size fixed)",
                    "statements of history", "ms", true, true, s,
                    List.of(RestoreHistoryScenario.RESTORE, RestoreHistoryScenario.NO_REPLAY, RestoreHistoryScenario.REPLAY), "ms", null);
            case RestoreSizeScenario.NAME -> xy("restore-size: restore ms against database size, with the floors", "raw image MB", "ms",
                    true, true, s, List.of(RestoreSizeScenario.SIDES), "ms", "raw_bytes");
            case OpenAfterCrashScenario.NAME -> xy("open-after-crash: open ms against frames pending", "frames pending", "open ms",
                    false, false, s, List.of(OpenAfterCrashScenario.SIDE), "open_ms", null);
            case CheckpointLatencyScenario.NAME -> {
                CategoryChart chart = category("checkpoint-latency: writer latency quiet and during copies (median of the rounds)",
                        "percentile", "µs (log)");
                // Bars start at zero, which a log axis cannot show: lines from p50 to p99.9 per side.
                chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
                chart.getStyler().setYAxisLogarithmic(true);
                List<String> xs = List.of("p50", "p99", "p99.9");
                for (String side : CheckpointLatencyScenario.SIDES) {
                    List<Double> ys = new ArrayList<>();
                    for (String metric : List.of("p50_us", "p99_us", "p999_us")) {
                        ys.add(median(values(s, side, "", metric)));
                    }
                    chart.addSeries(side, xs, ys);
                }
                yield chart;
            }
            case BookmarkAtScenario.NAME -> {
                XYChart chart = xy("bookmark-at: bookmarkAt p50/p99 and a linear scan against history length (median of the rounds)",
                        "frames of history", "µs", true, true, s, List.of(BookmarkAtScenario.LOOKUP), List.of("p50_us", "p99_us"), null);
                // One scan per round: its p50 is its only figure.
                addLine(chart, s, BookmarkAtScenario.SCAN, BookmarkAtScenario.SCAN, "p50_us", null, true, true);
                yield chart;
            }
            case StorageScenario.NAME -> {
                CategoryChart chart = category("storage: MB kept per 1M statements over 30 days", "", "MB");
                List<String> sides = List.of(StorageScenario.CHRONOLOG, StorageScenario.SQLITE);
                List<Double> mb = new ArrayList<>();
                for (String side : sides) {
                    mb.add(s.stream().filter(x -> x.side().equals(side) && x.metric().equals("total_bytes_per_1M"))
                            .mapToDouble(Sample::value).findFirst().orElse(Double.NaN) / 1e6);
                }
                chart.addSeries("MB per 1M statements", sides, mb);
                yield chart;
            }
            case MixedScenario.NAME -> {
                Map<String, double[]> bySide = new LinkedHashMap<>();
                for (String side : List.of(MixedScenario.CHRONOLOG, MixedScenario.SQLITE)) {
                    bySide.put(side, values(s, side, "", "ops_per_s"));
                }
                yield spread("mixed: ops/s, 90% reads and 10% updates (" + roundsOf(bySide) + " rounds)", "ops/s", bySide);
            }
            default -> null;
        };
    }

    private static CategoryChart category(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }

    /**
     * Lines of the median of {@code metric} per side against a number taken from each variant: the
     * round-0 figure {@code xMetric} (bytes, shown in MB) when given, else the variant's leading number.
     */
    private static XYChart xy(String title, String xTitle, String yTitle, boolean logX, boolean logY, List<Sample> s, List<String> sides,
            String metric, String xMetric) {
        return xy(title, xTitle, yTitle, logX, logY, s, sides, List.of(metric), xMetric);
    }

    private static XYChart xy(String title, String xTitle, String yTitle, boolean logX, boolean logY, List<Sample> s, List<String> sides,
            List<String> metrics, String xMetric) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle + (logX ? " (log)" : ""))
                .yAxisTitle(yTitle + (logY ? " (log)" : "")).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisDecimalPattern("#,##0.#");
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (String side : sides) {
            for (String metric : metrics) {
                addLine(chart, s, side, metrics.size() == 1 ? side : side + " " + metric.replace("_us", ""), metric, xMetric, logX, logY);
            }
        }
        return chart;
    }

    private static void addLine(XYChart chart, List<Sample> s, String side, String name, String metric, String xMetric, boolean logX,
            boolean logY) {
        {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (String v : variants(s, side)) {
                double y = median(values(s, side, v, metric));
                double x = xMetric == null ? leadingNumber(v) : roundZero(s, v, xMetric) / 1e6;
                if (!Double.isNaN(y) && !Double.isNaN(x) && (!logY || y > 0) && (!logX || x > 0)) {
                    xs.add(x);
                    ys.add(y);
                }
            }
            if (!xs.isEmpty()) {
                XYSeries series = chart.addSeries(name, xs, ys);
                series.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
            }
        }
    }

    /** The number a variant starts with, thousands separators and a leading "~" ignored ("100,000 statements" is 100000); NaN if none. */
    static double leadingNumber(String variant) {
        String t = variant.strip();
        if (t.startsWith("~")) {
            t = t.substring(1);
        }
        int end = 0;
        while (end < t.length() && (Character.isDigit(t.charAt(end)) || t.charAt(end) == ',' || t.charAt(end) == '.')) {
            end++;
        }
        if (end == 0) {
            return Double.NaN;
        }
        return Double.parseDouble(t.substring(0, end).replace(",", ""));
    }

    private static double roundZero(List<Sample> s, String variant, String metric) {
        return s.stream().filter(x -> x.round() == 0 && x.variant().equals(variant) && x.metric().equals(metric))
                .mapToDouble(Sample::value).findFirst().orElse(Double.NaN);
    }

    /** The variants a side has measured figures for, in the order they first appear. */
    private static List<String> variants(List<Sample> s, String side) {
        List<String> out = new ArrayList<>();
        for (Sample x : s) {
            if (x.round() >= 1 && x.side().equals(side) && !out.contains(x.variant())) {
                out.add(x.variant());
            }
        }
        return out;
    }

    private static double[] values(List<Sample> s, String side, String metric) {
        return s.stream().filter(x -> x.round() >= 1 && x.side().equals(side) && x.metric().equals(metric)).mapToDouble(Sample::value).toArray();
    }

    private static double[] values(List<Sample> s, String side, String variant, String metric) {
        return Sample.values(s, side, variant, metric);
    }

    private static double median(double[] values) {
        return values.length == 0 ? Double.NaN : Stats.median(values);
    }
}
