package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers and readers run while another thread takes checkpoints and backups and restores to
 * bookmarks (and backups) taken during the run. Each writer inserts unique ids, one row into each
 * of two tables per write, and records each acknowledged write's bookmark. A watchdog fails the
 * test with a thread dump when nothing progresses for 20 seconds. Afterwards the table must hold
 * exactly the acknowledged writes the restore history keeps: walking back from the last frame,
 * the frames after the latest restore, then, from that restore's target, the frames after the
 * restore before it, and so on. Readers see either a consistent snapshot (both tables agree) or
 * the documented "was restored while it ran" error.
 *
 * <p>Seed: {@code -Dchronolog.concurrency.seed=S}; {@code -Dchronolog.soak=true} runs two minutes.
 */
class RestoreConcurrencyIT {
    private static final long STALL_MILLIS = 20_000;

    @TempDir
    Path tmp;

    /** An acknowledged insert of {@code id} whose frame is {@code bookmark}. */
    private record Ack(long id, Bookmark bookmark) {
    }

    /** A restore as its caller saw it: the frame it appended and the frame it went back to. */
    private record Restore(Bookmark frame, Bookmark target) {
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong progress = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong cancelledReads = new AtomicLong();
    private final AtomicLong checkpoints = new AtomicLong();
    private final AtomicLong backups = new AtomicLong();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final List<Restore> restores = new CopyOnWriteArrayList<>();

    @Test
    void writersReadersCheckpointsBackupsAndRestoresLoseAndDuplicateNothing() throws Exception {
        long seed = Long.getLong("chronolog.concurrency.seed", System.nanoTime());
        System.out.println("RestoreConcurrencyIT seed=" + seed + " (rerun with -Dchronolog.concurrency.seed=" + seed + ")");
        long runMillis = ReliabilityReport.soak() ? 120_000 : 12_000;
        int writers = 4;
        int readers = 2;
        Path dir = tmp.resolve("conc");
        List<List<Ack>> acks = new ArrayList<>();
        try (Database db = Database.open(dir, Options.builder().background(false).build())) {
            db.batch(List.of(Statement.of("CREATE TABLE a(id INTEGER PRIMARY KEY, w INTEGER NOT NULL)"),
                    Statement.of("CREATE TABLE b(id INTEGER PRIMARY KEY)")));
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                List<Ack> mine = Collections.synchronizedList(new ArrayList<>());
                acks.add(mine);
                int writer = w;
                threads.add(thread("writer-" + w, () -> write(db, writer, mine)));
            }
            for (int r = 0; r < readers; r++) {
                threads.add(thread("reader-" + r, () -> read(db)));
            }
            threads.add(thread("admin", () -> administer(db, acks, new SplittableRandom(seed))));
            threads.forEach(Thread::start);
            watch(runMillis, threads);
            if (!failures.isEmpty()) {
                AssertionError e = new AssertionError("seed " + seed + ": " + failures.size() + " thread(s) failed, first: " + failures.peek());
                failures.forEach(e::addSuppressed);
                throw e;
            }

            long last = db.positionOf(db.bookmark());
            Set<Long> expected = survivors(db, acks, last);
            Set<Long> inA = ids(db, "a");
            Set<Long> inB = ids(db, "b");
            long acknowledged = acks.stream().mapToLong(List::size).sum();
            assertEquals(inA.size(), db.query("SELECT count(*) FROM a").get(0).getLong(0), "seed " + seed + ": duplicated ids");
            Set<Long> missing = new TreeSet<>(expected);
            missing.removeAll(inA);
            Set<Long> extra = new TreeSet<>(inA);
            extra.removeAll(expected);
            assertTrue(missing.isEmpty() && extra.isEmpty(), "seed " + seed + ": acknowledged writes lost=" + missing.size()
                    + " " + first(missing) + ", rows the restore history does not keep=" + extra.size() + " " + first(extra));
            assertEquals(inA, inB, "seed " + seed + ": the two tables of one write disagree");
            VerifyReport report = db.verify();
            assertTrue(report.ok(), "seed " + seed + ": verify: " + report.problems());
            assertTrue(restores.size() > 0, "seed " + seed + ": no restore ran");
            ReliabilityReport.write("RestoreConcurrencyIT", "seed=" + seed + " seconds=" + runMillis / 1000 + " writers=" + writers
                    + " readers=" + readers + " acknowledged_writes=" + acknowledged + " surviving=" + expected.size()
                    + " restores=" + restores.size() + " checkpoints=" + checkpoints + " backups=" + backups
                    + " reads=" + reads + " reads_cancelled_by_restore=" + cancelledReads
                    + " acknowledged_writes_lost=0 duplicated=0 deadlocks=0 final_table_compared_with_restore_history=1");
        }
        try (Database db = Database.open(dir, Options.builder().background(false).build())) {
            assertEquals(survivors(db, acks, db.positionOf(db.bookmark())), ids(db, "a"), "seed " + seed + ": after a reopen");
        }
    }

    private Thread thread(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(e);
                running.set(false);
            }
        }, "restore-concurrency-" + name);
        t.setDaemon(true);
        return t;
    }

    private void write(Database db, int writer, List<Ack> mine) {
        for (long i = 0; running.get(); i++) {
            long id = writer * 1_000_000_000L + i;
            Bookmark b = db.batch(List.of(Statement.of("INSERT INTO a(id, w) VALUES (?, ?)", id, (long) writer),
                    Statement.of("INSERT INTO b(id) VALUES (?)", id))).get(0).bookmark();
            mine.add(new Ack(id, b));
            progress.incrementAndGet();
        }
    }

    private void read(Database db) {
        while (running.get()) {
            try {
                Row r = db.query("SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b)").get(0);
                assertEquals(r.getLong(0), r.getLong(1), "a reader saw one write half applied");
                reads.incrementAndGet();
            } catch (SqlException e) {
                if (!e.getMessage().contains("was restored while it ran")) {
                    throw e;
                }
                cancelledReads.incrementAndGet();
            }
            progress.incrementAndGet();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // leave the two cores to the writers too
        }
    }

    private void administer(Database db, List<List<Ack>> acks, SplittableRandom random) {
        List<BackupInfo> taken = new ArrayList<>();
        // a bounded number in CI: each restore, checkpoint and backup is a stored image the final verify reads
        int budget = ReliabilityReport.soak() ? Integer.MAX_VALUE : 60;
        for (int done = 0; running.get(); done++) {
            if (done >= budget) {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                continue;
            }
            int action = random.nextInt(10);
            if (action < 3) {
                db.checkpoint();
                checkpoints.incrementAndGet();
            } else if (action < 5) {
                taken.add(db.backups().create());
                backups.incrementAndGet();
            } else if (action < 6 && !taken.isEmpty()) {
                BackupInfo backup = taken.get(random.nextInt(taken.size()));
                restores.add(new Restore(db.backups().restore(backup.id()).bookmark(), backup.bookmark()));
            } else {
                List<Ack> pool = acks.get(random.nextInt(acks.size()));
                Bookmark target;
                synchronized (pool) {
                    if (pool.isEmpty()) {
                        continue;
                    }
                    target = pool.get(random.nextInt(pool.size())).bookmark();
                }
                restores.add(new Restore(db.restore(target).bookmark(), target));
            }
            progress.incrementAndGet();
            java.util.concurrent.locks.LockSupport.parkNanos(random.nextInt(50_000_000));
        }
    }

    /** Runs for {@code millis}, failing with a thread dump if no thread makes progress for {@value #STALL_MILLIS} ms. */
    private void watch(long millis, List<Thread> threads) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        long seen = -1;
        long since = System.currentTimeMillis();
        while (running.get() && System.currentTimeMillis() < end) {
            Thread.sleep(250); // wall-clock pacing of the watchdog itself, not of the behaviour under test
            long now = progress.get();
            if (now != seen) {
                seen = now;
                since = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - since > STALL_MILLIS) {
                running.set(false);
                fail("no progress for " + STALL_MILLIS / 1000 + " s: deadlock?\n" + threadDump());
            }
        }
        running.set(false);
        for (Thread t : threads) {
            t.join(STALL_MILLIS);
            if (t.isAlive()) {
                fail(t.getName() + " did not finish within " + STALL_MILLIS / 1000 + " s of the stop: deadlock?\n" + threadDump());
            }
        }
    }

    private static String threadDump() {
        StringBuilder sb = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            sb.append(info);
        }
        return sb.toString();
    }

    /**
     * The ids the restore history keeps, from the bookmarks alone: walking back from frame
     * {@code last}, every write after the latest restore at or before the current point survives,
     * then the walk continues from that restore's target.
     */
    private Set<Long> survivors(Database db, List<List<Ack>> acks, long last) {
        TreeMap<Long, Long> restoreTargets = new TreeMap<>(); // restore frame position -> target position
        for (Restore r : restores) {
            restoreTargets.put(db.positionOf(r.frame()), db.positionOf(r.target()));
        }
        List<long[]> kept = new ArrayList<>(); // (from, to] intervals of positions whose writes survive
        long hi = last;
        while (true) {
            var restore = restoreTargets.floorEntry(hi);
            if (restore == null) {
                kept.add(new long[] {0, hi});
                break;
            }
            kept.add(new long[] {restore.getKey(), hi});
            hi = restore.getValue();
        }
        Set<Long> out = new TreeSet<>();
        // frames of one checkpoint are numbered from one base: read it once per checkpoint, not once per write
        Map<String, Long> bases = new HashMap<>();
        for (List<Ack> mine : acks) {
            for (Ack a : mine) {
                Bookmark b = a.bookmark();
                long p = bases.computeIfAbsent(b.epoch() + "/" + b.checkpoint(), k -> db.positionOf(b) - b.offset()) + b.offset();
                for (long[] k : kept) {
                    if (p > k[0] && p <= k[1]) {
                        out.add(a.id());
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static Set<Long> ids(Database db, String table) {
        Set<Long> out = new TreeSet<>();
        for (Row r : db.query("SELECT id FROM " + table)) {
            out.add(r.getLong(0));
        }
        return out;
    }

    private static String first(Set<Long> s) {
        return s.stream().limit(5).toList().toString();
    }
}
