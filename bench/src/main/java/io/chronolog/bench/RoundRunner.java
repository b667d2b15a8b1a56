package io.chronolog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Runs one side for one round in a fresh directory: opens, inserts from its threads while timing
 * each insert, checks the row count, closes and deletes the directory. Opening and closing are
 * outside the measured time. Not thread-safe; one round at a time.
 */
final class RoundRunner {
    private final Path workDir;

    RoundRunner(Path workDir) {
        this.workDir = workDir;
    }

    RoundResult run(String scenario, Side side, int round) throws Exception {
        Path dir = Files.createTempDirectory(workDir, scenario + "-r" + round + "-");
        try {
            long[][] latencies = new long[side.threads()][side.perThread()];
            long nanos;
            String notes;
            try (InsertTarget target = side.factory().open(dir)) {
                nanos = side.threads() == 1 ? insertAll(target, round, 0, latencies[0], null) : concurrently(target, side, round, latencies);
                long rows = target.count();
                if (rows != side.inserts()) {
                    throw new IllegalStateException(scenario + " round " + round + " " + side.name() + ": expected="
                            + side.inserts() + " rows actual=" + rows);
                }
                notes = target.notes();
            }
            return new RoundResult(scenario, side, round, nanos, Stats.pooledSorted(Arrays.asList(latencies)), notes);
        } finally {
            deleteTree(dir);
        }
    }

    /** Inserts {@code latency.length} rows, recording each insert's time; returns the elapsed nanoseconds. */
    private static long insertAll(InsertTarget target, int round, int thread, long[] latency, CountDownLatch start)
            throws Exception {
        if (start != null) {
            start.await();
        }
        String prefix = "r" + round + "-t" + thread + "-";
        long begin = System.nanoTime();
        for (int i = 0; i < latency.length; i++) {
            long t0 = System.nanoTime();
            target.insert(prefix + i, i);
            latency[i] = System.nanoTime() - t0;
        }
        return System.nanoTime() - begin;
    }

    /** All threads start together; the time is from the start signal until the last thread is done. */
    private static long concurrently(InsertTarget target, Side side, int round, long[][] latencies) throws Exception {
        CountDownLatch ready = new CountDownLatch(side.threads());
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < side.threads(); t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                ready.countDown();
                try {
                    insertAll(target, round, thread, latencies[thread], start);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-writer-" + t);
            threads.add(th);
            th.start();
        }
        ready.await();
        long begin = System.nanoTime();
        start.countDown();
        for (Thread th : threads) {
            th.join();
        }
        long nanos = System.nanoTime() - begin;
        if (failure.get() != null) {
            throw new IllegalStateException(side.name() + " round " + round + ": a writer failed: " + failure.get(), failure.get());
        }
        return nanos;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
