package io.chronolog.bench;

import io.chronolog.engine.Database;
import io.chronolog.engine.Durability;
import io.chronolog.engine.Options;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** A Chronolog database at a given durability. Thread-safe, as {@link Database} is. */
final class ChronologTarget implements InsertTarget {
    static final String SCHEMA = "CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL, v INTEGER NOT NULL)";
    static final String INSERT = "INSERT INTO t(k, v) VALUES (?, ?)";

    private final Database db;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    ChronologTarget(Path directory, Durability durability) {
        db = Database.open(directory.resolve("bench"), Options.builder().durability(durability).meterRegistry(registry).build());
        db.execute(SCHEMA);
    }

    @Override
    public void insert(String k, long v) {
        db.execute(INSERT, k, v);
    }

    @Override
    public long count() {
        return db.query("SELECT count(*) FROM t").get(0).getLong(0);
    }

    /** Sync groups, frames per sync and the mean append-to-durable time per group, from the engine's meters. */
    @Override
    public String notes() {
        Timer sync = registry.find("chronolog.wal.append.sync").timer();
        DistributionSummary perSync = registry.find("chronolog.wal.commits.per.sync").summary();
        if (sync == null || perSync == null || sync.count() == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "groups=%d frames/group=%.2f append+sync mean=%.0fus",
                sync.count(), perSync.mean(), sync.mean(TimeUnit.MICROSECONDS));
    }

    @Override
    public void close() {
        db.close();
    }
}
