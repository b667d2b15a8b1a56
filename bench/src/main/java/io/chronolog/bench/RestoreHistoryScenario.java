package io.chronolog.bench;

import io.chronolog.engine.RestoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code restore-history}: restore time against history length alone. Histories of 10k, 100k and
 * 1M upserts over a fixed set of {@value History#KEYS} keys (with {@code --large} also 10M; quick:
 * 10k, 50k), so the database keeps the same size while the log grows; each built once
 * ({@link History}). Every round restores each to its bookmark {@value History#DISTANCE}
 * statements after a checkpoint and checks {@code count(*), sum(v)}. Peer: plain sqlite-jdbc
 * re-executing, in one transaction into a fresh WAL file, every statement of the log up to the
 * same bookmark (generated as the history generated them: the floor of a full replay, which is
 * what a statement log without checkpoints costs). Breakdown: a restore to a checkpoint with
 * nothing to replay, and the snapshot module's extract of the checkpoint the restore starts from.
 */
final class RestoreHistoryScenario implements MeasuredScenario {
    static final String NAME = "restore-history";
    static final double FLAT_TARGET = 1.2;
    static final String RESTORE = "chronolog restore";
    static final String REPLAY = "sqlite full replay";
    static final String EXTRACT = "checkpoint extract";
    static final String NO_REPLAY = "chronolog restore, no replay";

    @Override
    public String name() {
        return NAME;
    }

    static int[] sizes(boolean quick, boolean large) {
        if (quick) {
            return new int[] {10_000, 50_000};
        }
        return large ? new int[] {10_000, 100_000, 1_000_000, 10_000_000} : new int[] {10_000, 100_000, 1_000_000};
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        int[] sizes = sizes(context.quick(), context.large());
        List<Sample> samples = new ArrayList<>();
        Map<Integer, History> histories = new LinkedHashMap<>();
        Map<Integer, CheckpointFloor> floors = new LinkedHashMap<>();
        try {
            for (int n : sizes) {
                History h = context.histories().get(n);
                histories.put(n, h);
                String v = variant(n);
                samples.add(new Sample(NAME, 0, RESTORE, v, "build_s", h.buildSeconds));
                samples.add(new Sample(NAME, 0, RESTORE, v, "live_bytes", Files.size(h.db.directory().resolve("live.sqlite3"))));
                samples.add(new Sample(NAME, 0, RESTORE, v, "log_bytes", h.db.logBytes()));
                samples.add(new Sample(NAME, 0, RESTORE, v, "frames", h.lastPosition));
                samples.add(new Sample(NAME, 0, RESTORE, v, "frames_to_replay", h.target.offset()));
                if (h.target.checkpoint() > 0) {
                    CheckpointFloor floor = CheckpointFloor.copyOf(h.db.directory(), h.target.checkpoint(),
                            context.freshDirectory("floor-" + n));
                    floors.put(n, floor);
                    samples.add(new Sample(NAME, 0, RESTORE, v, "checkpoint_raw_bytes", floor.meta().rawSize()));
                }
            }
            // Warm-up: one restore per size, one replay of the smallest.
            for (int n : sizes) {
                restore(histories.get(n));
                restoreNoReplay(histories.get(n));
            }
            replay(context, histories.get(sizes[0]));
            for (int round = 1; round <= context.rounds(); round++) {
                for (int i = 0; i < sizes.length; i++) {
                    int n = sizes[round % 2 == 1 ? i : sizes.length - 1 - i];
                    History h = histories.get(n);
                    String v = variant(n);
                    double restoreMs;
                    double replayMs;
                    if (round % 2 == 1) {
                        restoreMs = restore(h);
                        replayMs = replay(context, h);
                    } else {
                        replayMs = replay(context, h);
                        restoreMs = restore(h);
                    }
                    double noReplayMs = restoreNoReplay(h);
                    samples.add(new Sample(NAME, round, RESTORE, v, "ms", restoreMs));
                    samples.add(new Sample(NAME, round, NO_REPLAY, v, "ms", noReplayMs));
                    samples.add(new Sample(NAME, round, REPLAY, v, "ms", replayMs));
                    String extract = "";
                    CheckpointFloor floor = floors.get(n);
                    if (floor != null) {
                        double ms = floor.extractNanos(context.work().resolve("extract-" + n + ".tmp"), true) / 1e6;
                        samples.add(new Sample(NAME, round, EXTRACT, v, "ms", ms));
                        extract = String.format(Locale.ROOT, "  extract %7.1f ms", ms);
                    }
                    BenchContext.progress("%s round %d/%d %,9d statements: restore %7.1f ms  full replay %8.1f ms  no-replay restore %7.1f ms%s",
                            NAME, round, context.rounds(), n, restoreMs, replayMs, noReplayMs, extract);
                }
            }
        } finally {
            for (CheckpointFloor f : floors.values()) {
                f.close();
            }
        }
        return report(sizes, samples);
    }

    static String variant(int statements) {
        return Fmt.count(statements) + " statements";
    }

    /** One timed restore to the history's target, then the state check. */
    private static double restore(History h) {
        long t0 = System.nanoTime();
        RestoreResult rr = h.db.restore(h.target);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (rr.bookmark().epoch() <= h.target.epoch()) {
            throw new IllegalStateException("restore to " + h.target + " did not open a new epoch: " + rr.bookmark());
        }
        h.check(h.target, h.targetStatements);
        return ms;
    }

    /** One timed restore to the last checkpoint's marker (nothing to replay), then the state check. */
    private static double restoreNoReplay(History h) {
        long t0 = System.nanoTime();
        h.db.restore(h.atCheckpoint);
        double ms = (System.nanoTime() - t0) / 1e6;
        h.check(h.atCheckpoint, h.statements);
        return ms;
    }

    /**
     * Plain sqlite-jdbc, fresh WAL file (synchronous=NORMAL, as the live file), the schema and the
     * first {@link History#targetStatements} upserts of the log in one transaction, one prepared
     * statement. Timed from open to commit; then the state check.
     */
    private static double replay(BenchContext context, History h) throws Exception {
        Path dir = context.freshDirectory("replay-" + h.statements);
        try {
            long t0 = System.nanoTime();
            double ms;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("replay.sqlite3"))) {
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("PRAGMA journal_mode=WAL");
                    st.execute("PRAGMA synchronous=NORMAL");
                }
                c.setAutoCommit(false);
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute(History.SCHEMA);
                }
                try (PreparedStatement upsert = c.prepareStatement(History.UPSERT)) {
                    for (int i = 0; i < h.targetStatements; i++) {
                        upsert.setLong(1, History.key(i));
                        upsert.setLong(2, i);
                        upsert.executeUpdate();
                    }
                }
                c.commit();
                ms = (System.nanoTime() - t0) / 1e6;
                try (java.sql.Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(v), 0) FROM h")) {
                    rs.next();
                    History.checkCounts("sqlite full replay of " + h.statements, h.targetStatements, rs.getLong(1), rs.getLong(2));
                }
            }
            return ms;
        } finally {
            RoundRunner.deleteTree(dir);
        }
    }

    private static ScenarioResult report(int[] sizes, List<Sample> samples) {
        StringBuilder md = new StringBuilder();
        md.append("Histories of upserts over ").append(Fmt.count(History.KEYS)).append(" keys (the database stays the same size "
                + "while the log grows), a checkpoint every ").append(Fmt.count(History.CHECKPOINT_EVERY)).append(" statements by "
                + "`db.checkpoint()` (`background(false)`, built with ASYNC from ").append(History.WRITERS).append(" writer threads). "
                + "Restore to the bookmark ").append(Fmt.count(History.DISTANCE)).append(" statements after a checkpoint, against a "
                + "plain sqlite-jdbc replay of the whole log up to the same bookmark in one transaction. "
                + "Times in ms, median (min-max) over the rounds.\n\n");
        md.append("| history | log | live file | frames replayed | Chronolog restore ms | full replay ms | replay/restore "
                + "| breakdown: restore to a checkpoint (no replay) ms | breakdown: checkpoint extract ms | build s |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int n : sizes) {
            String v = variant(n);
            double[] restore = Sample.values(samples, RESTORE, v, "ms");
            double[] replay = Sample.values(samples, REPLAY, v, "ms");
            double[] extract = Sample.values(samples, EXTRACT, v, "ms");
            double[] noReplay = Sample.values(samples, NO_REPLAY, v, "ms");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.1fx | %s | %s | %.0f |%n", v,
                    Fmt.mb((long) once(samples, v, "log_bytes")), Fmt.mb((long) once(samples, v, "live_bytes")),
                    Fmt.count((long) once(samples, v, "frames_to_replay")), Fmt.medianRange(restore, 1), Fmt.medianRange(replay, 1),
                    Stats.median(replay) / Stats.median(restore), Fmt.medianRange(noReplay, 1),
                    extract.length == 0 ? "(target before the first checkpoint)" : Fmt.medianRange(extract, 1),
                    once(samples, v, "build_s")));
        }
        double smallest = Stats.median(Sample.values(samples, RESTORE, variant(sizes[0]), "ms"));
        double largest = Stats.median(Sample.values(samples, RESTORE, variant(sizes[sizes.length - 1]), "ms"));
        double ratio = largest / smallest;
        List<String> verdicts = new ArrayList<>();
        verdicts.add(String.format(Locale.ROOT, "restore-history: restore at %s / at %s = %.2fx (%.1f ms vs %.1f ms): target flat within %.1fx %s.",
                variant(sizes[sizes.length - 1]), variant(sizes[0]), ratio, largest, smallest, FLAT_TARGET, Fmt.verdict(ratio <= FLAT_TARGET)));
        double replayLargest = Stats.median(Sample.values(samples, REPLAY, variant(sizes[sizes.length - 1]), "ms"));
        verdicts.add(String.format(Locale.ROOT, "restore-history: at %s a full replay takes %.0f ms, %.1fx the restore.",
                variant(sizes[sizes.length - 1]), replayLargest, replayLargest / largest));
        for (int n : new int[] {sizes[0], sizes[sizes.length - 1]}) {
            String v = variant(n);
            double restore = Stats.median(Sample.values(samples, RESTORE, v, "ms"));
            double noReplay = Stats.median(Sample.values(samples, NO_REPLAY, v, "ms"));
            verdicts.add(String.format(Locale.ROOT, "restore-history: at %s, %.0f of the %.0f ms are spent without replaying anything "
                    + "(a restore to a checkpoint: extract, digest, store the image as the new epoch's checkpoint, copy into the live file); "
                    + "replaying the %s frames accounts for the other ~%.0f ms.", v, noReplay, restore,
                    Fmt.count((long) once(samples, v, "frames_to_replay")), restore - noReplay));
        }
        return new ScenarioResult(NAME, samples, md.toString(), verdicts);
    }

    /** A once-per-run figure (round 0) of a variant. */
    static double once(List<Sample> samples, String variant, String metric) {
        return samples.stream().filter(s -> s.round() == 0 && s.variant().equals(variant) && s.metric().equals(metric))
                .mapToDouble(Sample::value).findFirst().orElse(Double.NaN);
    }
}
