package io.chronolog.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash loop: a child JVM runs a random mix of writes, batches, checkpoints, restores, backups,
 * backup restores and pruning on a moving clock, and is killed with SIGKILL again and again; after
 * every kill the reopened database must verify clean, hold every acknowledged write, equal the
 * oracle (the operation in flight either whole or not at all), and restore sampled bookmarks to the
 * oracle's state (see {@link CrashLoop}). 50 kills by default; {@code -Dchronolog.soak=true} runs
 * 1,000; {@code -Dchronolog.crashloop.kills=N} and {@code -Dchronolog.crashloop.seed=S} override.
 * The summary goes to stdout and to {@code target/reliability/crash-loop.txt}.
 */
class CrashLoopIT {
    @TempDir
    Path tmp;

    @Test
    void killedAgainAndAgainLosesNothingAcknowledged() throws Exception {
        int kills = Integer.getInteger("chronolog.crashloop.kills", Boolean.getBoolean("chronolog.soak") ? 1000 : 50);
        long seed = Long.getLong("chronolog.crashloop.seed", System.nanoTime());
        System.out.println("CrashLoopIT seed=" + seed + " kills=" + kills + " (rerun with -Dchronolog.crashloop.seed=" + seed + ")");
        CrashLoop loop = new CrashLoop(tmp, seed);
        boolean passed = false;
        try {
            loop.run(kills);
            passed = true;
        } finally {
            String line = (passed ? "" : "FAILED after ") + loop.summary().line();
            System.out.println(line);
            Path out = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target").resolve("reliability");
            Files.createDirectories(out);
            Files.writeString(out.resolve("crash-loop.txt"), line + "\n");
        }
    }
}
