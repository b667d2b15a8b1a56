package io.chronolog.bench;

import io.chronolog.engine.Durability;
import io.chronolog.wal.ChronicleProperties;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog bench [--quick] [--large] [scenario...]}: Chronolog against plain sqlite-jdbc,
 * side by side in one process, interleaved round by round (the side that goes first alternates),
 * every round in a fresh directory and checked by counting its rows. Prints a markdown table and
 * writes {@code bench/results/<date>/summary.md}, one CSV and one PNG chart per scenario, and
 * rewrites each scenario's generated block of {@code bench/RESULTS.md} (text outside the blocks is
 * left alone). {@code chronolog bench jmh ...} runs the JMH micro-benchmarks instead ({@link JmhMain}).
 */
@Command(name = "chronolog bench", mixinStandardHelpOptions = true,
        description = "Compare Chronolog with plain sqlite-jdbc: inserts, restores, checkpoints, bookmark lookups; and the archive's cost.",
        footer = "Micro-benchmarks: chronolog bench jmh [REGEX] [--quick] (see chronolog bench jmh --help).")
public final class BenchMain implements Callable<Integer> {
    static final List<String> INSERT_SCENARIOS = List.of("insert-sync", "insert-async", "group-commit");
    static final List<String> SCENARIOS = List.of("insert-sync", "insert-async", "group-commit", BatchScenario.NAME,
            RestoreHistoryScenario.NAME, RestoreSizeScenario.NAME, CheckpointLatencyScenario.NAME, BookmarkAtScenario.NAME,
            WritersScenario.NAME, MixedScenario.NAME, OpenAfterCrashScenario.NAME, StorageScenario.NAME, ArchiveScenario.NAME,
            CliLatencyScenario.NAME);

    @Option(names = "--quick", description = "Small run (~2,000 inserts per side and round; small histories and databases), a minute or two in all.")
    boolean quick;

    @Option(names = "--large", description = "restore-size and archive also restore a ~1 GB database (needs ~8 GB free; refused when the work dir has under 20 GB); "
            + "restore-history and bookmark-at also build and use a history of 10M statements.")
    boolean large;

    @Option(names = "--no-results-md", description = "Do not rewrite the generated blocks of bench/RESULTS.md.")
    boolean noResultsMd;

    @Option(names = "--no-charts", description = "Do not draw the PNG charts.")
    boolean noCharts;

    @Option(names = "--rounds", paramLabel = "N", description = "Measured rounds per scenario (default 5, quick 3).")
    Integer rounds;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where rounds put their databases (default: a directory under the system temp dir, unless that is tmpfs).")
    Path workDir;

    @Option(names = "--results-dir", paramLabel = "DIR", description = "Where results go (default: <repo>/bench/results).")
    Path resultsDir;

    @Parameters(paramLabel = "SCENARIO", arity = "0..*", description = "Any of: insert-sync, insert-async, group-commit, batch, restore-history, restore-size, checkpoint-latency, bookmark-at, writers, mixed, open-after-crash, storage, archive (default: all).")
    List<String> scenarios = new ArrayList<>();

    public static void main(String[] args) {
        quietChronicle();
        System.setProperty("java.awt.headless", "true");
        if (args.length > 0 && args[0].equals("jmh")) {
            System.exit(new CommandLine(new JmhMain()).execute(Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    /** The checkout the results belong to: {@code -Dchronolog.home} (set by the launcher), else the working directory. */
    static Path home() {
        return Path.of(System.getProperty("chronolog.home", ".")).toAbsolutePath().normalize();
    }

    /** {@code <dir>/<today>}, where dir is the given one or {@code <home>/bench/results}. */
    static Path resultsDir(Path home, Path override) {
        return (override != null ? override : home.resolve("bench").resolve("results")).resolve(JmhMain.today().toString());
    }

    /** The lines every summary and every generated block starts with. */
    static String header(String command, Machine machine, long seconds, String rounds) {
        return "- command: `" + command + "`\n"
                + "- date: " + JmhMain.today() + "\n"
                + "- machine: " + machine.describe() + "\n"
                + "- rounds: " + rounds + "\n"
                + "- run time: " + seconds + " s; load average at the end " + Machine.loadAverage() + "\n";
    }

    /** Rewrites the given generated blocks of {@code <home>/bench/RESULTS.md} (created when missing). */
    static void updateResultsMd(Path home, Map<String, String> blocks) throws IOException {
        Path file = home.resolve("bench").resolve("RESULTS.md");
        if (!Files.isDirectory(file.getParent())) {
            System.err.println("no " + file.getParent() + ": RESULTS.md not updated (run from the checkout, or pass --no-results-md)");
            return;
        }
        String before = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmark results\n";
        Map<String, String> marked = new LinkedHashMap<>();
        blocks.forEach((k, v) -> marked.put(k, "_Generated by the harness from the run below; edits between the markers are overwritten._\n\n" + v));
        Files.writeString(file, ResultsMarkdown.rewrite(before, marked), StandardCharsets.UTF_8);
        System.err.println("updated " + file + ": " + String.join(", ", blocks.keySet()));
    }

    /** Chronicle Queue's properties, and slf4j-simple on stderr for this process; neither overrides a value already set. */
    static void quietChronicle() {
        ChronicleProperties.apply();
        if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
            System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        }
    }

    @Override
    public Integer call() throws Exception {
        List<String> chosen = scenarios.isEmpty() ? SCENARIOS : scenarios;
        for (String s : chosen) {
            if (!SCENARIOS.contains(s)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown scenario '" + s + "': one of " + SCENARIOS);
            }
        }
        int n = rounds != null ? rounds : quick ? 3 : 5;
        int perRound = quick ? 2_000 : 20_000;
        int perThread = quick ? 250 : 1_000;
        int singleReference = quick ? 1_000 : 2_000;
        int warmup = quick ? 200 : 2_000;

        LocalDate day = JmhMain.today();
        Path home = home();
        Path results = resultsDir(home, resultsDir);
        Path work = chooseWorkDir(results);
        Machine machine = Machine.probe(work);
        PrintWriter out = new PrintWriter(System.out, true);
        String command = "./chronolog bench" + (quick ? " --quick" : "") + (large ? " --large" : "") + (rounds != null ? " --rounds " + rounds : "")
                + (scenarios.isEmpty() ? "" : " " + String.join(" ", scenarios));
        System.err.println("machine: " + machine.describe());
        System.err.println("work dir: " + work);

        RoundRunner runner = new RoundRunner(work);
        List<RoundResult> all = new ArrayList<>();
        List<ScenarioResult> measured = new ArrayList<>();
        Instant started = Instant.now();
        Map<String, Long> scenarioTimes = new LinkedHashMap<>();
        try (BenchContext context = new BenchContext(work, quick, large, n)) {
            for (String scenario : chosen) {
                long scenarioStart = System.nanoTime();
                MeasuredScenario m = measured(scenario);
                if (m != null) {
                    ScenarioResult result = m.run(context);
                    measured.add(result);
                    result.verdicts().forEach(System.err::println);
                    took(scenarioTimes, scenario, scenarioStart);
                    continue;
                }
                List<Side> sides = sides(scenario, perRound, perThread, singleReference);
                for (Side side : sides(scenario, warmup, Math.max(1, warmup / 8), warmup)) {
                    runner.run(scenario + "-warmup", side, 0);
                }
                for (int round = 1; round <= n; round++) {
                    List<Side> order = new ArrayList<>(sides);
                    if (round % 2 == 0) {
                        java.util.Collections.reverse(order);
                    }
                    for (Side side : order) {
                        RoundResult r = runner.run(scenario, side, round);
                        System.err.printf(java.util.Locale.ROOT, "%s round %d/%d %-22s %,10.0f inserts/s  p50 %6.0f µs  p99 %7.0f µs  %s%n",
                                scenario, round, n, side.name(), r.insertsPerSecond(), r.p50Micros(), r.p99Micros(), r.notes());
                        all.add(r);
                    }
                }
                took(scenarioTimes, scenario, scenarioStart);
            }
        } finally {
            if (workDir == null) {
                RoundRunner.deleteTree(work);
            }
        }
        all.sort(java.util.Comparator.comparing((RoundResult r) -> chosen.indexOf(r.scenario()))
                .thenComparingInt(RoundResult::round)
                .thenComparing(r -> sides(r.scenario(), 1, 1, 1).stream().map(Side::name).toList().indexOf(r.side().name())));
        Report report = new Report(all, measured);
        long seconds = java.time.Duration.between(started, Instant.now()).toSeconds();
        StringBuilder perScenario = new StringBuilder();
        scenarioTimes.forEach((k, v) -> perScenario.append(perScenario.length() == 0 ? "" : ", ").append(k).append(' ').append(v).append(" s"));
        String roundsText = n + " per scenario, after one unmeasured warm-up round; sides interleaved, the first side alternating by round; "
                + "insert rounds each in a fresh directory with row counts checked; restores, floors and lookups each checked against what they must give";
        String header = "# Chronolog vs sqlite-jdbc, " + day + "\n\n" + header(command, machine, seconds, roundsText)
                + "- time per scenario: " + perScenario + "\n";
        String summary = scenarios.isEmpty() ? "summary.md" : "summary-" + String.join("+", chosen) + ".md";
        report.write(results, summary, header);
        out.println(header);
        out.println(report.markdown());
        out.println("Written to " + results.resolve(summary) + " and one CSV per scenario.");
        if (!noCharts) {
            for (Path png : Charts.write(results, report)) {
                System.err.println("chart: " + png);
            }
        }
        if (!noResultsMd) {
            Map<String, String> blocks = new LinkedHashMap<>();
            String blockHeader = header(command, machine, seconds, roundsText);
            report.blocks().forEach((scenario, body) -> blocks.put(scenario,
                    blockHeader + "- time for this scenario: " + scenarioTimes.get(scenario) + " s\n\n" + body));
            updateResultsMd(home, blocks);
        }
        return 0;
    }

    private static void took(Map<String, Long> times, String scenario, long startNanos) {
        long s = Math.round((System.nanoTime() - startNanos) / 1e9);
        times.put(scenario, s);
        System.err.println(scenario + " took " + s + " s");
    }

    /** The measured (non-insert) scenario of that name, or null for an insert scenario. */
    static MeasuredScenario measured(String scenario) {
        return switch (scenario) {
            case BatchScenario.NAME -> new BatchScenario();
            case RestoreHistoryScenario.NAME -> new RestoreHistoryScenario();
            case RestoreSizeScenario.NAME -> new RestoreSizeScenario();
            case CheckpointLatencyScenario.NAME -> new CheckpointLatencyScenario();
            case BookmarkAtScenario.NAME -> new BookmarkAtScenario();
            case WritersScenario.NAME -> new WritersScenario();
            case MixedScenario.NAME -> new MixedScenario();
            case OpenAfterCrashScenario.NAME -> new OpenAfterCrashScenario();
            case StorageScenario.NAME -> new StorageScenario();
            case ArchiveScenario.NAME -> new ArchiveScenario();
            case CliLatencyScenario.NAME -> new CliLatencyScenario();
            default -> null;
        };
    }

    /** The sides of a scenario; the first is Chronolog, the baseline follows. */
    static List<Side> sides(String scenario, int perRound, int perThread, int singleReference) {
        return switch (scenario) {
            case "insert-sync" -> List.of(
                    new Side("chronolog SYNC", true, 1, perRound, dir -> new ChronologTarget(dir, Durability.SYNC)),
                    new Side("sqlite WAL FULL", false, 1, perRound, dir -> new SqliteTarget(dir, "FULL")));
            case "insert-async" -> List.of(
                    new Side("chronolog ASYNC", true, 1, perRound, dir -> new ChronologTarget(dir, Durability.ASYNC)),
                    new Side("sqlite WAL NORMAL", false, 1, perRound, dir -> new SqliteTarget(dir, "NORMAL")));
            case "group-commit" -> List.of(
                    new Side("chronolog SYNC x8", true, 8, perThread, dir -> new ChronologTarget(dir, Durability.SYNC)),
                    new Side("sqlite WAL FULL x8", false, 8, perThread, dir -> new SqliteTarget(dir, "FULL")),
                    new Side("chronolog SYNC x1", true, 1, singleReference, dir -> new ChronologTarget(dir, Durability.SYNC)));
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
    }

    /** The --work-dir, else a directory under the temp dir, else (temp dir on tmpfs) under the results. */
    private Path chooseWorkDir(Path results) throws Exception {
        if (workDir != null) {
            Files.createDirectories(workDir);
            return workDir.toAbsolutePath();
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path base = "tmpfs".equals(Machine.fileSystemType(tmp)) ? results.resolve("tmp") : tmp;
        Files.createDirectories(base);
        return Files.createTempDirectory(base, "chronolog-bench-");
    }
}
