package io.chronolog.bench;

import io.chronolog.engine.Database;
import io.chronolog.engine.Durability;
import io.chronolog.engine.Options;
import io.chronolog.engine.Statement;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code batch}: transactions of {@value #BATCH} single-row INSERTs. Chronolog
 * {@link Durability#SYNC}, each transaction one {@link Database#batch} (one frame, one sync),
 * against sqlite-jdbc WAL {@code synchronous=FULL}, each transaction one JDBC transaction of
 * {@value #BATCH} executions of one prepared INSERT. Every round opens a fresh database per side,
 * times the transactions (opening and closing are not timed), counts the rows (the run fails
 * unless the count is exact) and deletes the directory; sides alternate which goes first.
 */
final class BatchScenario implements MeasuredScenario {
    static final String NAME = "batch";
    static final int BATCH = 100;
    static final String CHRONOLOG = "chronolog SYNC batch";
    static final String SQLITE = "sqlite WAL FULL transaction";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        int batches = context.quick() ? 50 : 500;
        List<Sample> samples = new ArrayList<>();
        String v = Fmt.count(BATCH) + " rows per transaction";
        round(context, CHRONOLOG, Math.max(5, batches / 10), 0, null, v);
        round(context, SQLITE, Math.max(5, batches / 10), 0, null, v);
        for (int round = 1; round <= context.rounds(); round++) {
            List<String> order = round % 2 == 1 ? List.of(CHRONOLOG, SQLITE) : List.of(SQLITE, CHRONOLOG);
            for (String side : order) {
                round(context, side, batches, round, samples, v);
            }
        }
        return report(samples, v, batches);
    }

    /** One round of one side: {@code batches} transactions timed one by one, then the row count checked. */
    private static void round(BenchContext context, String side, int batches, int round, List<Sample> samples, String v)
            throws Exception {
        Path dir = context.freshDirectory(NAME + "-r" + round);
        try {
            long[] nanos = new long[batches];
            long rows;
            long begin;
            long elapsed;
            if (side.equals(CHRONOLOG)) {
                try (Database db = Database.open(dir.resolve("bench"), Options.builder().durability(Durability.SYNC).build())) {
                    db.execute(ChronologTarget.SCHEMA);
                    begin = System.nanoTime();
                    for (int b = 0; b < batches; b++) {
                        List<Statement> batch = new ArrayList<>(BATCH);
                        for (int i = 0; i < BATCH; i++) {
                            batch.add(Statement.of(ChronologTarget.INSERT, "b" + b + "-" + i, (long) i));
                        }
                        long t0 = System.nanoTime();
                        db.batch(batch);
                        nanos[b] = System.nanoTime() - t0;
                    }
                    elapsed = System.nanoTime() - begin;
                    rows = db.query("SELECT count(*) FROM t").get(0).getLong(0);
                }
            } else {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.sqlite3"))) {
                    try (java.sql.Statement st = c.createStatement()) {
                        st.execute("PRAGMA journal_mode=WAL");
                        st.execute("PRAGMA synchronous=FULL");
                        st.execute(ChronologTarget.SCHEMA);
                    }
                    c.setAutoCommit(false);
                    try (PreparedStatement insert = c.prepareStatement(ChronologTarget.INSERT)) {
                        begin = System.nanoTime();
                        for (int b = 0; b < batches; b++) {
                            long t0 = System.nanoTime();
                            for (int i = 0; i < BATCH; i++) {
                                insert.setString(1, "b" + b + "-" + i);
                                insert.setLong(2, i);
                                insert.executeUpdate();
                            }
                            c.commit();
                            nanos[b] = System.nanoTime() - t0;
                        }
                        elapsed = System.nanoTime() - begin;
                    }
                    try (java.sql.Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                        rs.next();
                        rows = rs.getLong(1);
                    }
                }
            }
            long expected = (long) batches * BATCH;
            if (rows != expected) {
                throw new IllegalStateException(NAME + " round " + round + " " + side + ": expected=" + expected + " rows actual=" + rows);
            }
            if (samples == null) {
                return;
            }
            Arrays.sort(nanos);
            double rowsPerSecond = expected * 1e9 / elapsed;
            samples.add(new Sample(NAME, round, side, v, "rows_per_s", rowsPerSecond));
            samples.add(new Sample(NAME, round, side, v, "batch_p50_us", Stats.percentile(nanos, 50) / 1e3));
            samples.add(new Sample(NAME, round, side, v, "batch_p99_us", Stats.percentile(nanos, 99) / 1e3));
            BenchContext.progress("%s round %d/%d %-28s %,10.0f rows/s  transaction p50 %7.0f µs  p99 %7.0f µs", NAME, round,
                    context.rounds(), side, rowsPerSecond, Stats.percentile(nanos, 50) / 1e3, Stats.percentile(nanos, 99) / 1e3);
        } finally {
            RoundRunner.deleteTree(dir);
        }
    }

    private static ScenarioResult report(List<Sample> samples, String v, int batches) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%,d transactions of %d single-row INSERTs per side and round (%,d rows), each in a "
                + "fresh database; Chronolog `Durability.SYNC` with one `db.batch(...)` (one frame, one sync) per transaction "
                + "against sqlite-jdbc WAL `synchronous=FULL` with one JDBC transaction per %d rows. Rows counted after every "
                + "round. Median (min-max) over the rounds.%n%n", batches, BATCH, batches * BATCH, BATCH));
        md.append("| side | rows/s | transaction p50 µs | transaction p99 µs | Chronolog/SQLite (per-round min-max) |\n");
        md.append("|---|---:|---:|---:|---|\n");
        double[] c = Sample.values(samples, CHRONOLOG, v, "rows_per_s");
        double[] s = Sample.values(samples, SQLITE, v, "rows_per_s");
        double[] perRound = new double[Math.min(c.length, s.length)];
        for (int i = 0; i < perRound.length; i++) {
            perRound[i] = c[i] / s[i];
        }
        double ratio = Stats.median(c) / Stats.median(s);
        for (String side : List.of(CHRONOLOG, SQLITE)) {
            String cell = side.equals(CHRONOLOG)
                    ? String.format(Locale.ROOT, "**%.2f** (%.2f-%.2f)", ratio, Stats.min(perRound), Stats.max(perRound)) : "";
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", side, Fmt.medianRange(Sample.values(samples, side, v, "rows_per_s"), 0),
                    Fmt.medianRange(Sample.values(samples, side, v, "batch_p50_us"), 0),
                    Fmt.medianRange(Sample.values(samples, side, v, "batch_p99_us"), 0), cell));
        }
        List<String> verdicts = List.of(String.format(Locale.ROOT,
                "batch: Chronolog/SQLite = %.2f (%,.0f vs %,.0f rows/s in transactions of %d) at equal durability: target ≥ %.1f %s.",
                ratio, Stats.median(c), Stats.median(s), BATCH, Report.RATIO_TARGET, Fmt.verdict(ratio >= Report.RATIO_TARGET)));
        return new ScenarioResult(NAME, samples, md.toString(), verdicts);
    }
}
