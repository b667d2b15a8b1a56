package io.chronolog.bench;

import io.chronolog.engine.ArchiveOptions;
import io.chronolog.engine.ArchiveStatus;
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
        this(directory, durability, null);
    }

    /** With {@code archive} attached (null: none). */
    ChronologTarget(Path directory, Durability durability, ArchiveOptions archive) {
        db = Database.open(directory.resolve("bench"), Options.builder().durability(durability).meterRegistry(registry).archive(archive).build());
        db.execute(SCHEMA);
    }

    /** A {@code file://} archive in {@code directory}/archive, with the default lag bound. */
    static ArchiveOptions localArchive(Path directory) throws java.io.IOException {
        return ArchiveOptions.of(java.nio.file.Files.createDirectories(directory.resolve("archive")).toUri().toString());
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
        String archive = "";
        Timer upload = registry.find("chronolog.archive.upload").timer();
        if (upload != null) {
            ArchiveStatus status = db.archiveStatus();
            archive = String.format(Locale.ROOT, " uploads=%d upload mean=%.1fms lag=%d frames", upload.count(),
                    upload.mean(TimeUnit.MICROSECONDS) / 1000, status.lagFrames());
        }
        if (sync == null || perSync == null || sync.count() == 0) {
            return archive.strip();
        }
        return String.format(Locale.ROOT, "groups=%d frames/group=%.2f append+sync mean=%.0fus",
                sync.count(), perSync.mean(), sync.mean(TimeUnit.MICROSECONDS)) + archive;
    }

    @Override
    public void close() {
        db.close();
    }
}
