package io.chronolog.bench;

import io.chronolog.engine.Bookmark;
import io.chronolog.engine.Database;
import io.chronolog.engine.Durability;
import io.chronolog.engine.Options;
import io.chronolog.engine.Result;
import io.chronolog.engine.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A Chronolog database with a history of {@code n} statements over a table of fixed size, built
 * once per run and shared by the scenarios that read it ({@code restore-history},
 * {@code bookmark-at}).
 *
 * <p>Statement {@code i} (0-based) is the upsert {@link #UPSERT} of key {@code i % }{@value #KEYS}
 * adding {@code i} to its value. The table therefore never holds more than {@value #KEYS} rows, so
 * the database size is the same for every history length: what grows is the log alone. The
 * upserts commute, so the state after any {@code m} of them is known without their order:
 * {@code count(*) = min(m, KEYS)} and {@code sum(v) = m(m-1)/2}; that is what every restore and
 * replay is checked against.
 *
 * <p>Built with {@link Durability#ASYNC} and {@code background(false)}. All but the last
 * {@value #TAIL} statements run in segments of {@value #CHECKPOINT_EVERY}, each from
 * {@link #WRITERS} threads at once (so group commit shares one SQLite transaction among several
 * frames: one frame per statement still), followed by a {@link Database#checkpoint()}: the
 * engine's default cadence of one checkpoint per 10,000 frames, at the same places in every
 * history. The last {@value #TAIL} run from one thread in order; the restore target
 * {@link #target} is the bookmark after statement {@code n - }{@value #DISTANCE}, so every restore
 * replays the same {@value #DISTANCE} frames (plus the checkpoint marker) whatever the history
 * length; {@link #atCheckpoint}, the final checkpoint's marker, is a target with nothing to
 * replay. Restores leave the history intact (they add epochs; old bookmarks stay valid), so rounds
 * reuse it. Not thread-safe.
 */
final class History implements AutoCloseable {
    static final int KEYS = 10_000;
    static final int CHECKPOINT_EVERY = 10_000;
    static final int DISTANCE = 5_000;
    static final int TAIL = 10_000;
    /** Writer threads of the build's concurrent segments (system property {@code chronolog.bench.history.writers}, default 8). */
    static final int WRITERS = Integer.getInteger("chronolog.bench.history.writers", 8);
    static final String SCHEMA = "CREATE TABLE h (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)";
    static final String UPSERT = "INSERT INTO h(k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = v + excluded.v";

    final int statements;
    final Path directory;
    final Database db;
    final Bookmark target;
    /** Statements applied at {@link #target}. */
    final int targetStatements;
    /** The bookmark of the last checkpoint's marker frame: a restore there replays nothing; every statement applied. */
    final Bookmark atCheckpoint;
    /** Position of the history's last frame (later frames are restores made by the scenarios). */
    final long lastPosition;
    final double buildSeconds;
    final int checkpoints;

    private History(int statements, Path directory, Database db, Bookmark target, int targetStatements, Bookmark atCheckpoint,
            long lastPosition, double buildSeconds, int checkpoints) {
        this.statements = statements;
        this.directory = directory;
        this.db = db;
        this.target = target;
        this.targetStatements = targetStatements;
        this.atCheckpoint = atCheckpoint;
        this.lastPosition = lastPosition;
        this.buildSeconds = buildSeconds;
        this.checkpoints = checkpoints;
    }

    /** Key of statement {@code i}. */
    static long key(long i) {
        return i % KEYS;
    }

    static History build(Path directory, int statements) throws Exception {
        if (statements < TAIL || statements % CHECKPOINT_EVERY != 0) {
            throw new IllegalArgumentException("a history needs a multiple of " + CHECKPOINT_EVERY + " statements (at least "
                    + TAIL + "), got " + statements);
        }
        long begin = System.nanoTime();
        Database db = Database.open(directory.resolve("history"),
                Options.builder().durability(Durability.ASYNC).background(false).maxGroupCommit(1_024).build());
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS, r -> {
            Thread t = new Thread(r, "history-writer");
            t.setDaemon(true);
            return t;
        });
        try {
            db.execute(SCHEMA);
            int checkpoints = 0;
            int bulk = statements - TAIL;
            long lastProgress = System.nanoTime();
            for (int from = 0; from < bulk; from += CHECKPOINT_EVERY) {
                segment(db, pool, from, from + CHECKPOINT_EVERY);
                if (db.checkpoint().isPresent()) {
                    checkpoints++;
                }
                if (System.nanoTime() - lastProgress > 30e9) {
                    lastProgress = System.nanoTime();
                    BenchContext.progress("history %,d: %,d statements, %.0f s", statements, from + CHECKPOINT_EVERY,
                            (lastProgress - begin) / 1e9);
                }
            }
            Bookmark target = null;
            int targetStatements = statements - DISTANCE;
            for (int i = bulk; i < statements; i++) {
                Result r = db.execute(UPSERT, key(i), (long) i);
                if (i + 1 == targetStatements) {
                    target = r.bookmark();
                }
            }
            if (db.checkpoint().isPresent()) {
                checkpoints++;
            }
            Bookmark atCheckpoint = db.bookmark();
            long last = db.positionOf(atCheckpoint);
            History h = new History(statements, directory, db, target, targetStatements, atCheckpoint, last,
                    (System.nanoTime() - begin) / 1e9, checkpoints);
            h.check(atCheckpoint, statements);
            return h;
        } catch (Exception | Error e) {
            db.close();
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Statements {@code [from, to)} from {@link #WRITERS} threads at once; returns when all are acknowledged. */
    private static void segment(Database db, ExecutorService pool, int from, int to) throws Exception {
        List<Future<?>> futures = new ArrayList<>(WRITERS);
        for (int w = 0; w < WRITERS; w++) {
            int first = from + w;
            futures.add(pool.submit(() -> {
                for (int i = first; i < to; i += WRITERS) {
                    db.execute(UPSERT, key(i), (long) i);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
    }

    /** Fails unless {@code h} holds exactly the state after the first {@code applied} statements: count and sum(v). */
    void check(Bookmark at, int applied) {
        Row row = db.query("SELECT count(*), coalesce(sum(v), 0) FROM h").get(0);
        checkCounts("chronolog " + at, applied, row.getLong(0), row.getLong(1));
    }

    static void checkCounts(String what, long applied, long count, long sum) {
        long expectedCount = Math.min(applied, KEYS);
        long expectedSum = applied * (applied - 1) / 2;
        if (count != expectedCount || sum != expectedSum) {
            throw new IllegalStateException(what + ": wrong state after " + applied + " statements: expected count=" + expectedCount
                    + " sum(v)=" + expectedSum + " actual count=" + count + " sum(v)=" + sum);
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
