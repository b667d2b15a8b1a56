package io.chronolog.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand, with its own monotonic time ({@link #nanoTime()}, for
 * {@link Options.Builder#nanoTime}). {@link #advance} is time passing: the wall clock and the
 * monotonic time move together. {@link #set} and {@link #step} move the wall clock alone, as an
 * operator or a broken time daemon stepping it. Thread-safe.
 */
final class MutableClock extends Clock {
    private volatile Instant now;
    private volatile long nanos;

    MutableClock(Instant start) {
        this.now = start;
    }

    /** Steps the wall clock to {@code t}; no time passes. */
    synchronized void set(Instant t) {
        now = t;
    }

    /** Steps the wall clock by {@code d}, either way; no time passes. */
    synchronized void step(Duration d) {
        now = now.plus(d);
    }

    /** Time passes: {@code d} (not negative) on the wall clock and on the monotonic time. */
    synchronized void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time does not pass backwards: " + d + " (use step)");
        }
        now = now.plus(d);
        nanos += d.toNanos();
    }

    /** The monotonic time in nanoseconds: only {@link #advance} moves it. */
    long nanoTime() {
        return nanos;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
