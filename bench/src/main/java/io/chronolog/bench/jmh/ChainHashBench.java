package io.chronolog.bench.jmh;

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
 * Chain hashing: {@link FrameCodec#chain(Hash128, Frame)} ({@link Hash128} of SHA-256 over the
 * previous hash and the frame's bytes) for a frame of one logged INSERT, and the hash's hex form
 * both ways. State is built once; each call chains on from the previous result, as the log does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChainHashBench {
    private Frame frame;
    private Hash128 previous = Hash128.ZERO;
    private String hex;

    @Setup
    public void setUp() {
        byte[] payload = Payloads.oneInsert();
        frame = new Frame(1L, 0, 0L, 1L, 1_790_000_000_000L, FrameKind.STATEMENTS, payload, Hash128.ZERO);
        Hash128 first = FrameCodec.chain(Hash128.ZERO, frame);
        hex = first.toHex();
        if (!Hash128.parseHex(hex).equals(first) || FrameCodec.chain(Hash128.ZERO, frame).equals(FrameCodec.chain(first, frame))) {
            throw new IllegalStateException("Hash128: hex round trip or chaining is broken for " + hex);
        }
    }

    @Benchmark
    public Hash128 chain() {
        previous = FrameCodec.chain(previous, frame);
        return previous;
    }

    @Benchmark
    public String toHex() {
        return previous.toHex();
    }

    @Benchmark
    public Hash128 parseHex() {
        return Hash128.parseHex(hex);
    }
}
