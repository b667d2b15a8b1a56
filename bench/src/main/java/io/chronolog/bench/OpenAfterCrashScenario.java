package io.chronolog.bench;

import io.chronolog.engine.Database;
import io.chronolog.engine.Durability;
import io.chronolog.engine.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code open-after-crash}: time of {@link Database#open} when the log holds N frames that the
 * live file does not (N = 0, then two larger counts), and the frames it replays. No peer.
 *
 * <p>The state is built without a crash, so that N is exact: a database gets {@link #BASE} rows
 * and is closed; its live file is copied aside; it is reopened, N more rows go in, and it is
 * closed; then the live file is put back to the copy (its {@code -wal} and {@code -shm} removed).
 * The log is then N frames ahead of the live file, as after a crash between a group's append and
 * its SQLite commit, only with more frames. Each round opens a fresh copy of that directory; open
 * must report N frames replayed and the table must hold {@code BASE + N} rows.
 */
final class OpenAfterCrashScenario implements MeasuredScenario {
    static final String NAME = "open-after-crash";
    static final int BASE = 1_000;
    static final String LIVE = "live.sqlite3";
    static final String SIDE = "chronolog open";

    @Override
    public String name() {
        return NAME;
    }

    static int[] pending(boolean quick) {
        return quick ? new int[] {0, 1_000, 10_000} : new int[] {0, 10_000, 100_000};
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        int rounds = context.rounds();
        List<Sample> samples = new ArrayList<>();
        List<Path> templates = new ArrayList<>();
        try {
            int[] counts = pending(context.quick());
            for (int n : counts) {
                long t0 = System.nanoTime();
                templates.add(template(context, n));
                samples.add(new Sample(NAME, 0, SIDE, variant(n), "build_ms", (System.nanoTime() - t0) / 1e6));
            }
            open(context, templates.get(counts.length - 1), counts[counts.length - 1]); // warm-up
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < counts.length; i++) {
                    int at = round % 2 == 1 ? i : counts.length - 1 - i;
                    double ms = open(context, templates.get(at), counts[at]);
                    samples.add(new Sample(NAME, round, SIDE, variant(counts[at]), "open_ms", ms));
                    samples.add(new Sample(NAME, round, SIDE, variant(counts[at]), "frames_replayed", counts[at]));
                    BenchContext.progress("%s round %d/%d: %,d pending frames, open %.1f ms", NAME, round, rounds, counts[at], ms);
                }
            }
            return report(samples, counts, rounds);
        } finally {
            for (Path t : templates) {
                RoundRunner.deleteTree(t.getParent());
            }
        }
    }

    static String variant(int n) {
        return Fmt.count(n) + " pending frames";
    }

    private static Options options() {
        return Options.builder().durability(Durability.ASYNC).background(false).build();
    }

    /** A closed database whose log is {@code n} frames ahead of its live file. */
    private static Path template(BenchContext context, int n) throws IOException {
        Path db = context.freshDirectory(NAME + "-template-" + n).resolve("bench");
        Path saved = db.getParent().resolve("live-before.sqlite3");
        try (Database d = Database.open(db, options())) {
            d.execute(ChronologTarget.SCHEMA);
            for (int i = 0; i < BASE; i++) {
                d.execute(ChronologTarget.INSERT, "base-" + i, i);
            }
        }
        Files.copy(db.resolve(LIVE), saved);
        try (Database d = Database.open(db, options())) {
            for (int i = 0; i < n; i++) {
                d.execute(ChronologTarget.INSERT, "pending-" + i, i);
            }
        }
        Files.deleteIfExists(db.resolve(LIVE + "-wal"));
        Files.deleteIfExists(db.resolve(LIVE + "-shm"));
        Files.move(saved, db.resolve(LIVE), StandardCopyOption.REPLACE_EXISTING);
        return db;
    }

    /** Opens a fresh copy of {@code template}, checks what open replayed and the row count; the open time in ms. */
    private static double open(BenchContext context, Path template, int n) throws IOException {
        Path copy = context.freshDirectory(NAME + "-open").resolve("bench");
        try {
            copyTree(template, copy);
            long t0 = System.nanoTime();
            try (Database d = Database.open(copy, options())) {
                double ms = (System.nanoTime() - t0) / 1e6;
                if (d.framesReplayedAtOpen() != n) {
                    throw new IllegalStateException(NAME + ": frames replayed at open expected=" + n + " actual=" + d.framesReplayedAtOpen());
                }
                long rows = d.query("SELECT count(*) FROM t").get(0).getLong(0);
                if (rows != BASE + n) {
                    throw new IllegalStateException(NAME + ": rows after open expected=" + (BASE + n) + " actual=" + rows);
                }
                return ms;
            }
        } finally {
            RoundRunner.deleteTree(copy.getParent());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static ScenarioResult report(List<Sample> samples, int[] counts, int rounds) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "A database of %,d rows whose log is N frames (single-row INSERTs) ahead of its live file, "
                + "built by putting back a copy of the live file taken before the N inserts (the state a crash between a group's "
                + "append and its commit leaves, with more frames). `Durability.ASYNC`, `background(false)`, no checkpoint. Each round "
                + "opens a fresh copy of the directory; open must report N frames replayed and the table must hold %,d + N rows. "
                + "Open time, median (min-max) over %d rounds (the first open in the process, unmeasured, warms up).%n%n",
                BASE, BASE, rounds));
        md.append("| frames pending | frames replayed at open | open ms | µs per replayed frame |\n|---:|---:|---:|---:|\n");
        double zero = Stats.median(Sample.values(samples, SIDE, variant(0), "open_ms"));
        for (int n : counts) {
            double[] ms = Sample.values(samples, SIDE, variant(n), "open_ms");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", Fmt.count(n), Fmt.count(n), Fmt.medianRange(ms, 1),
                    n == 0 ? "" : Fmt.number((Stats.median(ms) - zero) * 1e3 / n, 1)));
        }
        int largest = counts[counts.length - 1];
        double big = Stats.median(Sample.values(samples, SIDE, variant(largest), "open_ms"));
        List<String> verdicts = List.of(String.format(Locale.ROOT,
                "open-after-crash: a clean open takes %.1f ms; with %,d frames to replay %.1f ms (no target in the issue; no peer).",
                zero, largest, big));
        return new ScenarioResult(NAME, samples, md.toString(), verdicts);
    }
}
