package io.chronolog.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog bench jmh [regex] [--quick]}: the JMH micro-benchmarks of package
 * {@code io.chronolog.bench.jmh} (frame codec, chain hashing, bookmark text, log appends) through
 * JMH's {@link Runner}, in forked JVMs that carry the Chronicle flags. Writes
 * {@code bench/results/<date>/jmh.csv} and {@code summary-jmh.md}, and the {@code jmh} block of
 * {@code bench/RESULTS.md}.
 */
@Command(name = "chronolog bench jmh", mixinStandardHelpOptions = true,
        description = "Run the JMH micro-benchmarks (frame codec, chain hash, bookmark text, log append).")
final class JmhMain implements Callable<Integer> {
    static final String PACKAGE = "io.chronolog.bench.jmh.";

    @Parameters(paramLabel = "REGEX", arity = "0..1", description = "Only benchmarks whose name matches (default: all).")
    String regex;

    @Option(names = "--quick", description = "One fork, one 1 s warm-up and two 1 s measurements per benchmark (about a minute in all).")
    boolean quick;

    @Option(names = "--results-dir", paramLabel = "DIR", description = "Where results go (default: <repo>/bench/results).")
    Path resultsDir;

    @Option(names = "--no-results-md", description = "Do not rewrite the generated block of bench/RESULTS.md.")
    boolean noResultsMd;

    @Override
    public Integer call() throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(regex == null ? PACKAGE.replace(".", "\\.") + ".*" : regex)
                .jvmArgsAppend(forkFlags())
                .shouldFailOnError(true);
        if (quick) {
            options.forks(1).warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(2)
                    .measurementTime(TimeValue.seconds(1));
        } else {
            options.forks(2).warmupIterations(3).warmupTime(TimeValue.seconds(2)).measurementIterations(5)
                    .measurementTime(TimeValue.seconds(2));
        }
        Instant started = Instant.now();
        Path home = BenchMain.home();
        Path results = BenchMain.resultsDir(home, resultsDir);
        Machine machine = Machine.probe(Path.of(System.getProperty("java.io.tmpdir")));
        Collection<RunResult> runs = new Runner(options.build()).run();
        if (runs.isEmpty()) {
            System.err.println("chronolog bench jmh: error: no benchmark matches '" + regex + "' (names start with " + PACKAGE + ")");
            return 2;
        }
        List<JmhTable.Row> rows = new ArrayList<>();
        for (RunResult r : runs) {
            rows.add(JmhTable.Row.of(r));
        }
        String command = "./chronolog bench jmh" + (regex == null ? "" : " " + regex) + (quick ? " --quick" : "");
        long seconds = java.time.Duration.between(started, Instant.now()).toSeconds();
        String header = BenchMain.header(command, machine, seconds, quick ? "1 fork, 1 x 1 s warm-up, 2 x 1 s measured"
                : "2 forks, 3 x 2 s warm-up, 5 x 2 s measured per fork");
        JmhTable.write(results, rows, header);
        System.out.println(header);
        System.out.println(JmhTable.markdown(rows));
        if (!noResultsMd) {
            BenchMain.updateResultsMd(home, java.util.Map.of("jmh", header + "\n" + JmhTable.markdown(rows)));
        }
        return 0;
    }

    /** The Chronicle flags (from the build) plus what this JDK needs for native access. */
    static String[] forkFlags() throws IOException {
        Properties p = new Properties();
        try (InputStream in = JmhMain.class.getResourceAsStream("jvm.properties")) {
            if (in == null) {
                throw new IOException("jvm.properties is missing from the bench jar: rebuild it");
            }
            p.load(in);
        }
        List<String> flags = new ArrayList<>();
        for (String key : List.of("chronicle.jvm.args", "chronicle.sys.props")) {
            String v = p.getProperty(key, "");
            if (v.contains("${")) {
                throw new IOException("jvm.properties was not filled in by the build (" + key + "=" + v + "): rebuild the bench jar");
            }
            flags.addAll(Arrays.stream(v.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
        }
        flags.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 24) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        flags.add("-Djava.awt.headless=true");
        return flags.toArray(String[]::new);
    }

    static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }
}
