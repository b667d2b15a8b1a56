package io.chronolog.bench;

import io.chronolog.engine.Database;
import io.chronolog.engine.Durability;
import io.chronolog.engine.Options;
import io.chronolog.engine.Rows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code mixed}: 4 threads, each op a point SELECT by primary key (90%) or a single-row
 * {@code UPDATE kv SET v = v + 1 WHERE id = ?} (10%), over a table prefilled with
 * {@link #ROWS} rows. Chronolog {@code ASYNC} (reads from its reader pool) against sqlite-jdbc WAL
 * {@code synchronous=NORMAL} with one writer connection under a lock and one read connection per
 * thread: equal durability, as insert-async. Every read must find its row; after a round
 * {@code sum(v)} must equal the updates made. Sides interleaved, the first alternating by round.
 */
final class MixedScenario implements MeasuredScenario {
    static final String NAME = "mixed";
    static final int THREADS = 4;
    static final int ROWS = 10_000;
    static final int WRITE_PERCENT = 10;
    static final long SEED = 0x5eed_0a1cL;
    static final String CHRONOLOG = "chronolog ASYNC";
    static final String SQLITE = "sqlite WAL NORMAL";
    static final String SCHEMA = "CREATE TABLE kv (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)";
    static final String PREFILL = "INSERT INTO kv(id, v) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < "
            + ROWS + ") SELECT x, 0 FROM c";
    static final String READ = "SELECT v FROM kv WHERE id = ?";
    static final String UPDATE = "UPDATE kv SET v = v + 1 WHERE id = ?";

    /** One side's database: thread-safe. {@link #read} returns the row's v, or -1 when no row was found. */
    interface MixedTarget extends AutoCloseable {
        long read(int thread, long id) throws Exception;

        void update(long id) throws Exception;

        long sum() throws Exception;

        @Override
        void close() throws Exception;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        int perThread = context.quick() ? 1_000 : 5_000;
        int rounds = context.rounds();
        List<Sample> samples = new ArrayList<>();
        System.err.printf(Locale.ROOT, "seed %d%n", SEED);
        for (String side : List.of(CHRONOLOG, SQLITE)) {
            round(context, side, 0, Math.max(100, perThread / 5), samples);
        }
        for (int round = 1; round <= rounds; round++) {
            List<String> order = round % 2 == 1 ? List.of(CHRONOLOG, SQLITE) : List.of(SQLITE, CHRONOLOG);
            for (String side : order) {
                round(context, side, round, perThread, samples);
            }
        }
        return report(samples, perThread, rounds);
    }

    private static MixedTarget open(String side, Path dir) throws Exception {
        return CHRONOLOG.equals(side) ? new ChronologMixed(dir) : new SqliteMixed(dir);
    }

    private static void round(BenchContext context, String side, int round, int perThread, List<Sample> samples) throws Exception {
        Path dir = context.freshDirectory(NAME + "-r" + round);
        try {
            long[][] latencies = new long[THREADS][perThread];
            boolean[][] writes = new boolean[THREADS][perThread];
            AtomicLong updates = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long nanos;
            try (MixedTarget target = open(side, dir)) {
                CountDownLatch ready = new CountDownLatch(THREADS);
                CountDownLatch start = new CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    SplittableRandom random = new SplittableRandom(SEED + 1_000L * round + thread);
                    Thread th = new Thread(() -> {
                        ready.countDown();
                        try {
                            start.await();
                            for (int i = 0; i < perThread; i++) {
                                long id = 1 + random.nextInt(ROWS);
                                boolean write = random.nextInt(100) < WRITE_PERCENT;
                                long t0 = System.nanoTime();
                                if (write) {
                                    target.update(id);
                                } else {
                                    long v = target.read(thread, id);
                                    if (v < 0) {
                                        throw new IllegalStateException("read of id " + id + " found no row");
                                    }
                                }
                                latencies[thread][i] = System.nanoTime() - t0;
                                writes[thread][i] = write;
                                if (write) {
                                    updates.incrementAndGet();
                                }
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    }, "bench-mixed-" + t);
                    threads.add(th);
                    th.start();
                }
                ready.await();
                long begin = System.nanoTime();
                start.countDown();
                for (Thread th : threads) {
                    th.join();
                }
                nanos = System.nanoTime() - begin;
                if (failure.get() != null) {
                    throw new IllegalStateException(NAME + " " + side + " round " + round + ": a thread failed: " + failure.get(), failure.get());
                }
                long sum = target.sum();
                if (sum != updates.get()) {
                    throw new IllegalStateException(NAME + " " + side + " round " + round + ": sum(v) expected=" + updates.get() + " actual=" + sum);
                }
            }
            if (round == 0) {
                return;
            }
            List<long[]> reads = new ArrayList<>();
            List<long[]> updatesLat = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long[] r = new long[perThread];
                long[] w = new long[perThread];
                int nr = 0;
                int nw = 0;
                for (int i = 0; i < perThread; i++) {
                    if (writes[t][i]) {
                        w[nw++] = latencies[t][i];
                    } else {
                        r[nr++] = latencies[t][i];
                    }
                }
                reads.add(Arrays.copyOf(r, nr));
                updatesLat.add(Arrays.copyOf(w, nw));
            }
            long[] all = Stats.pooledSorted(Arrays.asList(latencies));
            long[] readSorted = Stats.pooledSorted(reads);
            long[] writeSorted = Stats.pooledSorted(updatesLat);
            double opsPerSecond = THREADS * (double) perThread * 1e9 / nanos;
            samples.add(new Sample(NAME, round, side, "", "ops_per_s", opsPerSecond));
            samples.add(new Sample(NAME, round, side, "", "p50_us", Stats.percentile(all, 50) / 1e3));
            samples.add(new Sample(NAME, round, side, "", "p99_us", Stats.percentile(all, 99) / 1e3));
            samples.add(new Sample(NAME, round, side, "", "read_p99_us", Stats.percentile(readSorted, 99) / 1e3));
            samples.add(new Sample(NAME, round, side, "", "update_p99_us", Stats.percentile(writeSorted, 99) / 1e3));
            samples.add(new Sample(NAME, round, side, "", "updates", updates.get()));
            BenchContext.progress("%s round %d %-18s %,10.0f ops/s  p50 %6.0f µs  p99 %7.0f µs (reads %.0f, updates %.0f µs; %,d updates)", NAME,
                    round, side, opsPerSecond, Stats.percentile(all, 50) / 1e3, Stats.percentile(all, 99) / 1e3,
                    Stats.percentile(readSorted, 99) / 1e3, Stats.percentile(writeSorted, 99) / 1e3, updates.get());
        } finally {
            RoundRunner.deleteTree(dir);
        }
    }

    private static ScenarioResult report(List<Sample> samples, int perThread, int rounds) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%d threads x %,d ops per side and round over a table of %,d rows `(id INTEGER PRIMARY KEY, v)`: "
                + "%d%% point SELECTs by id, %d%% `UPDATE kv SET v = v + 1 WHERE id = ?` in autocommit, ids uniform at random "
                + "(seed %d). Chronolog `Durability.ASYNC` against sqlite-jdbc WAL `synchronous=NORMAL` (one writer connection under "
                + "a lock, one read connection per thread). %d measured rounds after one warm-up; median (min-max) over the rounds.%n%n",
                THREADS, perThread, ROWS, 100 - WRITE_PERCENT, WRITE_PERCENT, SEED, rounds));
        md.append("| side | ops/s | p50 µs | p99 µs | read p99 µs | update p99 µs |\n|---|---:|---:|---:|---:|---:|\n");
        for (String side : List.of(CHRONOLOG, SQLITE)) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", side,
                    Fmt.medianRange(Sample.values(samples, side, "", "ops_per_s"), 0),
                    Fmt.medianRange(Sample.values(samples, side, "", "p50_us"), 0),
                    Fmt.medianRange(Sample.values(samples, side, "", "p99_us"), 0),
                    Fmt.medianRange(Sample.values(samples, side, "", "read_p99_us"), 0),
                    Fmt.medianRange(Sample.values(samples, side, "", "update_p99_us"), 0)));
        }
        double c = Stats.median(Sample.values(samples, CHRONOLOG, "", "ops_per_s"));
        double s = Stats.median(Sample.values(samples, SQLITE, "", "ops_per_s"));
        double cp = Stats.median(Sample.values(samples, CHRONOLOG, "", "p99_us"));
        double sp = Stats.median(Sample.values(samples, SQLITE, "", "p99_us"));
        List<String> verdicts = List.of(String.format(Locale.ROOT,
                "mixed: Chronolog/SQLite throughput = %.2f (%,.0f vs %,.0f ops/s; no target of its own, the write target is ≥ %.1f); "
                        + "p99 %,.0f µs against %,.0f µs (%.2fx).", c / s, c, s, Report.RATIO_TARGET, cp, sp, cp / sp));
        return new ScenarioResult(NAME, samples, md.toString(), verdicts);
    }

    /** Chronolog: reads through {@link Database#query} (its reader pool), updates through {@link Database#execute}. */
    private static final class ChronologMixed implements MixedTarget {
        private final Database db;

        ChronologMixed(Path dir) {
            db = Database.open(dir.resolve("bench"), Options.builder().durability(Durability.ASYNC).background(false).build());
            db.execute(SCHEMA);
            db.execute(PREFILL);
        }

        @Override
        public long read(int thread, long id) {
            Rows rows = db.query(READ, id);
            return rows.size() == 1 ? rows.get(0).getLong(0) : -1;
        }

        @Override
        public void update(long id) {
            db.execute(UPDATE, id);
        }

        @Override
        public long sum() {
            return db.query("SELECT sum(v) FROM kv").get(0).getLong(0);
        }

        @Override
        public void close() {
            db.close();
        }
    }

    /** sqlite-jdbc: one writer connection under a lock, one read connection per thread. */
    private static final class SqliteMixed implements MixedTarget {
        private final Connection writer;
        private final PreparedStatement update;
        private final List<Connection> readers = new ArrayList<>();
        private final List<PreparedStatement> reads = new ArrayList<>();

        SqliteMixed(Path dir) throws SQLException {
            String url = "jdbc:sqlite:" + dir.resolve("plain.sqlite3");
            writer = DriverManager.getConnection(url);
            try (Statement st = writer.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=NORMAL");
                st.execute(SCHEMA);
                st.execute(PREFILL);
            }
            update = writer.prepareStatement(UPDATE);
            for (int t = 0; t < THREADS; t++) {
                Connection c = DriverManager.getConnection(url);
                readers.add(c);
                reads.add(c.prepareStatement(READ));
            }
        }

        @Override
        public long read(int thread, long id) throws SQLException {
            PreparedStatement ps = reads.get(thread);
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }

        @Override
        public synchronized void update(long id) throws SQLException {
            update.setLong(1, id);
            update.executeUpdate();
        }

        @Override
        public synchronized long sum() throws SQLException {
            try (Statement st = writer.createStatement(); ResultSet rs = st.executeQuery("SELECT sum(v) FROM kv")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        public synchronized void close() throws SQLException {
            SQLException first = null;
            for (AutoCloseable c : concat()) {
                try {
                    c.close();
                } catch (Exception e) {
                    if (first == null) {
                        first = e instanceof SQLException se ? se : new SQLException(e);
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }

        private List<AutoCloseable> concat() {
            List<AutoCloseable> all = new ArrayList<>(reads);
            all.addAll(readers);
            all.add(update);
            all.add(writer);
            return all;
        }
    }
}
