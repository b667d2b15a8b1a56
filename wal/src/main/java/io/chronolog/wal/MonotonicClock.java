package io.chronolog.wal;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Commit timestamps in epoch milliseconds that never go backwards, even when the wall clock does.
 *
 * <p>It puts nothing on disk; its floor comes from the last timestamp already in the log. Thread-safe
 * (lock-free). Invariant: each value returned is {@code >= floorMillis} and {@code >=} every value
 * returned before it.
 */
public final class MonotonicClock implements LongSupplier {

    private final Clock clock;
    private final AtomicLong last;

    /**
     * @param clock       the wall clock to follow
     * @param floorMillis the smallest value ever to return: the last timestamp already in the log
     */
    public MonotonicClock(Clock clock, long floorMillis) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.last = new AtomicLong(floorMillis);
    }

    /** {@code max(clock.millis(), last value returned)}. */
    public long millis() {
        long now = clock.millis();
        return last.accumulateAndGet(now, Math::max);
    }

    /** Raises the floor: every value returned from now on is {@code >= floorMillis}. */
    public void raiseFloor(long floorMillis) {
        last.accumulateAndGet(floorMillis, Math::max);
    }

    /** Same as {@link #millis()}, so the clock can drive {@link LogOptions#timeMillis()}. */
    @Override
    public long getAsLong() {
        return millis();
    }
}
