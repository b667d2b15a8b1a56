package io.chronolog.bench;

import io.chronolog.engine.Database;
import io.chronolog.engine.Durability;
import io.chronolog.engine.Options;
import io.chronolog.engine.Result;
import io.chronolog.engine.Row;
import io.chronolog.engine.Statement;
import io.chronolog.wal.Bookmark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Chronolog database with a history of {@code n} single-row INSERTs, built once per run and
 * shared by the scenarios that read it ({@code restore-history}, {@code bookmark-at}).
 *
 * <p>Built with {@link Durability#ASYNC} and {@code background(false)}: the build calls
 * {@link Database#checkpoint()} itself after every {@value #CHECKPOINT_EVERY} inserts, so every
 * history has its checkpoints at the same places. The restore target is the bookmark of insert
 * {@code n - }{@value #DISTANCE}: {@value #DISTANCE} inserts after a checkpoint (plus its marker
 * frame), so a restore replays the same number of frames at every size; {@link #atCheckpoint}, the
 * last checkpoint's marker, is a target with nothing to replay. Restores leave the
 * history intact (they add epochs; old bookmarks stay valid), so rounds reuse it.
 * Not thread-safe.
 */
final class History implements AutoCloseable {
    static final int CHECKPOINT_EVERY = 10_000;
    static final int DISTANCE = 5_000;

    final int inserts;
    final Path directory;
    final Database db;
    /** Every statement the history ran, schema first, in order: what a full replay re-executes. */
    final List<Statement> statements;
    final Bookmark target;
    /** Rows {@code t} holds at {@link #target}. */
    final int targetRows;
    /** The bookmark of the last checkpoint's marker frame: a restore there replays nothing; {@code t} holds every insert. */
    final Bookmark atCheckpoint;
    /** Position of the history's last frame (later frames are restores made by the scenarios). */
    final long lastPosition;
    final double buildSeconds;
    final int checkpoints;

    private History(int inserts, Path directory, Database db, List<Statement> statements, Bookmark target, int targetRows,
            Bookmark atCheckpoint, long lastPosition, double buildSeconds, int checkpoints) {
        this.inserts = inserts;
        this.directory = directory;
        this.db = db;
        this.statements = statements;
        this.target = target;
        this.targetRows = targetRows;
        this.atCheckpoint = atCheckpoint;
        this.lastPosition = lastPosition;
        this.buildSeconds = buildSeconds;
        this.checkpoints = checkpoints;
    }

    static History build(Path directory, int inserts) {
        if (inserts <= DISTANCE || inserts % CHECKPOINT_EVERY != 0) {
            throw new IllegalArgumentException("a history needs a multiple of " + CHECKPOINT_EVERY + " inserts, got " + inserts);
        }
        List<Statement> statements = new ArrayList<>(inserts + 1);
        statements.add(Statement.of(ChronologTarget.SCHEMA));
        for (int i = 0; i < inserts; i++) {
            statements.add(Statement.of(ChronologTarget.INSERT, "h" + i, (long) i));
        }
        long begin = System.nanoTime();
        Database db = Database.open(directory.resolve("history"),
                Options.builder().durability(Durability.ASYNC).background(false).build());
        try {
            Bookmark target = null;
            int targetRows = inserts - DISTANCE;
            int checkpoints = 0;
            db.batch(List.of(statements.get(0)));
            for (int i = 1; i <= inserts; i++) {
                Result r = db.batch(List.of(statements.get(i))).get(0);
                if (i == targetRows) {
                    target = r.bookmark();
                }
                if (i % CHECKPOINT_EVERY == 0 && db.checkpoint().isPresent()) {
                    checkpoints++;
                }
                if (i % 100_000 == 0) {
                    BenchContext.progress("history %,d: %,d inserts", inserts, i);
                }
            }
            Bookmark atCheckpoint = db.bookmark();
            long last = db.positionOf(atCheckpoint);
            History h = new History(inserts, directory, db, Collections.unmodifiableList(statements), target, targetRows, atCheckpoint, last,
                    (System.nanoTime() - begin) / 1e9, checkpoints);
            h.check(db.bookmark(), inserts);
            return h;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Fails unless {@code t} holds exactly the first {@code rows} inserts: count and sum(v). */
    void check(Bookmark at, int rows) {
        Row row = db.query("SELECT count(*), coalesce(sum(v), 0) FROM t").get(0);
        checkCounts("chronolog " + at, rows, row.getLong(0), row.getLong(1));
    }

    static void checkCounts(String what, long rows, long count, long sum) {
        long expectedSum = rows * (rows - 1) / 2;
        if (count != rows || sum != expectedSum) {
            throw new IllegalStateException(what + ": wrong state: expected count=" + rows + " sum(v)=" + expectedSum
                    + " actual count=" + count + " sum(v)=" + sum);
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
