package io.chronolog.bench;

import io.chronolog.engine.Database;
import io.chronolog.engine.Durability;
import io.chronolog.engine.Options;
import io.chronolog.engine.Row;
import io.chronolog.engine.Statement;
import io.chronolog.engine.CheckpointInfo;
import io.chronolog.engine.Bookmark;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import net.jpountz.lz4.LZ4Factory;

/**
 * {@code restore-size}: restore time and MB/s against database size (~10 MB, ~100 MB; ~1 GB with
 * {@code --large}; quick ~1 MB, ~10 MB). Each database is rows of ~1 KB blobs (half random
 * bytes, half a repeated word: LZ4 halves it), built with ASYNC in batches of 100 rows, with one
 * checkpoint at the end; every round restores to the bookmark just after that checkpoint (nothing
 * to replay) and checks {@code count(*), sum(v)}. Next to it, on the same bytes: a plain copy
 * with fsync of the database as one SQLite file (the checkpoint's image, extracted once: after a
 * restore {@code live.sqlite3} itself holds part of its pages in its {@code -wal}, so copying it
 * alone would copy less), LZ4 decompression alone of the checkpoint, and the snapshot module's
 * extract of it (decompress, CRC, write, fsync) ({@link CheckpointFloor}).
 */
final class RestoreSizeScenario implements MeasuredScenario {
    static final String NAME = "restore-size";
    static final double FLOOR_TARGET = 2.0;
    static final long LARGE_MIN_FREE = 20L << 30;
    static final int BLOB_BYTES = 1_000;
    static final int BATCH = 100;
    static final String RESTORE = "chronolog restore";
    static final String COPY = "file copy + fsync";
    static final String DECOMPRESS = "LZ4 decompress only";
    static final String EXTRACT = "checkpoint extract";
    static final String[] SIDES = {RESTORE, COPY, DECOMPRESS, EXTRACT};

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ScenarioResult run(BenchContext context) throws Exception {
        List<Integer> megabytes = new ArrayList<>(context.quick() ? List.of(1, 10) : List.of(10, 100));
        if (context.large()) {
            long free = Files.getFileStore(context.work()).getUsableSpace();
            if (free < LARGE_MIN_FREE) {
                throw new IllegalStateException("--large refused: the work dir " + context.work() + " has " + (free >> 30)
                        + " GiB free, under the 20 GiB a 1 GB restore-size run needs with its copies");
            }
            megabytes.add(1_000);
        }
        List<Sample> samples = new ArrayList<>();
        for (int mb : megabytes) {
            runSize(context, mb, samples);
        }
        return report(megabytes, samples);
    }

    static String variant(int mb) {
        return "~" + Fmt.count(mb) + " MB";
    }

    private static void runSize(BenchContext context, int mb, List<Sample> samples) throws Exception {
        String v = variant(mb);
        int rows = (int) (mb * 1_000_000L / (BLOB_BYTES + 100));
        Path dir = context.freshDirectory("size-" + mb);
        BenchContext.progress("%s: building %s (%,d rows of %,d-byte blobs)", NAME, v, rows, BLOB_BYTES);
        long begin = System.nanoTime();
        try (Database db = Database.open(dir.resolve("sized"), Options.builder().durability(Durability.ASYNC).background(false).build())) {
            db.execute("CREATE TABLE b (id INTEGER PRIMARY KEY, v INTEGER NOT NULL, payload BLOB NOT NULL)");
            SplittableRandom random = new SplittableRandom(mb);
            List<Statement> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < rows; i++) {
                batch.add(Statement.of("INSERT INTO b(v, payload) VALUES (?, ?)", (long) i, blob(random, i, BLOB_BYTES)));
                if (batch.size() == BATCH || i == rows - 1) {
                    db.batch(batch);
                    batch.clear();
                }
            }
            CheckpointInfo meta = db.checkpoint().orElseThrow(() -> new IllegalStateException("no checkpoint taken after the build"));
            Bookmark target = db.bookmark();
            double buildSeconds = (System.nanoTime() - begin) / 1e9;
            samples.add(new Sample(NAME, 0, RESTORE, v, "build_s", buildSeconds));
            samples.add(new Sample(NAME, 0, RESTORE, v, "raw_bytes", meta.rawBytes()));
            samples.add(new Sample(NAME, 0, RESTORE, v, "compressed_bytes", meta.compressedBytes()));
            BenchContext.progress("%s: %s built in %.1f s: image %s, compressed %s (%s)", NAME, v, buildSeconds, Fmt.mb(meta.rawBytes()),
                    Fmt.mb(meta.compressedBytes()), LZ4Factory.fastestInstance());
            check(db, target, rows);
            try (CheckpointFloor floor = CheckpointFloor.copyOf(db.directory(), meta.number(), context.freshDirectory("floor-" + mb))) {
                Path scratch = context.work().resolve("scratch-" + mb + ".tmp");
                Path plain = context.work().resolve("plain-" + mb + ".sqlite3");
                floor.extractNanos(plain, false);
                for (String side : SIDES) {
                    measure(side, db, target, rows, plain, floor, scratch);
                }
                for (int round = 1; round <= context.rounds(); round++) {
                    StringBuilder line = new StringBuilder();
                    for (int i = 0; i < SIDES.length; i++) {
                        String side = SIDES[round % 2 == 1 ? i : SIDES.length - 1 - i];
                        double ms = measure(side, db, target, rows, plain, floor, scratch) / 1e6;
                        samples.add(new Sample(NAME, round, side, v, "ms", ms));
                        samples.add(new Sample(NAME, round, side, v, "mb_per_s", meta.rawBytes() / 1e6 / (ms / 1e3)));
                        line.append(String.format(Locale.ROOT, "  %s %.1f ms", side, ms));
                    }
                    BenchContext.progress("%s round %d/%d %s:%s", NAME, round, context.rounds(), v, line);
                }
                Files.delete(plain);
            }
        } finally {
            RoundRunner.deleteTree(dir);
        }
    }

    /** One timed run of a side, its result checked; nanoseconds. */
    private static long measure(String side, Database db, Bookmark target, int rows, Path plain, CheckpointFloor floor, Path scratch)
            throws IOException {
        switch (side) {
            case RESTORE -> {
                long t0 = System.nanoTime();
                db.restore(target);
                long nanos = System.nanoTime() - t0;
                check(db, target, rows);
                return nanos;
            }
            case COPY -> {
                long t0 = System.nanoTime();
                Files.copy(plain, scratch);
                try (FileChannel ch = FileChannel.open(scratch, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                long nanos = System.nanoTime() - t0;
                long copied = Files.size(scratch);
                Files.delete(scratch);
                if (copied != Files.size(plain)) {
                    throw new IllegalStateException("file copy of " + plain + ": expected=" + Files.size(plain) + " bytes actual=" + copied);
                }
                return nanos;
            }
            case DECOMPRESS -> {
                return floor.decompressNanos();
            }
            case EXTRACT -> {
                return floor.extractNanos(scratch, true);
            }
            default -> throw new IllegalArgumentException(side);
        }
    }

    /** {@code size} bytes: the first half random, then a 16-byte word of the row repeated (LZ4 roughly halves it). */
    static byte[] blob(SplittableRandom random, long row, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size / 2; i += 8) {
            long x = random.nextLong();
            for (int j = 0; j < 8 && i + j < size / 2; j++) {
                b[i + j] = (byte) (x >>> (8 * j));
            }
        }
        for (int i = size / 2; i < size; i++) {
            b[i] = (byte) ((row >>> (8 * (i % 8))) + i % 16);
        }
        return b;
    }

    private static void check(Database db, Bookmark at, long rows) {
        Row r = db.query("SELECT count(*), coalesce(sum(v), 0), coalesce(sum(length(payload)), 0) FROM b").get(0);
        long expectedSum = rows * (rows - 1) / 2;
        if (r.getLong(0) != rows || r.getLong(1) != expectedSum || r.getLong(2) != rows * BLOB_BYTES) {
            throw new IllegalStateException("restore-size " + at + ": wrong state: expected count=" + rows + " sum(v)=" + expectedSum
                    + " bytes=" + rows * BLOB_BYTES + " actual count=" + r.getLong(0) + " sum(v)=" + r.getLong(1) + " bytes=" + r.getLong(2));
        }
    }

    private static ScenarioResult report(List<Integer> megabytes, List<Sample> samples) {
        StringBuilder md = new StringBuilder();
        md.append("Restore to the bookmark just after the only checkpoint (nothing to replay), against floors on the same bytes. "
                + "ms and MB/s (of the raw image), median (min-max) over the rounds.\n\n");
        md.append("| database | image (compressed) | Chronolog restore | file copy + fsync | LZ4 decompress only | checkpoint extract "
                + "| restore / copy | restore / extract | restore / decompress |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        List<String> verdicts = new ArrayList<>();
        for (int mb : megabytes) {
            String v = variant(mb);
            StringBuilder cells = new StringBuilder();
            for (String side : SIDES) {
                cells.append(String.format(Locale.ROOT, " %s ms, %s MB/s |", Fmt.medianRange(Sample.values(samples, side, v, "ms"), 0),
                        Fmt.number(Stats.median(Sample.values(samples, side, v, "mb_per_s")), 0)));
            }
            double restore = Stats.median(Sample.values(samples, RESTORE, v, "ms"));
            double copy = Stats.median(Sample.values(samples, COPY, v, "ms"));
            double decompress = Stats.median(Sample.values(samples, DECOMPRESS, v, "ms"));
            double extract = Stats.median(Sample.values(samples, EXTRACT, v, "ms"));
            long raw = (long) RestoreHistoryScenario.once(samples, v, "raw_bytes");
            long compressed = (long) RestoreHistoryScenario.once(samples, v, "compressed_bytes");
            md.append(String.format(Locale.ROOT, "| %s | %s (%s, %.2f) |%s %.1fx | %.1fx | %.1fx |%n", v, Fmt.mb(raw), Fmt.mb(compressed),
                    (double) compressed / raw, cells, restore / copy, restore / extract, restore / decompress));
            verdicts.add(String.format(Locale.ROOT, "restore-size at %s: restore %.0f ms = %.1fx the checkpoint extract (%.0f ms) and %.1fx "
                    + "the file copy (%.0f ms): target within %.0fx %s against the extract, %s against the copy; LZ4 decompression "
                    + "alone takes %.0f ms.", v, restore, restore / extract, extract, restore / copy, copy, FLOOR_TARGET,
                    Fmt.verdict(restore / extract <= FLOOR_TARGET), Fmt.verdict(restore / copy <= FLOOR_TARGET), decompress));
        }
        return new ScenarioResult(NAME, samples, md.toString(), verdicts);
    }
}
