package io.chronolog.bench.jmh;

import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameKind;
import io.chronolog.wal.FrameLog;
import io.chronolog.wal.LogOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link FrameLog#append} of a frame holding one logged INSERT into a log in a fresh temp
 * directory (under {@code java.io.tmpdir}), without and with {@link FrameLog#sync()} after each
 * append. The log belongs to the benchmark thread (Chronicle appenders are thread-confined) and
 * is deleted at the end of each trial.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AppendBench {
    @Param({"false", "true"})
    public boolean sync;

    private Path dir;
    private FrameLog log;
    private byte[] payload;
    private long offset;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("chronolog-jmh-append-");
        log = FrameLog.open(dir.resolve("wal"), LogOptions.defaults(System::currentTimeMillis));
        payload = Payloads.oneInsert();
    }

    @Benchmark
    public Frame append() throws IOException {
        Frame f = log.append(0, 0L, ++offset, System.currentTimeMillis(), FrameKind.STATEMENTS, payload);
        if (sync) {
            log.sync();
        }
        return f;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        log.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
