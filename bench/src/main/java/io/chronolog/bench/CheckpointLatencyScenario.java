package io.chronolog.bench;

import io.chronolog.engine.Database;
import io.chronolog.engine.Durability;
import io.chronolog.engine.Options;
import io.chronolog.engine.Statement;
import io.chronolog.engine.CheckpointInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code checkpoint-latency}: one writer's insert latency (p50/p99/p99.9; ~200-byte rows into a
 * ~50 MB database, quick ~5 MB), quiet and while a second thread copies the database in a loop.
 * Chronolog: {@code SYNC}, {@code background(false)}, the other thread calls
 * {@link Database#checkpoint()} back to back. Peer: sqlite-jdbc WAL {@code synchronous=FULL},
 * autocommit, while a second connection runs {@code VACUUM INTO} a temp file back to back (an
 * hourly backup's habit). Each phase's row count is checked; each checkpoint's size and time are
 * recorded (compression ratio, MB/s of raw image).
 */
final class CheckpointLatencyScenario implements MeasuredScenario {
    static final String NAME = "checkpoint-latency";
    static final double P99_TARGET = 2.0;
    static final int ROW_BYTES = 200;
    static final String SCHEMA = "CREATE TABLE r (id INTEGER PRIMARY KEY, k TEXT NOT NULL, payload BLOB NOT NULL)";
    static final String INSERT = "INSERT INTO r(k, payload) VALUES (?, ?)";
    static final String C_QUIET = "chronolog SYNC quiet";
    static final String C_BUSY = "chronolog SYNC + checkpoint loop";
    static final String S_QUIET = "sqlite FULL quiet";
    static final String S_BUSY = "sqlite FULL + VACUUM INTO loop";
    static final String CHECKPOINT = "checkpoint";
    static final String[] SIDES = {C_QUIET, C_BUSY, S_QUIET, S_BUSY};

    @Override
    public String name() {
        return NAME;
    }

    /** One side's database: inserts one row at a time, counts rows, runs a copy loop on another thread. */
    private interface Target extends AutoCloseable {
        void insert(String k, byte[] payload) throws Exception;

        long count() throws Exception;

        /** One copy of the whole database (a checkpoint, a VACUUM INTO); its duration in ns is returned. */
        long copyOnce(List<Sample> samples, int round) throws Exception;

        @Override
        void close() throws SQLException;
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        long bytes = context.quick() ? 5_000_000L : 50_000_000L;
        int prefill = (int) (bytes / (ROW_BYTES + 60));
        int perPhase = context.quick() ? 1_000 : 10_000;
        List<Sample> samples = new ArrayList<>();
        Path cdir = context.freshDirectory("latency-chronolog");
        Path sdir = context.freshDirectory("latency-sqlite");
        try (ChronologSide chronolog = new ChronologSide(cdir); SqliteSide sqlite = new SqliteSide(sdir)) {
            BenchContext.progress("%s: prefilling both databases with %,d rows of %d bytes", NAME, prefill, ROW_BYTES);
            chronolog.prefill(prefill);
            sqlite.prefill(prefill);
            chronolog.copyOnce(new ArrayList<>(), 0);
            samples.add(new Sample(NAME, 0, C_QUIET, "", "db_bytes", Files.size(cdir.resolve("c").resolve("live.sqlite3"))));
            samples.add(new Sample(NAME, 0, S_QUIET, "", "db_bytes", Files.size(sdir.resolve("plain.sqlite3"))));
            for (String side : SIDES) {
                phase(side, chronolog, sqlite, Math.max(100, perPhase / 10), 0, new ArrayList<>());
            }
            for (int round = 1; round <= context.rounds(); round++) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < SIDES.length; i++) {
                    String side = SIDES[round % 2 == 1 ? i : SIDES.length - 1 - i];
                    double[] p = phase(side, chronolog, sqlite, perPhase, round, samples);
                    line.append(String.format(Locale.ROOT, "  %s p50 %.0f p99 %.0f p99.9 %.0f µs", side, p[0], p[1], p[2]));
                }
                long quietCheckpoint = chronolog.copyOnce(samples, round);
                samples.add(new Sample(NAME, round, CHECKPOINT, "quiet", "ms", quietCheckpoint / 1e6));
                BenchContext.progress("%s round %d/%d:%s; quiet checkpoint %.0f ms", NAME, round, context.rounds(), line,
                        quietCheckpoint / 1e6);
            }
        } finally {
            RoundRunner.deleteTree(cdir);
            RoundRunner.deleteTree(sdir);
        }
        return report(samples, perPhase);
    }

    /**
     * Inserts {@code count} rows into the side's database, timing each; for a busy side another
     * thread copies the database back to back meanwhile. Checks that the phase added exactly
     * {@code count} rows; returns
     * p50, p99, p99.9 in µs.
     */
    private static double[] phase(String side, ChronologSide chronolog, SqliteSide sqlite, int count, int round,
            List<Sample> samples) throws Exception {
        Target target = side.startsWith("chronolog") ? chronolog : sqlite;
        long expectedAfter = target.count() + count;
        boolean busy = side.equals(C_BUSY) || side.equals(S_BUSY);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        List<Long> copies = new ArrayList<>();
        List<Sample> copySamples = new ArrayList<>();
        Thread copier = null;
        if (busy) {
            copier = new Thread(() -> {
                started.countDown();
                try {
                    while (!stop.get()) {
                        copies.add(target.copyOnce(copySamples, round));
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "bench-copier");
            copier.start();
            started.await();
        }
        long[] nanos = new long[count];
        SplittableRandom random = new SplittableRandom(round * 31L + side.hashCode());
        long begin = System.nanoTime();
        for (int i = 0; i < count; i++) {
            byte[] payload = RestoreSizeScenario.blob(random, i, ROW_BYTES);
            String k = "r" + round + "-" + i;
            long t0 = System.nanoTime();
            target.insert(k, payload);
            nanos[i] = System.nanoTime() - t0;
        }
        long elapsed = System.nanoTime() - begin;
        if (copier != null) {
            stop.set(true);
            copier.join();
            if (failure.get() != null) {
                throw new IllegalStateException(side + " round " + round + ": the copy loop failed: " + failure.get(), failure.get());
            }
        }
        long rows = target.count();
        if (rows != expectedAfter) {
            throw new IllegalStateException(side + " round " + round + ": expected=" + expectedAfter + " rows actual=" + rows);
        }
        Arrays.sort(nanos);
        double[] p = {Stats.percentile(nanos, 50) / 1e3, Stats.percentile(nanos, 99) / 1e3, Stats.percentile(nanos, 99.9) / 1e3};
        if (round > 0) {
            samples.add(new Sample(NAME, round, side, "", "inserts_per_s", count * 1e9 / elapsed));
            samples.add(new Sample(NAME, round, side, "", "p50_us", p[0]));
            samples.add(new Sample(NAME, round, side, "", "p99_us", p[1]));
            samples.add(new Sample(NAME, round, side, "", "p999_us", p[2]));
            samples.add(new Sample(NAME, round, side, "", "max_us", nanos[count - 1] / 1e3));
            if (busy) {
                samples.add(new Sample(NAME, round, side, "", "copies", copies.size()));
                for (long c : copies) {
                    samples.add(new Sample(NAME, round, side, "", "copy_ms", c / 1e6));
                }
                for (Sample s : copySamples) {
                    samples.add(new Sample(s.scenario(), s.round(), s.side(), "under load", s.metric(), s.value()));
                }
            }
        }
        return p;
    }

    private static final class ChronologSide implements Target {
        private final Database db;

        ChronologSide(Path dir) {
            db = Database.open(dir.resolve("c"), Options.builder().durability(Durability.SYNC).background(false).build());
            db.execute(SCHEMA);
        }

        void prefill(int rows) {
            SplittableRandom random = new SplittableRandom(7);
            List<Statement> batch = new ArrayList<>(1_000);
            for (int i = 0; i < rows; i++) {
                batch.add(Statement.of(INSERT, "p" + i, RestoreSizeScenario.blob(random, i, ROW_BYTES)));
                if (batch.size() == 1_000 || i == rows - 1) {
                    db.batch(batch);
                    batch.clear();
                }
            }
        }

        @Override
        public void insert(String k, byte[] payload) {
            db.execute(INSERT, k, payload);
        }

        @Override
        public long count() {
            return db.query("SELECT count(*) FROM r").get(0).getLong(0);
        }

        /** One checkpoint; records its time, raw and compressed size. A checkpoint with nothing new to take is not counted. */
        @Override
        public long copyOnce(List<Sample> samples, int round) {
            long t0 = System.nanoTime();
            Optional<CheckpointInfo> m = db.checkpoint();
            long nanos = System.nanoTime() - t0;
            if (m.isPresent()) {
                CheckpointInfo meta = m.get();
                if (meta.rawBytes() <= 0 || meta.compressedBytes() <= 0) {
                    throw new IllegalStateException("checkpoint " + meta.number() + " has sizes raw=" + meta.rawBytes()
                            + " compressed=" + meta.compressedBytes());
                }
                samples.add(new Sample(NAME, round, CHECKPOINT, "", "checkpoint_ms", nanos / 1e6));
                samples.add(new Sample(NAME, round, CHECKPOINT, "", "raw_bytes", meta.rawBytes()));
                samples.add(new Sample(NAME, round, CHECKPOINT, "", "ratio", (double) meta.compressedBytes() / meta.rawBytes()));
                samples.add(new Sample(NAME, round, CHECKPOINT, "", "mb_per_s", meta.rawBytes() / 1e6 / (nanos / 1e9)));
            }
            return nanos;
        }

        @Override
        public void close() {
            db.close();
        }
    }

    private static final class SqliteSide implements Target {
        private final Connection writer;
        private final PreparedStatement insert;
        private final Connection backup;
        private final Path copy;

        SqliteSide(Path dir) throws Exception {
            String url = "jdbc:sqlite:" + dir.resolve("plain.sqlite3");
            writer = DriverManager.getConnection(url);
            try (java.sql.Statement st = writer.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=FULL");
                st.execute(SCHEMA);
            }
            insert = writer.prepareStatement(INSERT);
            backup = DriverManager.getConnection(url);
            copy = dir.resolve("vacuum-into.sqlite3");
        }

        void prefill(int rows) throws Exception {
            SplittableRandom random = new SplittableRandom(7);
            writer.setAutoCommit(false);
            for (int i = 0; i < rows; i++) {
                insert("p" + i, RestoreSizeScenario.blob(random, i, ROW_BYTES));
            }
            writer.commit();
            writer.setAutoCommit(true);
        }

        @Override
        public synchronized void insert(String k, byte[] payload) throws Exception {
            insert.setString(1, k);
            insert.setBytes(2, payload);
            insert.executeUpdate();
        }

        @Override
        public long count() throws Exception {
            try (java.sql.Statement st = writer.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM r")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        /** One {@code VACUUM INTO} a fresh file on the second connection; checks the copy is a whole database file. */
        @Override
        public long copyOnce(List<Sample> samples, int round) throws Exception {
            Files.deleteIfExists(copy);
            long t0 = System.nanoTime();
            try (java.sql.Statement st = backup.createStatement()) {
                st.execute("VACUUM INTO '" + copy.toString().replace("'", "''") + "'");
            }
            long nanos = System.nanoTime() - t0;
            if (Files.size(copy) < 100_000) {
                throw new IllegalStateException("VACUUM INTO wrote only " + Files.size(copy) + " bytes");
            }
            return nanos;
        }

        @Override
        public void close() throws SQLException {
            insert.close();
            backup.close();
            writer.close();
        }
    }

    private static ScenarioResult report(List<Sample> samples, int perPhase) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "One writer, %,d single-row inserts of ~%d-byte rows per phase and round; database %s "
                + "(Chronolog live file) / %s (sqlite) after the prefill. Per-round figures, median (min-max) over the rounds.%n%n",
                perPhase, ROW_BYTES, Fmt.mb((long) RestoreHistoryScenario.once(samples, "", "db_bytes")),
                Fmt.mb((long) samples.stream().filter(s -> s.round() == 0 && s.side().equals(S_QUIET)).mapToDouble(Sample::value)
                        .findFirst().orElse(0))));
        md.append("| side | inserts/s | p50 µs | p99 µs | p99.9 µs | max µs | copies during the phase | copy ms |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String side : SIDES) {
            double[] copies = Sample.values(samples, side, "", "copies");
            double[] copyMs = Sample.values(samples, side, "", "copy_ms");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", side,
                    Fmt.medianRange(Sample.values(samples, side, "", "inserts_per_s"), 0),
                    Fmt.medianRange(Sample.values(samples, side, "", "p50_us"), 0),
                    Fmt.medianRange(Sample.values(samples, side, "", "p99_us"), 0),
                    Fmt.medianRange(Sample.values(samples, side, "", "p999_us"), 0),
                    Fmt.medianRange(Sample.values(samples, side, "", "max_us"), 0),
                    copies.length == 0 ? "" : Fmt.medianRange(copies, 0), copyMs.length == 0 ? "" : Fmt.medianRange(copyMs, 0)));
        }
        double[] cRatio = ratios(samples, C_BUSY, C_QUIET, "p99_us");
        double[] sRatio = ratios(samples, S_BUSY, S_QUIET, "p99_us");
        double[] cRatio999 = ratios(samples, C_BUSY, C_QUIET, "p999_us");
        double[] sRatio999 = ratios(samples, S_BUSY, S_QUIET, "p999_us");
        md.append(String.format(Locale.ROOT, "%np99 busy/quiet, per round: Chronolog %s, sqlite %s; p99.9: Chronolog %s, sqlite %s.%n",
                Fmt.medianRange(cRatio, 2), Fmt.medianRange(sRatio, 2), Fmt.medianRange(cRatio999, 2), Fmt.medianRange(sRatio999, 2)));
        double[] loadMs = Sample.values(samples, CHECKPOINT, "under load", "checkpoint_ms");
        double[] loadRate = Sample.values(samples, CHECKPOINT, "under load", "mb_per_s");
        double[] quietMs = Sample.values(samples, CHECKPOINT, "", "checkpoint_ms");
        double[] quietRate = Sample.values(samples, CHECKPOINT, "", "mb_per_s");
        double[] ratio = Sample.values(samples, CHECKPOINT, "", "ratio");
        double[] raw = Sample.values(samples, CHECKPOINT, "", "raw_bytes");
        md.append(String.format(Locale.ROOT, "%nCheckpoints: image %s (raw); compressed/raw %s; quiet (no writer) %s ms = %s MB/s of raw image "
                + "(%d checkpoints); under the writer %s ms = %s MB/s (%d checkpoints).%n",
                Fmt.medianRange(Arrays.stream(raw).map(x -> x / 1e6).toArray(), 1) + " MB", Fmt.medianRange(ratio, 3),
                Fmt.medianRange(quietMs, 0), Fmt.medianRange(quietRate, 0), quietMs.length, Fmt.medianRange(loadMs, 0),
                Fmt.medianRange(loadRate, 0), loadMs.length));
        double c = Stats.median(cRatio);
        List<String> verdicts = List.of(
                String.format(Locale.ROOT, "checkpoint-latency: Chronolog p99 during checkpoints / quiet p99 = %.2f (median of rounds; %.0f µs vs %.0f µs): "
                        + "target ≤ %.0fx %s.", c, Stats.median(Sample.values(samples, C_BUSY, "", "p99_us")),
                        Stats.median(Sample.values(samples, C_QUIET, "", "p99_us")), P99_TARGET, Fmt.verdict(c <= P99_TARGET)),
                String.format(Locale.ROOT, "checkpoint-latency: sqlite FULL p99 during VACUUM INTO / quiet p99 = %.2f (%.0f µs vs %.0f µs).",
                        Stats.median(sRatio), Stats.median(Sample.values(samples, S_BUSY, "", "p99_us")),
                        Stats.median(Sample.values(samples, S_QUIET, "", "p99_us"))),
                String.format(Locale.ROOT, "checkpoint-latency: checkpoints compress to %.3f of raw and run at %.0f MB/s quiet, %.0f MB/s under the writer.",
                        Stats.median(ratio), Stats.median(quietRate), Stats.median(loadRate)));
        return new ScenarioResult(NAME, samples, md.toString(), verdicts);
    }

    /** busy / quiet of a metric, round by round. */
    private static double[] ratios(List<Sample> samples, String busy, String quiet, String metric) {
        double[] b = Sample.values(samples, busy, "", metric);
        double[] q = Sample.values(samples, quiet, "", metric);
        double[] r = new double[Math.min(b.length, q.length)];
        for (int i = 0; i < r.length; i++) {
            r[i] = b[i] / q[i];
        }
        return r;
    }
}
