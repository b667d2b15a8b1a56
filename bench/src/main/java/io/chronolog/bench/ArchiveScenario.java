package io.chronolog.bench;

import io.chronolog.engine.ArchiveOptions;
import io.chronolog.engine.ArchiveRestoreResult;
import io.chronolog.engine.ArchiveStatus;
import io.chronolog.engine.Archives;
import io.chronolog.engine.Bookmark;
import io.chronolog.engine.CheckpointInfo;
import io.chronolog.engine.Database;
import io.chronolog.engine.Durability;
import io.chronolog.engine.Options;
import io.chronolog.engine.Row;
import io.chronolog.engine.Statement;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * {@code archive}: what the off-machine archive costs and gives, on a {@code file://} archive on
 * the work directory's disk (the same disk as the database: an upload is a file create, fsync,
 * link and directory fsync, with no network in it).
 *
 * <ol>
 *   <li>Single-row INSERT throughput with the archive attached against without, in SYNC and in
 *       ASYNC, four sides interleaved round by round through {@link RoundRunner} (fresh directory,
 *       row count checked). Target: the shipper costs at most 5%.
 *   <li>Archive lag under a paced load of 1,000 SYNC writes/s for ~10 s with the default lag bound
 *       (1 s): for every write, the time from its acknowledgement until {@code archiveStatus()}
 *       first shows an archived bookmark at or past it (polled every ~1 ms by a thread of its own),
 *       and the sampled {@code lagMillis}. Target: p99 within the lag bound plus one upload (the
 *       engine's {@code chronolog.archive.upload} timer, mean over the round).
 *   <li>{@link Durability#ARCHIVED} writes from 8 threads against SYNC from 8 threads, interleaved.
 *   <li>Restore from the archive (as a fork: the source stays the archive's writer) against a local
 *       restore of the same database in place and a local fork, ~100 MB (quick ~10 MB, {@code
 *       --large} also ~1 GB), every result checked; once at the end, a restore from the archive as
 *       its new writer. Objects and requests: counted on the archive's directory and through
 *       {@code Database.archiveRequests()} in the paced run (scaled to 1M statements) and in a run
 *       of one write per lag interval (scaled to a month at 1 write/s).
 * </ol>
 */
final class ArchiveScenario implements MeasuredScenario {
    static final String NAME = "archive";
    static final double COST_TARGET = 0.05;
    static final String SYNC = "chronolog SYNC";
    static final String SYNC_ARCHIVE = "chronolog SYNC + archive";
    static final String ASYNC = "chronolog ASYNC";
    static final String ASYNC_ARCHIVE = "chronolog ASYNC + archive";
    static final String SYNC8 = "chronolog SYNC x8";
    static final String ARCHIVED8 = "chronolog ARCHIVED x8";
    static final String LAG = "paced 1,000 writes/s, SYNC";
    static final String ARCHIVE_FORK = "restore from the archive (fork)";
    static final String LOCAL_RESTORE = "local restore in place";
    static final String LOCAL_FORK = "local fork";
    static final String[] RESTORE_SIDES = {ARCHIVE_FORK, LOCAL_RESTORE, LOCAL_FORK};
    static final String TAKEOVER = "restore from the archive (new writer)";
    static final String SPARSE = "one write per lag interval";
    static final int RATE = 1_000;
    static final long SECONDS_PER_MONTH = 30L * 86_400;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        boolean quick = context.quick();
        List<Sample> samples = new ArrayList<>();
        long t0 = System.nanoTime();
        throughput(context, syncInserts(quick), asyncInserts(quick), samples);
        BenchContext.progress("%s: throughput done in %.0f s", NAME, (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        int lagSeconds = quick ? 3 : 10;
        int lagRounds = Math.min(2, context.rounds());
        for (int round = 1; round <= lagRounds; round++) {
            lagRound(context, round, lagRounds, RATE * lagSeconds, samples);
        }
        BenchContext.progress("%s: lag done in %.0f s", NAME, (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        archived(context, quick ? 60 : 250, samples);
        BenchContext.progress("%s: ARCHIVED x8 done in %.0f s", NAME, (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        sparse(context, quick ? 20 : 40, samples);
        BenchContext.progress("%s: one write per interval done in %.0f s", NAME, (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        List<Integer> megabytes = new ArrayList<>(quick ? List.of(10) : List.of(100));
        if (context.large()) {
            long free = Files.getFileStore(context.work()).getUsableSpace();
            if (free < RestoreSizeScenario.LARGE_MIN_FREE) {
                throw new IllegalStateException("--large refused: the work dir " + context.work() + " has " + (free >> 30)
                        + " GiB free, under the 20 GiB a 1 GB archive restore needs with its copies");
            }
            megabytes.add(1_000);
        }
        for (int mb : megabytes) {
            restore(context, mb, samples);
        }
        BenchContext.progress("%s: restores done in %.0f s", NAME, (System.nanoTime() - t0) / 1e9);
        return report(samples, megabytes, lagSeconds, lagRounds, quick);
    }

    // ---- 1. throughput with and without the archive ----

    /** Enough single-row writes for a round to span two lag intervals or more, so that uploads happen inside it. */
    static int syncInserts(boolean quick) {
        return quick ? 1_500 : 5_000;
    }

    static int asyncInserts(boolean quick) {
        return quick ? 15_000 : 50_000;
    }

    private static List<Side> throughputSides(int syncInserts, int asyncInserts) {
        return List.of(
                new Side(SYNC, true, 1, syncInserts, dir -> new ChronologTarget(dir, Durability.SYNC)),
                new Side(SYNC_ARCHIVE, true, 1, syncInserts,
                        dir -> new ChronologTarget(dir, Durability.SYNC, ChronologTarget.localArchive(dir))),
                new Side(ASYNC, true, 1, asyncInserts, dir -> new ChronologTarget(dir, Durability.ASYNC)),
                new Side(ASYNC_ARCHIVE, true, 1, asyncInserts,
                        dir -> new ChronologTarget(dir, Durability.ASYNC, ChronologTarget.localArchive(dir))));
    }

    private static void throughput(BenchContext context, int syncInserts, int asyncInserts, List<Sample> samples) throws Exception {
        RoundRunner runner = new RoundRunner(context.work());
        for (Side side : throughputSides(syncInserts / 4, asyncInserts / 4)) {
            runner.run(NAME + "-warmup", side, 0);
        }
        List<Side> sides = throughputSides(syncInserts, asyncInserts);
        for (int round = 1; round <= context.rounds(); round++) {
            List<Side> order = new ArrayList<>(sides);
            if (round % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            for (Side side : order) {
                record(runner.run(NAME, side, round), "single writer", samples, context.rounds());
            }
        }
    }

    private static void record(RoundResult r, String variant, List<Sample> samples, int rounds) {
        String side = r.side().name();
        samples.add(new Sample(NAME, r.round(), side, variant, "inserts_per_s", r.insertsPerSecond()));
        samples.add(new Sample(NAME, r.round(), side, variant, "p50_us", r.p50Micros()));
        samples.add(new Sample(NAME, r.round(), side, variant, "p99_us", r.p99Micros()));
        BenchContext.progress("%s round %d/%d %-26s %,10.0f inserts/s  p50 %6.0f µs  p99 %7.0f µs  %s", NAME, r.round(), rounds, side,
                r.insertsPerSecond(), r.p50Micros(), r.p99Micros(), r.notes());
    }

    // ---- 2. lag under a paced load ----

    private static void lagRound(BenchContext context, int round, int rounds, int writes, List<Sample> samples) throws Exception {
        Path dir = context.freshDirectory("archive-lag");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ArchiveOptions archive = ChronologTarget.localArchive(dir);
        Path archiveDir = dir.resolve("archive");
        try (Database db = Database.open(dir.resolve("paced"), Options.builder().durability(Durability.SYNC).background(false)
                .meterRegistry(registry).archive(archive).build())) {
            db.execute(ChronologTarget.SCHEMA);
            db.archiveSync(Duration.ofSeconds(60));
            Timer upload = registry.find("chronolog.archive.upload").timer();
            long uploads0 = upload.count();
            double uploadNanos0 = upload.totalTime(TimeUnit.NANOSECONDS);
            Map<String, Long> requests0 = db.archiveRequests();
            long objects0 = countObjects(archiveDir);

            Bookmark[] marks = new Bookmark[writes];
            long[] acked = new long[writes];
            long[] seen = new long[writes];
            AtomicInteger written = new AtomicInteger();
            List<Long> lagSamples = new ArrayList<>();
            int[] seenCount = {0};
            Stop stop = new Stop();
            Thread monitor = new Thread(() -> {
                int next = 0;
                while (!stop.value || next < written.get()) {
                    ArchiveStatus status = db.archiveStatus();
                    long now = System.nanoTime();
                    lagSamples.add(status.lagMillis());
                    Bookmark archived = status.archived();
                    int upTo = written.get();
                    while (archived != null && next < upTo && marks[next].compareTo(archived) <= 0) {
                        seen[next++] = now;
                    }
                    seenCount[0] = next;
                    if (stop.value && System.nanoTime() - stop.since > 30_000_000_000L) {
                        return;
                    }
                    LockSupport.parkNanos(1_000_000);
                }
            }, "bench-archive-monitor");
            monitor.start();
            long period = 1_000_000_000L / RATE;
            long begin = System.nanoTime();
            for (int i = 0; i < writes; i++) {
                long due = begin + i * period;
                for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
                marks[i] = db.execute(ChronologTarget.INSERT, "lag-" + i, i).bookmark();
                acked[i] = System.nanoTime();
                written.set(i + 1);
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            stop.since = System.nanoTime();
            stop.value = true;
            monitor.join();
            if (seenCount[0] != writes) {
                throw new IllegalStateException(NAME + " lag round " + round + ": " + (writes - seenCount[0]) + " of " + writes
                        + " writes not seen archived within 30 s after the load: " + db.archiveStatus());
            }
            long rows = db.query("SELECT count(*) FROM t").get(0).getLong(0);
            if (rows != writes) {
                throw new IllegalStateException(NAME + " lag round " + round + ": expected=" + writes + " rows actual=" + rows);
            }
            long[] lag = new long[writes];
            for (int i = 0; i < writes; i++) {
                lag[i] = Math.max(0, seen[i] - acked[i]);
            }
            Arrays.sort(lag);
            long[] sampled = lagSamples.stream().mapToLong(Long::longValue).sorted().toArray();
            long uploads = upload.count() - uploads0;
            double uploadMeanMs = uploads == 0 ? 0 : (upload.totalTime(TimeUnit.NANOSECONDS) - uploadNanos0) / uploads / 1e6;
            double uploadMaxMs = upload.max(TimeUnit.MILLISECONDS);
            long objects = countObjects(archiveDir) - objects0;
            Map<String, Long> requests1 = db.archiveRequests();
            long requests = 0;
            for (var e : requests1.entrySet()) {
                long d = e.getValue() - requests0.getOrDefault(e.getKey(), 0L);
                requests += d;
                samples.add(new Sample(NAME, round, LAG, "", "requests_" + e.getKey(), d));
            }
            String v = "";
            samples.add(new Sample(NAME, round, LAG, v, "writes_per_s", writes / seconds));
            samples.add(new Sample(NAME, round, LAG, v, "lag_p50_ms", Stats.percentile(lag, 50) / 1e6));
            samples.add(new Sample(NAME, round, LAG, v, "lag_p99_ms", Stats.percentile(lag, 99) / 1e6));
            samples.add(new Sample(NAME, round, LAG, v, "lag_max_ms", lag[lag.length - 1] / 1e6));
            samples.add(new Sample(NAME, round, LAG, v, "lagmillis_p99_ms", Stats.percentile(sampled, 99)));
            samples.add(new Sample(NAME, round, LAG, v, "lagmillis_max_ms", sampled.length == 0 ? 0 : sampled[sampled.length - 1]));
            samples.add(new Sample(NAME, round, LAG, v, "uploads", uploads));
            samples.add(new Sample(NAME, round, LAG, v, "upload_mean_ms", uploadMeanMs));
            samples.add(new Sample(NAME, round, LAG, v, "upload_max_ms", uploadMaxMs));
            samples.add(new Sample(NAME, round, LAG, v, "objects", objects));
            samples.add(new Sample(NAME, round, LAG, v, "requests", requests));
            samples.add(new Sample(NAME, round, LAG, v, "statements", writes));
            BenchContext.progress("%s lag round %d/%d: %,.0f writes/s for %.1f s; ack->archived p50 %.0f ms p99 %.0f ms max %.0f ms; "
                    + "lagMillis p99 %d ms; %d uploads, mean %.1f ms, max %.1f ms; %d objects, %d requests %s", NAME, round, rounds,
                    writes / seconds, seconds, Stats.percentile(lag, 50) / 1e6, Stats.percentile(lag, 99) / 1e6, lag[lag.length - 1] / 1e6,
                    Stats.percentile(sampled, 99), uploads, uploadMeanMs, uploadMaxMs, objects, requests, delta(requests0, requests1));
        } finally {
            RoundRunner.deleteTree(dir);
        }
    }

    /** A stop flag the monitor reads without a lock. */
    private static final class Stop {
        volatile boolean value;
        volatile long since;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new java.util.TreeMap<>();
        after.forEach((k, v) -> {
            long x = v - before.getOrDefault(k, 0L);
            if (x != 0) {
                d.put(k, x);
            }
        });
        return d;
    }

    /** Regular files under the archive's directory: its objects (a {@code file://} store keeps one file per object). */
    static long countObjects(Path archiveDir) throws IOException {
        if (!Files.exists(archiveDir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(archiveDir)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    // ---- 3. ARCHIVED from 8 threads ----

    private static List<Side> archivedSides(int perThread) {
        return List.of(
                new Side(ARCHIVED8, true, 8, perThread,
                        dir -> new ChronologTarget(dir, Durability.ARCHIVED, ChronologTarget.localArchive(dir))),
                new Side(SYNC8, true, 8, perThread, dir -> new ChronologTarget(dir, Durability.SYNC)));
    }

    private static void archived(BenchContext context, int perThread, List<Sample> samples) throws Exception {
        RoundRunner runner = new RoundRunner(context.work());
        for (Side side : archivedSides(Math.max(1, perThread / 4))) {
            runner.run(NAME + "-warmup", side, 0);
        }
        List<Side> sides = archivedSides(perThread);
        for (int round = 1; round <= context.rounds(); round++) {
            List<Side> order = new ArrayList<>(sides);
            if (round % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            for (Side side : order) {
                record(runner.run(NAME, side, round), "8 threads", samples, context.rounds());
            }
        }
    }

    // ---- 4a. objects and requests at one write per lag interval ----

    /**
     * {@code writes} single SYNC writes, one every 2 lag intervals of 50 ms: each ships alone, as a
     * write every second does with the default 1 s lag. Then one checkpoint shipped, to count what
     * a checkpoint adds.
     */
    private static void sparse(BenchContext context, int writes, List<Sample> samples) throws Exception {
        Path dir = context.freshDirectory("archive-sparse");
        long lagMs = 50;
        ArchiveOptions archive = ArchiveOptions.builder(Files.createDirectories(dir.resolve("archive")).toUri().toString())
                .lag(Duration.ofMillis(lagMs)).build();
        Path archiveDir = dir.resolve("archive");
        try (Database db = Database.open(dir.resolve("sparse"), Options.builder().durability(Durability.SYNC).background(false)
                .archive(archive).build())) {
            db.execute(ChronologTarget.SCHEMA);
            db.archiveSync(Duration.ofSeconds(60));
            Map<String, Long> r0 = db.archiveRequests();
            long o0 = countObjects(archiveDir);
            long begin = System.nanoTime();
            for (int i = 0; i < writes; i++) {
                long due = begin + i * 2 * lagMs * 1_000_000L;
                for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
                db.execute(ChronologTarget.INSERT, "sparse-" + i, i);
            }
            db.archiveSync(Duration.ofSeconds(60));
            Map<String, Long> r1 = db.archiveRequests();
            long o1 = countObjects(archiveDir);
            db.checkpoint().orElseThrow(() -> new IllegalStateException(NAME + ": no checkpoint taken after the sparse writes"));
            db.archiveSync(Duration.ofSeconds(60));
            Map<String, Long> r2 = db.archiveRequests();
            long o2 = countObjects(archiveDir);
            long req = sum(delta(r0, r1));
            long reqCheckpoint = sum(delta(r1, r2));
            samples.add(new Sample(NAME, 0, SPARSE, "", "statements", writes));
            samples.add(new Sample(NAME, 0, SPARSE, "", "objects", o1 - o0));
            samples.add(new Sample(NAME, 0, SPARSE, "", "requests", req));
            samples.add(new Sample(NAME, 0, SPARSE, "", "checkpoint_objects", o2 - o1));
            samples.add(new Sample(NAME, 0, SPARSE, "", "checkpoint_requests", reqCheckpoint));
            BenchContext.progress("%s: %d writes one per %d ms (lag %d ms): %d objects, %d requests %s; a checkpoint: %d objects, %d requests %s",
                    NAME, writes, 2 * lagMs, lagMs, o1 - o0, req, delta(r0, r1), o2 - o1, reqCheckpoint, delta(r1, r2));
        } finally {
            RoundRunner.deleteTree(dir);
        }
    }

    private static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    // ---- 4b. restore from the archive against a local restore ----

    static String variant(int mb) {
        return "~" + Fmt.count(mb) + " MB";
    }

    private static void restore(BenchContext context, int mb, List<Sample> samples) throws Exception {
        String v = variant(mb);
        int rows = (int) (mb * 1_000_000L / (RestoreSizeScenario.BLOB_BYTES + 100));
        Path dir = context.freshDirectory("archive-restore-" + mb);
        ArchiveOptions archive = ChronologTarget.localArchive(dir);
        Path data = Files.createDirectories(dir.resolve("data"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        String name = "sized";
        BenchContext.progress("%s: building %s (%,d rows of %,d-byte blobs) with the archive attached", NAME, v, rows,
                RestoreSizeScenario.BLOB_BYTES);
        try {
            long begin = System.nanoTime();
            Bookmark target;
            long raw;
            try (Database db = Database.open(data.resolve(name), Options.builder().durability(Durability.ASYNC).background(false)
                    .archive(archive).build())) {
                db.execute("CREATE TABLE b (id INTEGER PRIMARY KEY, v INTEGER NOT NULL, payload BLOB NOT NULL)");
                SplittableRandom random = new SplittableRandom(mb);
                List<Statement> batch = new ArrayList<>(RestoreSizeScenario.BATCH);
                for (int i = 0; i < rows; i++) {
                    batch.add(Statement.of("INSERT INTO b(v, payload) VALUES (?, ?)", (long) i,
                            RestoreSizeScenario.blob(random, i, RestoreSizeScenario.BLOB_BYTES)));
                    if (batch.size() == RestoreSizeScenario.BATCH || i == rows - 1) {
                        db.batch(batch);
                        batch.clear();
                    }
                }
                CheckpointInfo meta = db.checkpoint().orElseThrow(() -> new IllegalStateException("no checkpoint taken after the build"));
                target = db.bookmark();
                double buildSeconds = (System.nanoTime() - begin) / 1e9;
                long s0 = System.nanoTime();
                ArchiveStatus status = db.archiveSync(Duration.ofMinutes(10));
                double syncSeconds = (System.nanoTime() - s0) / 1e9;
                raw = meta.rawBytes();
                samples.add(new Sample(NAME, 0, ARCHIVE_FORK, v, "build_s", buildSeconds));
                samples.add(new Sample(NAME, 0, ARCHIVE_FORK, v, "final_sync_s", syncSeconds));
                samples.add(new Sample(NAME, 0, ARCHIVE_FORK, v, "raw_bytes", raw));
                samples.add(new Sample(NAME, 0, ARCHIVE_FORK, v, "compressed_bytes", meta.compressedBytes()));
                samples.add(new Sample(NAME, 0, ARCHIVE_FORK, v, "archive_objects", status.objects()));
                samples.add(new Sample(NAME, 0, ARCHIVE_FORK, v, "archive_bytes", status.bytesStored()));
                BenchContext.progress("%s: %s built in %.1f s, archive synced in %.1f s: image %s, compressed %s; archive %d objects, %s",
                        NAME, v, buildSeconds, syncSeconds, Fmt.mb(raw), Fmt.mb(meta.compressedBytes()), status.objects(),
                        Fmt.mb(status.bytesStored()));
                check(db, rows, "the built database");
                int[] forks = {0};
                for (String side : RESTORE_SIDES) {
                    measure(side, db, archive, name, target, elsewhere, rows, forks);
                }
                for (int round = 1; round <= context.rounds(); round++) {
                    StringBuilder line = new StringBuilder();
                    for (int i = 0; i < RESTORE_SIDES.length; i++) {
                        String side = RESTORE_SIDES[round % 2 == 1 ? i : RESTORE_SIDES.length - 1 - i];
                        long[] downloaded = new long[1];
                        double ms = measure(side, db, archive, name, target, elsewhere, rows, forks, downloaded) / 1e6;
                        samples.add(new Sample(NAME, round, side, v, "ms", ms));
                        if (side.equals(ARCHIVE_FORK)) {
                            samples.add(new Sample(NAME, round, side, v, "download_ms", downloaded[0] / 1e6));
                        }
                        samples.add(new Sample(NAME, round, side, v, "mb_per_s", raw / 1e6 / (ms / 1e3)));
                        line.append(String.format(Locale.ROOT, "  %s %.0f ms", side, ms));
                    }
                    BenchContext.progress("%s restore round %d/%d %s:%s", NAME, round, context.rounds(), v, line);
                }
                db.archiveSync(Duration.ofMinutes(10)); // the newest frame (a restore) archived before the machine is lost
            }
            // The machine is lost: the database comes back from the archive alone, as its writer.
            Path lost = Files.createDirectories(dir.resolve("rebuilt"));
            long t0 = System.nanoTime();
            ArchiveRestoreResult r = Archives.restore(archive, name, Archives.Target.newest(), lost, null, false,
                    Options.builder().background(false).build(), null);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (!r.takeover()) {
                throw new IllegalStateException(NAME + ": a restore without a new name did not take the archive over: " + r);
            }
            try (Database db = Database.open(lost.resolve(name), Options.builder().background(false).build())) {
                check(db, rows, "the database restored from the archive as its writer");
            }
            samples.add(new Sample(NAME, 0, TAKEOVER, v, "ms", ms));
            samples.add(new Sample(NAME, 0, TAKEOVER, v, "mb_per_s", raw / 1e6 / (ms / 1e3)));
            BenchContext.progress("%s: %s restored from the archive as its new writer in %.0f ms (%s)", NAME, v, ms, r.plan());
        } finally {
            RoundRunner.deleteTree(dir);
        }
    }

    /** One timed restore of {@code side}, its result checked (outside the time); nanoseconds. */
    private static long measure(String side, Database db, ArchiveOptions archive, String name, Bookmark target, Path elsewhere, int rows,
            int[] forks) throws IOException {
        return measure(side, db, archive, name, target, elsewhere, rows, forks, new long[1]);
    }

    /**
     * As above; for a restore from the archive, {@code downloaded[0]} is set to the nanoseconds from the start until the last
     * object was downloaded (the last progress report): the rest is checking, opening and forking the copy.
     */
    private static long measure(String side, Database db, ArchiveOptions archive, String name, Bookmark target, Path elsewhere, int rows,
            int[] forks, long[] downloaded) throws IOException {
        switch (side) {
            case ARCHIVE_FORK -> {
                String as = "fork-a" + (++forks[0]);
                long t0 = System.nanoTime();
                ArchiveRestoreResult r = Archives.restore(archive, name, new Archives.Target(target, null), elsewhere, as, false,
                        Options.builder().background(false).build(), bytes -> downloaded[0] = System.nanoTime());
                long nanos = System.nanoTime() - t0;
                downloaded[0] -= t0;
                if (!target.equals(r.restoredTo())) {
                    throw new IllegalStateException(NAME + ": restore from the archive to " + target + " gave " + r.restoredTo());
                }
                checkAndDelete(elsewhere.resolve(as), rows, side);
                return nanos;
            }
            case LOCAL_RESTORE -> {
                long t0 = System.nanoTime();
                db.restore(target);
                long nanos = System.nanoTime() - t0;
                check(db, rows, side);
                // the restore's checkpoint (a full image) is uploaded here, untimed, so that its upload does not compete with
                // the next side's time
                db.archiveSync(Duration.ofMinutes(10));
                return nanos;
            }
            case LOCAL_FORK -> {
                Path to = elsewhere.resolve("fork-l" + (++forks[0]));
                long t0 = System.nanoTime();
                db.fork(target, to);
                long nanos = System.nanoTime() - t0;
                checkAndDelete(to, rows, side);
                return nanos;
            }
            default -> throw new IllegalArgumentException(side);
        }
    }

    private static void checkAndDelete(Path dir, int rows, String what) throws IOException {
        try (Database db = Database.open(dir, Options.builder().background(false).build())) {
            check(db, rows, what);
        }
        RoundRunner.deleteTree(dir);
    }

    private static void check(Database db, long rows, String what) {
        Row r = db.query("SELECT count(*), coalesce(sum(v), 0), coalesce(sum(length(payload)), 0) FROM b").get(0);
        long expectedSum = rows * (rows - 1) / 2;
        if (r.getLong(0) != rows || r.getLong(1) != expectedSum || r.getLong(2) != rows * RestoreSizeScenario.BLOB_BYTES) {
            throw new IllegalStateException(NAME + ", " + what + ": wrong state: expected count=" + rows + " sum(v)=" + expectedSum
                    + " bytes=" + rows * RestoreSizeScenario.BLOB_BYTES + " actual count=" + r.getLong(0) + " sum(v)=" + r.getLong(1)
                    + " bytes=" + r.getLong(2));
        }
    }

    // ---- the report ----

    private static double ratio(double[] a, double[] b, int i) {
        return a[i] / b[i];
    }

    private static String ratioCell(double[] with, double[] without) {
        int n = Math.min(with.length, without.length);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = ratio(with, without, i);
        }
        return String.format(Locale.ROOT, "**%.3f** (%.2f-%.2f)", Stats.median(with) / Stats.median(without), Stats.min(r), Stats.max(r));
    }

    private static ScenarioResult report(List<Sample> s, List<Integer> megabytes, int lagSeconds, int lagRounds, boolean quick) {
        StringBuilder md = new StringBuilder();
        List<String> verdicts = new ArrayList<>();
        md.append("All on a `file://` archive in the work directory, on the same disk as the databases (an upload is a file create, "
                + "fsync, link and directory fsync; no network). Default lag bound (1 s) unless said. Median (min-max) over the rounds.\n\n");

        // 1
        String sw = "single writer";
        md.append("**Single-row INSERT throughput with the archive attached against without** (four sides interleaved round by round, "
                + "each round a fresh database, rows counted):\n\n");
        md.append("| durability | inserts/round | without archive, inserts/s | p99 µs | with archive, inserts/s | p99 µs | with/without (per-round min-max) |\n");
        md.append("|---|---:|---:|---:|---:|---:|---|\n");
        for (String[] pair : new String[][] {{SYNC, SYNC_ARCHIVE}, {ASYNC, ASYNC_ARCHIVE}}) {
            double[] without = Sample.values(s, pair[0], sw, "inserts_per_s");
            double[] with = Sample.values(s, pair[1], sw, "inserts_per_s");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", pair[0].replace("chronolog ", ""),
                    Fmt.count(pair[0].equals(SYNC) ? syncInserts(quick) : asyncInserts(quick)), Fmt.medianRange(without, 0),
                    Fmt.number(Stats.median(Sample.values(s, pair[0], sw, "p99_us")), 0), Fmt.medianRange(with, 0),
                    Fmt.number(Stats.median(Sample.values(s, pair[1], sw, "p99_us")), 0), ratioCell(with, without)));
            double r = Stats.median(with) / Stats.median(without);
            verdicts.add(String.format(Locale.ROOT, "archive: %s with the archive attached = %.3fx without (%,.0f vs %,.0f inserts/s): "
                    + "the shipper costs %.1f%%: target ≤ %.0f%% %s.", pair[0].replace("chronolog ", ""), r, Stats.median(with),
                    Stats.median(without), (1 - r) * 100, COST_TARGET * 100, Fmt.verdict(1 - r <= COST_TARGET)));
        }

        // 2
        md.append(String.format(Locale.ROOT, "%n**Archive lag under %,d SYNC writes/s for %d s** (%d rounds, each a fresh database; per write, "
                + "acknowledgement to the first `archiveStatus()` showing it archived, polled every ~1 ms; `lagMillis` sampled at the same polls; "
                + "uploads from the engine's `chronolog.archive.upload` timer):%n%n", RATE, lagSeconds, lagRounds));
        md.append("| writes/s reached | ack→archived p50 ms | p99 ms | max ms | `lagMillis` p99 ms | uploads | upload mean ms | upload max ms | objects | requests |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                Fmt.medianRange(Sample.values(s, LAG, "", "writes_per_s"), 0), Fmt.medianRange(Sample.values(s, LAG, "", "lag_p50_ms"), 0),
                Fmt.medianRange(Sample.values(s, LAG, "", "lag_p99_ms"), 0), Fmt.medianRange(Sample.values(s, LAG, "", "lag_max_ms"), 0),
                Fmt.medianRange(Sample.values(s, LAG, "", "lagmillis_p99_ms"), 0), Fmt.medianRange(Sample.values(s, LAG, "", "uploads"), 0),
                Fmt.medianRange(Sample.values(s, LAG, "", "upload_mean_ms"), 1), Fmt.medianRange(Sample.values(s, LAG, "", "upload_max_ms"), 1),
                Fmt.medianRange(Sample.values(s, LAG, "", "objects"), 0), Fmt.medianRange(Sample.values(s, LAG, "", "requests"), 0)));
        double p99 = Stats.median(Sample.values(s, LAG, "", "lag_p99_ms"));
        double uploadMean = Stats.median(Sample.values(s, LAG, "", "upload_mean_ms"));
        double bound = 1000 + uploadMean;
        verdicts.add(String.format(Locale.ROOT, "archive: lag at %,d writes/s p50 %.0f ms, p99 %.0f ms against the lag bound plus one upload "
                + "(1,000 + %.1f ms = %.0f ms): target %s.", RATE, Stats.median(Sample.values(s, LAG, "", "lag_p50_ms")), p99, uploadMean,
                bound, Fmt.verdict(p99 <= bound)));

        // 3
        md.append(String.format(Locale.ROOT, "%n**`Durability.ARCHIVED` from 8 writer threads** against SYNC from 8 threads (interleaved; %s inserts per round):%n%n",
                quick ? "8 x 60" : "8 x 250"));
        md.append("| side | inserts/s | p50 µs | p99 µs |\n|---|---:|---:|---:|\n");
        for (String side : List.of(ARCHIVED8, SYNC8)) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", side, Fmt.medianRange(Sample.values(s, side, "8 threads", "inserts_per_s"), 0),
                    Fmt.medianRange(Sample.values(s, side, "8 threads", "p50_us"), 0), Fmt.medianRange(Sample.values(s, side, "8 threads", "p99_us"), 0)));
        }
        double[] a8 = Sample.values(s, ARCHIVED8, "8 threads", "inserts_per_s");
        double[] s8 = Sample.values(s, SYNC8, "8 threads", "inserts_per_s");
        md.append(String.format(Locale.ROOT, "%nARCHIVED/SYNC at 8 threads: %s.%n", ratioCell(a8, s8)));
        verdicts.add(String.format(Locale.ROOT, "archive: ARCHIVED with 8 threads %,.0f inserts/s, p99 %,.0f µs; %.2fx SYNC with 8 threads "
                + "(%,.0f inserts/s, p99 %,.0f µs) (no target).", Stats.median(a8), Stats.median(Sample.values(s, ARCHIVED8, "8 threads", "p99_us")),
                Stats.median(a8) / Stats.median(s8), Stats.median(s8), Stats.median(Sample.values(s, SYNC8, "8 threads", "p99_us"))));

        // 4
        md.append("\n**Restore from the archive against a local restore of the same database** (rows of ~1 KB blobs in batches of 100, "
                + "ASYNC, the archive attached, one checkpoint at the end; every round restores to the bookmark just after it, nothing "
                + "to replay, each result checked; from the archive as a fork so the source stays its writer; MB/s of the raw image):\n\n");
        md.append("| database | image (compressed) | from the archive (fork) | local restore in place | local fork | archive / local restore | archive / local fork | from the archive as its new writer (once) |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int mb : megabytes) {
            String v = variant(mb);
            long raw = (long) once(s, ARCHIVE_FORK, v, "raw_bytes");
            long compressed = (long) once(s, ARCHIVE_FORK, v, "compressed_bytes");
            StringBuilder cells = new StringBuilder();
            for (String side : RESTORE_SIDES) {
                cells.append(String.format(Locale.ROOT, " %s ms, %s MB/s |", Fmt.medianRange(Sample.values(s, side, v, "ms"), 0),
                        Fmt.number(Stats.median(Sample.values(s, side, v, "mb_per_s")), 0)));
            }
            double archiveMs = Stats.median(Sample.values(s, ARCHIVE_FORK, v, "ms"));
            double localMs = Stats.median(Sample.values(s, LOCAL_RESTORE, v, "ms"));
            double forkMs = Stats.median(Sample.values(s, LOCAL_FORK, v, "ms"));
            double takeover = once(s, TAKEOVER, v, "ms");
            double download = Stats.median(Sample.values(s, ARCHIVE_FORK, v, "download_ms"));
            md.append(String.format(Locale.ROOT, "| %s | %s (%s) |%s %s | %s | %,.0f ms, %,.0f MB/s |%n", v, Fmt.mb(raw), Fmt.mb(compressed), cells,
                    ratioCell(Sample.values(s, ARCHIVE_FORK, v, "ms"), Sample.values(s, LOCAL_RESTORE, v, "ms")),
                    ratioCell(Sample.values(s, ARCHIVE_FORK, v, "ms"), Sample.values(s, LOCAL_FORK, v, "ms")), takeover, raw / 1e6 / (takeover / 1e3)));
            verdicts.add(String.format(Locale.ROOT, "archive: restore of %s from the archive %,.0f ms (%,.0f MB/s) = %.2fx the local restore "
                    + "(%,.0f ms) and %.2fx a local fork (%,.0f ms); as the archive's new writer %,.0f ms (no target).", v, archiveMs,
                    raw / 1e6 / (archiveMs / 1e3), archiveMs / localMs, localMs, archiveMs / forkMs, forkMs, takeover));
            md.append(String.format(Locale.ROOT, "%nOf the restore from the archive at %s, %,.0f ms (median) went until the last object "
                    + "was downloaded (the last progress report: checkpoint and segments fetched, the log written frame by frame); the "
                    + "remaining %,.0f ms checked the copied checkpoints, opened the copy (its live file built from the checkpoint) and "
                    + "forked it.%n", v, download, archiveMs - download));
            md.append(String.format(Locale.ROOT, "%nBuilding %s took %.1f s with the archive attached; the final `archiveSync` %.1f s; the archive "
                    + "then held %,d objects, %s.%n", v, once(s, ARCHIVE_FORK, v, "build_s"), once(s, ARCHIVE_FORK, v, "final_sync_s"),
                    (long) once(s, ARCHIVE_FORK, v, "archive_objects"), Fmt.mb((long) once(s, ARCHIVE_FORK, v, "archive_bytes"))));
        }

        // objects and requests
        double statements = Stats.median(Sample.values(s, LAG, "", "statements"));
        double objects = Stats.median(Sample.values(s, LAG, "", "objects"));
        double requests = Stats.median(Sample.values(s, LAG, "", "requests"));
        double perStatementObjects = objects / statements;
        double perStatementRequests = requests / statements;
        double sparseN = once(s, SPARSE, "", "statements");
        double sparseObjects = once(s, SPARSE, "", "objects") / sparseN;
        double sparseRequests = once(s, SPARSE, "", "requests") / sparseN;
        double cpObjects = once(s, SPARSE, "", "checkpoint_objects");
        double cpRequests = once(s, SPARSE, "", "checkpoint_requests");
        long monthWrites = SECONDS_PER_MONTH;
        long monthCheckpoints = SECONDS_PER_MONTH / Options.defaults().checkpointEvery().toSeconds();
        md.append(String.format(Locale.ROOT, "%n**Objects and requests** (objects: files added to the archive's directory; requests: "
                + "`Database.archiveRequests()`, every kind):%n%n"));
        md.append("| load | measured | objects per 1M statements | requests per 1M statements | per month at 1 write/s |\n|---|---|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| %,d writes/s, 1 s lag | %,.0f statements: %,.0f objects, %,.0f requests (median of the lag rounds) | %,.0f | %,.0f | |%n",
                RATE, statements, objects, requests, perStatementObjects * 1e6, perStatementRequests * 1e6));
        md.append(String.format(Locale.ROOT, "| one write per lag interval (a write every 100 ms, lag 50 ms: each ships alone, as at 1 write/s with a 1 s lag) "
                + "| %,.0f statements: %,.0f objects, %,.0f requests; one checkpoint: %,.0f objects, %,.0f requests | %,.0f | %,.0f | "
                + "%,d writes + %,d checkpoints (one per %d min): **%,.0f objects, %,.0f requests** |%n", sparseN, sparseObjects * sparseN,
                sparseRequests * sparseN, cpObjects, cpRequests, sparseObjects * 1e6, sparseRequests * 1e6, monthWrites, monthCheckpoints,
                Options.defaults().checkpointEvery().toMinutes(), sparseObjects * monthWrites + cpObjects * monthCheckpoints,
                sparseRequests * monthWrites + cpRequests * monthCheckpoints));
        verdicts.add(String.format(Locale.ROOT, "archive: %,.0f objects and %,.0f requests per 1M statements at %,d writes/s; at 1 write/s "
                + "%,.0f objects and %,.0f requests a month (no target).", perStatementObjects * 1e6, perStatementRequests * 1e6, RATE,
                sparseObjects * monthWrites + cpObjects * monthCheckpoints, sparseRequests * monthWrites + cpRequests * monthCheckpoints));
        return new ScenarioResult(NAME, s, md.toString(), verdicts);
    }

    private static double once(List<Sample> samples, String side, String variant, String metric) {
        return samples.stream().filter(x -> x.round() == 0 && x.side().equals(side) && x.variant().equals(variant) && x.metric().equals(metric))
                .mapToDouble(Sample::value).findFirst().orElse(Double.NaN);
    }
}
