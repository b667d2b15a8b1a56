package io.chronolog.bench.jmh;

import io.chronolog.wal.CorruptFrameException;
import io.chronolog.wal.Frame;
import io.chronolog.wal.FrameCodec;
import io.chronolog.wal.FrameKind;
import io.chronolog.wal.Hash128;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link FrameCodec}: encoding a frame to its stored bytes and decoding (with the checks a read
 * makes) one back, for a frame holding one logged single-row INSERT. The set-up checks the round
 * trip before anything is timed. State is built once and only read by the benchmark methods.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameCodecBench {
    private Frame frame;
    private byte[] encoded;

    @Setup
    public void setUp() throws CorruptFrameException {
        byte[] payload = Payloads.oneInsert();
        Hash128 hash = FrameCodec.chain(Hash128.ZERO, 1_000_001L, 0, 100L, 1L, 1_790_000_000_000L, FrameKind.STATEMENTS, payload);
        frame = new Frame(1_000_001L, 0, 100L, 1L, 1_790_000_000_000L, FrameKind.STATEMENTS, payload, hash);
        encoded = FrameCodec.encode(frame);
        if (!FrameCodec.decode(encoded).equals(frame)) {
            throw new IllegalStateException("FrameCodec: decode(encode(frame)) differs from the frame: the benchmark would time a broken codec");
        }
    }

    @Benchmark
    public byte[] encode() {
        return FrameCodec.encode(frame);
    }

    @Benchmark
    public Frame decode() throws CorruptFrameException {
        return FrameCodec.decode(encoded);
    }
}
