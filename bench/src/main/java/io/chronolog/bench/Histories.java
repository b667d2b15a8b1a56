package io.chronolog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The {@link History} databases of one run, by statement count, built on first use and never cached between runs. Not thread-safe. */
final class Histories implements AutoCloseable {
    private final Path work;
    private final Map<Integer, History> built = new TreeMap<>();

    Histories(Path work) {
        this.work = work;
    }

    History get(int statements) throws Exception {
        History h = built.get(statements);
        if (h == null) {
            BenchContext.progress("building a history of %,d statements (upserts over %,d keys, ASYNC from %d writers, checkpoint every %,d)",
                    statements, History.KEYS, History.WRITERS, History.CHECKPOINT_EVERY);
            h = History.build(Files.createTempDirectory(work, "history-" + statements + "-"), statements);
            BenchContext.progress("history %,d built in %.1f s = %,.0f statements/s (%d checkpoints)", statements, h.buildSeconds,
                    statements / h.buildSeconds, h.checkpoints);
            built.put(statements, h);
        }
        return h;
    }

    @Override
    public void close() throws IOException {
        Exception failure = null;
        for (History h : built.values()) {
            try {
                h.close();
                RoundRunner.deleteTree(h.directory);
            } catch (IOException | RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        built.clear();
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure != null) {
            throw (RuntimeException) failure;
        }
    }
}
