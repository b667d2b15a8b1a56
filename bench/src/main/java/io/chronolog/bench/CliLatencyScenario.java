package io.chronolog.bench;

import io.chronolog.engine.Database;
import io.chronolog.engine.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code cli-latency}: wall time of one command-line call, as an operator runs it (the
 * {@code ./chronolog} launcher of this checkout, a child process per call): {@code info},
 * {@code log --limit 10}, {@code execute "SELECT count(*) FROM t"} and {@code time-travel info},
 * on a 10-row database and on a large one (100 MB; 20 MB with {@code --quick}; 1 GB with
 * {@code --large}). The peer is the {@code sqlite3} shell running the same count on a plain
 * SQLite copy of each database. Targets: under 0.5 s each on the small database, under 1 s on the
 * large one (median over the rounds).
 *
 * <p>Each call's output is checked: exit 0, and the figure it must show (the row count, the
 * bookmark, the last statement written). One unmeasured round first (it also lets the launcher make
 * its class-data archive if the jar is new); then the verbs in turn, their order rotating by round.
 */
final class CliLatencyScenario implements MeasuredScenario {
    static final String NAME = "cli-latency";
    static final String SQLITE3 = "/usr/bin/sqlite3";
    static final String COUNT = "SELECT count(*) FROM t";
    static final String SIDE = "chronolog";
    static final String PEER = "sqlite3";
    /** Rows of the large database: 1,000-byte blobs, inserted 50,000 to a statement. */
    private static final int BLOB = 1_000;
    private static final int PER_STATEMENT = 50_000;
    static final List<String> VERBS = List.of("info", "log --limit 10", "execute " + COUNT, "time-travel info");

    @Override
    public String name() {
        return NAME;
    }

    /** The large database's size in bytes: 20 MB quick, 100 MB by default, 1 GB with --large. */
    static long largeBytes(BenchContext context) {
        return context.large() ? 1_000_000_000L : context.quick() ? 20_000_000L : 100_000_000L;
    }

    /** One database of the scenario: its data directory, name, plain copy, and what its verbs must show. */
    private record Db(String label, Path dataDir, String name, Path plain, long rows, String bookmark, String lastSql) {
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        Path launcher = BenchMain.home().resolve("chronolog");
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException(NAME + ": no launcher at " + launcher);
        }
        Path work = context.freshDirectory(NAME);
        try {
            List<Db> dbs = List.of(build(work, "10 rows", 10, 0), build(work, Fmt.mb(largeBytes(context)), 0, largeBytes(context)));
            List<Sample> samples = new ArrayList<>();
            for (int round = 0; round <= context.rounds(); round++) {
                for (Db db : dbs) {
                    for (int v = 0; v < VERBS.size(); v++) {
                        String verb = VERBS.get((v + round) % VERBS.size());
                        double ms = chronolog(launcher, db, verb, work);
                        double peer = sqlite3(db, work);
                        if (round > 0) {
                            samples.add(new Sample(NAME, round, SIDE, db.label(), verb, ms));
                            samples.add(new Sample(NAME, round, PEER, db.label(), verb, peer));
                        }
                    }
                }
                BenchContext.progress("%s round %d/%d done", NAME, round, context.rounds());
            }
            return report(samples, dbs, context.rounds());
        } finally {
            RoundRunner.deleteTree(work);
        }
    }

    /**
     * A database of {@code rows} 10-row style rows, or of about {@code bytes} of blobs when rows is
     * 0, written through the engine and closed, and its plain SQLite export.
     */
    private static Db build(Path work, String label, int rows, long bytes) throws IOException {
        Path dataDir = work.resolve(rows > 0 ? "small" : "large");
        String name = "bench";
        long t0 = System.nanoTime();
        Options options = Options.defaults().toBuilder().background(false).statementTimeout(Duration.ofMinutes(10)).build();
        String lastSql;
        long total;
        String bookmark;
        Path plain = dataDir.resolve("plain.sqlite3");
        try (Database db = Database.open(dataDir.resolve(name), options)) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");
            if (rows > 0) {
                lastSql = null;
                for (int i = 0; i < rows; i++) {
                    lastSql = "INSERT INTO t(v) VALUES ('row " + i + "')";
                    db.execute(lastSql);
                }
                total = rows;
            } else {
                long target = bytes / (BLOB + 20);
                total = 0;
                lastSql = null;
                while (total < target) {
                    int n = (int) Math.min(PER_STATEMENT, target - total);
                    lastSql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < " + n
                            + ") INSERT INTO t(v) SELECT randomblob(" + BLOB + ") FROM c";
                    db.execute(lastSql);
                    total += n;
                }
            }
            bookmark = db.bookmark().toString();
            db.exportTo(db.bookmark(), plain);
        }
        BenchContext.progress("%s: built the %s database (%,d rows, %s live file) in %.1f s", NAME, label, total,
                Fmt.mb(Files.size(dataDir.resolve(name).resolve("live.sqlite3"))), (System.nanoTime() - t0) / 1e9);
        return new Db(label, dataDir, name, plain, total, bookmark, lastSql);
    }

    /** Runs {@code ./chronolog --data-dir D <verb> bench ...}, checks its output, returns its wall time in ms. */
    private static double chronolog(Path launcher, Db db, String verb, Path work) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "--data-dir", db.dataDir().toString()));
        switch (verb) {
            case "info" -> cmd.addAll(List.of("info", db.name()));
            case "log --limit 10" -> cmd.addAll(List.of("log", db.name(), "--limit", "10"));
            case "time-travel info" -> cmd.addAll(List.of("time-travel", "info", db.name()));
            default -> cmd.addAll(List.of("execute", db.name(), "--command", COUNT));
        }
        Run r = run(cmd, work);
        String expect = switch (verb) {
            case "info", "time-travel info" -> db.bookmark();
            case "log --limit 10" -> db.lastSql().substring(0, Math.min(40, db.lastSql().length()));
            default -> String.format(Locale.ROOT, "%d", db.rows());
        };
        if (r.status() != 0 || !r.out().contains(expect)) {
            throw new IllegalStateException(NAME + ": `" + String.join(" ", cmd) + "` exit " + r.status() + ", expected output with '"
                    + expect + "', got:\n" + r.out() + r.err());
        }
        return r.ms();
    }

    /** Runs {@code sqlite3 plain.sqlite3 "SELECT count(*) FROM t"}, checks the count, returns its wall time in ms. */
    private static double sqlite3(Db db, Path work) throws IOException, InterruptedException {
        Run r = run(List.of(SQLITE3, db.plain().toString(), COUNT), work);
        if (r.status() != 0 || !r.out().strip().equals(Long.toString(db.rows()))) {
            throw new IllegalStateException(NAME + ": sqlite3 count expected=" + db.rows() + " actual=" + r.out().strip() + " " + r.err());
        }
        return r.ms();
    }

    private record Run(int status, String out, String err, double ms) {
    }

    private static Run run(List<String> cmd, Path work) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        try {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(NAME + ": `" + String.join(" ", cmd) + "` did not finish in 10 minutes");
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), ms);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static ScenarioResult report(List<Sample> samples, List<Db> dbs, int rounds) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Wall time of one `./chronolog` call (the launcher of the checkout, a child process, as an operator "
                + "runs it), median (min-max) in ms over %d rounds after one unmeasured round. Peer: `sqlite3 plain.sqlite3 \"%s\"` "
                + "on a plain export of the same database, timed beside each call. Databases: %s (%s) and %s (%,d rows of %,d-byte "
                + "blobs). Every call's output is checked.%n%n", rounds, COUNT, dbs.get(0).label(), "one INSERT per row",
                dbs.get(1).label(), dbs.get(1).rows(), BLOB));
        md.append("| verb |");
        for (Db db : dbs) {
            md.append(" ").append(db.label()).append(": chronolog ms | sqlite3 ms |");
        }
        md.append("\n|---|");
        dbs.forEach(db -> md.append("---:|---:|"));
        md.append('\n');
        List<String> verdicts = new ArrayList<>();
        double[] limits = {500, 1000};
        boolean[] met = {true, true};
        double[] worst = {0, 0};
        for (String verb : VERBS) {
            md.append("| `").append(verb).append("` |");
            for (int i = 0; i < dbs.size(); i++) {
                double[] ms = Sample.values(samples, SIDE, dbs.get(i).label(), verb);
                double[] peer = Sample.values(samples, PEER, dbs.get(i).label(), verb);
                md.append(' ').append(Fmt.medianRange(ms, 0)).append(" | ").append(Fmt.medianRange(peer, 0)).append(" |");
                double median = Stats.median(ms);
                worst[i] = Math.max(worst[i], median);
                met[i] &= median < limits[i];
            }
            md.append('\n');
        }
        for (int i = 0; i < dbs.size(); i++) {
            verdicts.add(String.format(Locale.ROOT, "cli-latency, %s database: slowest verb's median %.0f ms, target < %.0f ms: %s",
                    dbs.get(i).label(), worst[i], limits[i], Fmt.verdict(met[i])));
        }
        return new ScenarioResult(NAME, samples, md.toString(), verdicts);
    }
}
