package io.chronolog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The {@link History} databases of one run, by insert count, built on first use. Not thread-safe. */
final class Histories implements AutoCloseable {
    private final Path work;
    private final Map<Integer, History> built = new TreeMap<>();

    Histories(Path work) {
        this.work = work;
    }

    History get(int inserts) throws Exception {
        History h = built.get(inserts);
        if (h == null) {
            BenchContext.progress("building a history of %,d inserts (ASYNC, checkpoint every %,d)", inserts, History.CHECKPOINT_EVERY);
            h = History.build(Files.createTempDirectory(work, "history-" + inserts + "-"), inserts);
            BenchContext.progress("history %,d built in %.1f s (%d checkpoints)", inserts, h.buildSeconds, h.checkpoints);
            built.put(inserts, h);
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
