package io.chronolog.bench;

import io.chronolog.engine.Durability;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog bench [--quick] [scenario...]}: Chronolog against plain sqlite-jdbc, side by
 * side in one process, interleaved round by round (the side that goes first alternates), every
 * round in a fresh directory and checked by counting its rows. Prints a markdown table and writes
 * {@code bench/results/<date>/summary.md} plus one CSV per scenario.
 */
@Command(name = "chronolog bench", mixinStandardHelpOptions = true,
        description = "Compare Chronolog with plain sqlite-jdbc: inserts, restores, checkpoints, bookmark lookups.")
public final class BenchMain implements Callable<Integer> {
    static final List<String> INSERT_SCENARIOS = List.of("insert-sync", "insert-async", "group-commit");
    static final List<String> SCENARIOS = List.of("insert-sync", "insert-async", "group-commit",
            RestoreHistoryScenario.NAME, RestoreSizeScenario.NAME, CheckpointLatencyScenario.NAME, BookmarkAtScenario.NAME,
            WritersScenario.NAME, MixedScenario.NAME, OpenAfterCrashScenario.NAME, StorageScenario.NAME);

    @Option(names = "--quick", description = "Small run (~2,000 inserts per side and round; small histories and databases), a minute or two in all.")
    boolean quick;

    @Option(names = "--large", description = "restore-size also restores a ~1 GB database (needs ~8 GB free; refused when the work dir has under 20 GB).")
    boolean large;

    @Option(names = "--rounds", paramLabel = "N", description = "Measured rounds per scenario (default 5, quick 3).")
    Integer rounds;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where rounds put their databases (default: a directory under the system temp dir, unless that is tmpfs).")
    Path workDir;

    @Option(names = "--results-dir", paramLabel = "DIR", description = "Where results go (default: <repo>/bench/results).")
    Path resultsDir;

    @Parameters(paramLabel = "SCENARIO", arity = "0..*", description = "Any of: insert-sync, insert-async, group-commit, restore-history, restore-size, checkpoint-latency, bookmark-at, writers, mixed, open-after-crash, storage (default: all).")
    List<String> scenarios = new ArrayList<>();

    public static void main(String[] args) {
        quietChronicle();
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    static void quietChronicle() {
        String[][] props = {{"chronicle.analytics.disable", "true"}, {"chronicle.announcer.disable", "true"},
            {"disable.perf.info", "true"}, {"org.slf4j.simpleLogger.log.net.openhft", "warn"},
            {"org.slf4j.simpleLogger.logFile", "System.err"}};
        for (String[] p : props) {
            if (System.getProperty(p[0]) == null) {
                System.setProperty(p[0], p[1]);
            }
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

        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        Path home = Path.of(System.getProperty("chronolog.home", ".")).toAbsolutePath().normalize();
        Path results = (resultsDir != null ? resultsDir : home.resolve("bench").resolve("results")).resolve(day.toString());
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
        try (BenchContext context = new BenchContext(work, quick, large, n)) {
            for (String scenario : chosen) {
                MeasuredScenario m = measured(scenario);
                if (m != null) {
                    ScenarioResult result = m.run(context);
                    measured.add(result);
                    result.verdicts().forEach(System.err::println);
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
        String header = "# Chronolog vs sqlite-jdbc, " + day + "\n\n"
                + "- command: `" + command + "`\n"
                + "- machine: " + machine.describe() + "\n"
                + "- rounds: " + n + " per scenario, after one unmeasured warm-up round; sides interleaved, the first side alternating by round; "
                + "insert rounds each in a fresh directory with row counts checked; restores, floors and lookups each checked against what they must give\n"
                + "- run time: " + seconds + " s; load average at the end " + Machine.loadAverage() + "\n";
        String summary = scenarios.isEmpty() ? "summary.md" : "summary-" + String.join("+", chosen) + ".md";
        report.write(results, summary, header);
        out.println(header);
        out.println(report.markdown());
        out.println("Written to " + results.resolve(summary) + " and one CSV per scenario.");
        return 0;
    }

    /** The measured (non-insert) scenario of that name, or null for an insert scenario. */
    static MeasuredScenario measured(String scenario) {
        return switch (scenario) {
            case RestoreHistoryScenario.NAME -> new RestoreHistoryScenario();
            case RestoreSizeScenario.NAME -> new RestoreSizeScenario();
            case CheckpointLatencyScenario.NAME -> new CheckpointLatencyScenario();
            case BookmarkAtScenario.NAME -> new BookmarkAtScenario();
            case WritersScenario.NAME -> new WritersScenario();
            case MixedScenario.NAME -> new MixedScenario();
            case OpenAfterCrashScenario.NAME -> new OpenAfterCrashScenario();
            case StorageScenario.NAME -> new StorageScenario();
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
