package io.chronolog.bench;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UTC clock that reads whatever time the benchmark last set: simulated days in seconds. Setting it
 * is time passing, so {@link #nanoTime()} (the engine's monotonic source) moves with it. Thread-safe.
 */
final class SimulatedClock extends Clock {
    private final long start;
    private final AtomicLong millis;

    SimulatedClock(long startMillis) {
        start = startMillis;
        millis = new AtomicLong(startMillis);
    }

    /** Simulated nanoseconds since the start: the benchmark only moves the clock forward. */
    long nanoTime() {
        return (millis.get() - start) * 1_000_000L;
    }

    void set(long epochMillis) {
        millis.set(epochMillis);
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new IllegalArgumentException("a simulated clock stays in UTC, not " + zone);
        }
        return this;
    }
}
