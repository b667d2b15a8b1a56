package io.chronolog.wal;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Settings for opening a {@link FrameLog}; all are fixed at open.
 *
 * <p>It puts nothing on disk, but {@code timeMillis} decides which daily cycle file an append goes
 * to. Immutable and thread-safe provided the supplier is. Invariant: {@code maxFrameBytes} is
 * between {@value #MIN_FRAME_BYTES} and {@value #MAX_FRAME_BYTES}.
 *
 * @param timeMillis    epoch-millisecond time source that chooses the cycle file (pass the
 *                      engine's {@link MonotonicClock}); the log never reads the wall clock itself
 * @param maxFrameBytes largest encoded frame (header, payload and hash) in bytes; default
 *                      {@value #DEFAULT_MAX_FRAME_BYTES} (64 MiB); larger appends are refused
 */
public record LogOptions(LongSupplier timeMillis, int maxFrameBytes) {

    /** 64 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
    /** Smallest accepted {@code maxFrameBytes}: 1 KiB. */
    public static final int MIN_FRAME_BYTES = 1024;
    /** Largest accepted {@code maxFrameBytes}: 256 MiB. */
    public static final int MAX_FRAME_BYTES = 256 * 1024 * 1024;

    /** Validates the settings. */
    public LogOptions {
        Objects.requireNonNull(timeMillis, "timeMillis");
        if (maxFrameBytes < MIN_FRAME_BYTES || maxFrameBytes > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes out of range: expected=" + MIN_FRAME_BYTES + ".."
                    + MAX_FRAME_BYTES + " actual=" + maxFrameBytes);
        }
    }

    /** Defaults: 64 MiB frames, cycles chosen by {@code timeMillis}. */
    public static LogOptions defaults(LongSupplier timeMillis) {
        return new LogOptions(timeMillis, DEFAULT_MAX_FRAME_BYTES);
    }
}
