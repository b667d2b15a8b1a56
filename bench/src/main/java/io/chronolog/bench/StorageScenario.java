package io.chronolog.bench;

import io.chronolog.engine.Database;
import io.chronolog.engine.Durability;
import io.chronolog.engine.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code storage}: bytes on disk for 30 simulated days of history, Chronolog's log plus
 * checkpoints against 24 hourly {@code VACUUM INTO} copies a day kept for 30 days.
 *
 * <p>Chronolog runs on a {@link SimulatedClock} with {@code background(false)}; the benchmark
 * spreads S single-row INSERTs evenly over 30 days and does what the background loop would with
 * the engine's default settings: a checkpoint every simulated hour with at least one frame (or every
 * 10,000 frames), a prune every simulated hour, retention 30 days. At the end it sums the files of
 * the log and checkpoint directories. The peer is sqlite-jdbc holding the same rows; one
 * {@code VACUUM INTO} copy of its final state is measured and multiplied by the 720 copies kept.
 * Both totals are then scaled linearly to 1M statements. Checked: both databases hold S rows.
 */
final class StorageScenario implements MeasuredScenario {
    static final String NAME = "storage";
    static final int DAYS = 30;
    static final int COPIES_KEPT = 24 * DAYS;
    static final Duration CHECKPOINT_EVERY = Options.defaults().checkpointEvery();
    static final long CHECKPOINT_EVERY_FRAMES = Options.defaults().checkpointEveryFrames();
    static final Duration PRUNE_EVERY = Duration.ofHours(1);
    static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    static final String CHRONOLOG = "chronolog log + checkpoints";
    static final String SQLITE = "hourly VACUUM INTO copies";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        int statements = context.quick() ? 1_000 : 30_000;
        List<Sample> samples = new ArrayList<>();
        String v = Fmt.count(statements) + " statements over " + DAYS + " days";
        Path dir = context.freshDirectory(NAME);
        try {
            long t0 = System.nanoTime();
            long[] chronolog = chronolog(dir.resolve("bench"), statements);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long copy = sqliteCopy(dir, statements);
            double scale = 1_000_000.0 / statements;
            samples.add(new Sample(NAME, 1, CHRONOLOG, v, "log_bytes_engine", chronolog[5]));
            samples.add(new Sample(NAME, 1, CHRONOLOG, v, "log_bytes", chronolog[0]));
            samples.add(new Sample(NAME, 1, CHRONOLOG, v, "checkpoint_bytes", chronolog[1]));
            samples.add(new Sample(NAME, 1, CHRONOLOG, v, "checkpoints_kept", chronolog[2]));
            samples.add(new Sample(NAME, 1, CHRONOLOG, v, "checkpoints_taken", chronolog[3]));
            samples.add(new Sample(NAME, 1, CHRONOLOG, v, "live_bytes", chronolog[4]));
            samples.add(new Sample(NAME, 1, CHRONOLOG, v, "total_bytes_per_1M", per1M(chronolog, statements)));
            samples.add(new Sample(NAME, 1, CHRONOLOG, v, "simulation_s", seconds));
            samples.add(new Sample(NAME, 1, SQLITE, v, "copy_bytes", copy));
            samples.add(new Sample(NAME, 1, SQLITE, v, "total_bytes_per_1M", (double) copy * COPIES_KEPT * scale));
            return report(samples, v, statements, chronolog, copy, seconds);
        } finally {
            RoundRunner.deleteTree(dir);
        }
    }

    /** {log bytes, checkpoint bytes, checkpoints kept, checkpoints taken, live file bytes} after the simulation. */
    private static long[] chronolog(Path db, int statements) throws IOException {
        SimulatedClock clock = new SimulatedClock(START);
        Options options = Options.builder().durability(Durability.ASYNC).background(false).clock(clock).nanoTime(clock::nanoTime)
                .retention(Duration.ofDays(DAYS)).build();
        long span = Duration.ofDays(DAYS).toMillis();
        long taken = 0;
        try (Database d = Database.open(db, options)) {
            d.execute(ChronologTarget.SCHEMA);
            long nextCheckpoint = START + CHECKPOINT_EVERY.toMillis();
            long nextPrune = START + PRUNE_EVERY.toMillis();
            long sinceCheckpoint = 0;
            for (int i = 0; i < statements; i++) {
                long now = START + span * (i + 1) / statements;
                clock.set(now);
                d.execute(ChronologTarget.INSERT, "row-" + i, i);
                sinceCheckpoint++;
                if (now >= nextCheckpoint || sinceCheckpoint >= CHECKPOINT_EVERY_FRAMES) {
                    if (d.checkpoint().isPresent()) {
                        taken++;
                    }
                    sinceCheckpoint = 0;
                    nextCheckpoint = now + CHECKPOINT_EVERY.toMillis();
                }
                if (now >= nextPrune) {
                    d.prune();
                    nextPrune = now + PRUNE_EVERY.toMillis();
                }
                if ((i + 1) % Math.max(1, statements / 10) == 0) {
                    BenchContext.progress("%s: %,d/%,d statements, day %.1f, %d checkpoints", NAME, i + 1, statements,
                            (now - START) / 86_400_000.0, taken);
                }
            }
            long rows = d.query("SELECT count(*) FROM t").get(0).getLong(0);
            if (rows != statements) {
                throw new IllegalStateException(NAME + ": chronolog rows expected=" + statements + " actual=" + rows);
            }
            long kept = d.checkpoints().size();
            return new long[] {allocated(db.resolve("wal")), allocated(db.resolve("checkpoints")), kept, taken,
                allocated(db.resolve("live.sqlite3")), d.logBytes()};
        }
    }

    /** The size of one {@code VACUUM INTO} copy of a plain SQLite database holding the same rows. */
    private static long sqliteCopy(Path dir, int statements) throws SQLException, IOException {
        Path plain = dir.resolve("plain.sqlite3");
        Path copy = dir.resolve("copy.sqlite3");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + plain)) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute(ChronologTarget.SCHEMA);
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(ChronologTarget.INSERT)) {
                for (int i = 0; i < statements; i++) {
                    ps.setString(1, "row-" + i);
                    ps.setLong(2, i);
                    ps.executeUpdate();
                }
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("VACUUM INTO '" + copy.toString().replace("'", "''") + "'");
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            if (rs.getLong(1) != statements) {
                throw new IllegalStateException(NAME + ": VACUUM INTO copy rows expected=" + statements + " actual=" + rs.getLong(1));
            }
        }
        return Files.size(copy);
    }

    /**
     * Bytes the files under {@code p} occupy on disk ({@code du -s -B1}): the log's cycle files are
     * sparse and preallocated, so their length says little. Falls back to the sum of lengths.
     */
    static long allocated(Path p) throws IOException {
        if (!Files.exists(p)) {
            return 0;
        }
        try {
            Process du = new ProcessBuilder("du", "-s", "-B1", p.toString()).redirectErrorStream(true).start();
            String out = new String(du.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (du.waitFor() == 0) {
                return Long.parseLong(out.split("\\s+")[0]);
            }
        } catch (IOException | NumberFormatException e) {
            // no du here: lengths below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lengths(p);
    }

    private static long lengths(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            long sum = 0;
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                sum += Files.size(f);
            }
            return sum;
        }
    }

    /** Checkpoints the default schedule takes in 30 days when every interval holds a frame. */
    static final long CHECKPOINTS_AT_1M = Duration.ofDays(DAYS).toMinutes() / CHECKPOINT_EVERY.toMinutes();

    /**
     * Log and checkpoints scaled to 1M statements: the log in proportion to the statements; the
     * checkpoints as {@link #CHECKPOINTS_AT_1M} kept images, each the measured mean image scaled by
     * the statements (with inserts an image grows with the rows).
     */
    static double per1M(long[] c, int statements) {
        double scale = 1_000_000.0 / statements;
        double meanImage = c[2] == 0 ? 0 : (double) c[1] / c[2];
        return c[0] * scale + CHECKPOINTS_AT_1M * meanImage * scale;
    }

    private static ScenarioResult report(List<Sample> samples, String v, int statements, long[] c, long copy, double seconds) {
        double scale = 1_000_000.0 / statements;
        double chronologPer1M = per1M(c, statements);
        double sqlitePer1M = (double) copy * COPIES_KEPT * scale;
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%,d single-row INSERTs (`INSERT INTO t(k, v)`) spread evenly over %d simulated days "
                + "(one every %.0f s of simulated time) on an injected clock, `Durability.ASYNC`, `background(false)`; the benchmark "
                + "calls `db.checkpoint()` every " + CHECKPOINT_EVERY.toMinutes() + " simulated minutes with at least one frame (or " + String.format(Locale.ROOT, "%,d", CHECKPOINT_EVERY_FRAMES) + " frames) and `db.prune()` "
                + "every simulated hour, retention 30 days: the default schedule. Measured once (sizes do not vary between runs "
                + "as timings do); the simulation took %.0f s. Peer: one `VACUUM INTO` copy of a plain SQLite database with the "
                + "same rows, times %d copies kept (24 a day for %d days). Sizes are bytes allocated on disk (`du`): the log's "
                + "cycle files are sparse and preallocated. Scaled to 1M statements: the log and each copy in proportion to the "
                + "statements; the checkpoints as the %,d that the schedule keeps in 30 days at 1M statements (one per " + CHECKPOINT_EVERY.toMinutes() + " minutes), "
                + "each the measured mean image scaled in proportion to the statements (an image grows with the rows; the fixed "
                + "part of a small image makes this an overestimate).%n%n",
                statements, DAYS, DAYS * 86_400.0 / statements, seconds, COPIES_KEPT, DAYS, CHECKPOINTS_AT_1M));
        md.append("| side | measured | per 1M statements |\n|---|---|---:|\n");
        md.append(String.format(Locale.ROOT, "| %s | log %s on disk (%s by the engine's count) + checkpoints %s (%,d kept of %,d taken); "
                + "live file %s | %s |%n", CHRONOLOG, Fmt.mb(c[0]), Fmt.mb(c[5]), Fmt.mb(c[1]), c[2], c[3], Fmt.mb(c[4]),
                Fmt.mb((long) chronologPer1M)));
        md.append(String.format(Locale.ROOT, "| %s | one copy %s x %d | %s |%n", SQLITE, Fmt.mb(copy), COPIES_KEPT,
                Fmt.mb((long) sqlitePer1M)));
        md.append(String.format(Locale.ROOT, "%nThe copies' figure takes every copy at its final size; with a database that grows "
                + "steadily over the month the copies would average about half of that (%s).%n", Fmt.mb((long) (sqlitePer1M / 2))));
        List<String> verdicts = List.of(String.format(Locale.ROOT,
                "storage: per 1M statements over %d days Chronolog keeps %s (log + checkpoints) against %s for hourly copies: "
                        + "%.2fx (no target in the issue).", DAYS, Fmt.mb((long) chronologPer1M), Fmt.mb((long) sqlitePer1M),
                chronologPer1M / sqlitePer1M));
        return new ScenarioResult(NAME, samples, md.toString(), verdicts);
    }
}
