package io.chronolog.engine.internal.clock;

import io.chronolog.engine.Options;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The engine's one answer to "what time is it": the injected wall clock ({@link Options#clock()})
 * checked against a monotonic nanosecond source ({@link Options#nanoTime()}).
 *
 * <p>It keeps an estimate: the last trusted wall reading plus the monotonic time elapsed since. A wall
 * reading within {@link Options#clockTolerance()} of the estimate is trusted and becomes the new
 * anchor. One further away is a <em>step</em>: {@link #millis()} answers the estimate instead, and
 * {@link #millisForDeletion()} answers nothing, so that nothing is deleted by age from a reading
 * under suspicion. The step ends when the wall clock agrees with the estimate again, or when the
 * same step has held for {@link Options#clockSettle()} of monotonic time: then the new wall time is
 * trusted (a wrong clock that was corrected takes effect). Each step is logged once, as a WARNING
 * naming both readings. It puts nothing on disk: a new instance trusts the wall clock's first
 * reading. Thread-safe (readings are serialised).
 */
public final class EngineClock extends Clock {
    private static final System.Logger LOG = System.getLogger(EngineClock.class.getName());

    private final Clock wall;
    private final LongSupplier nanos;
    private final long toleranceMillis;
    private final long settleNanos;
    private final String name;

    private long anchorWall;
    private long anchorNanos;
    /** True while the wall clock disagrees with the estimate by more than the tolerance. */
    private boolean stepped;
    private long steppedSinceNanos;
    private long stepMillis;

    /** One reading: the engine's time, and whether the wall clock stands behind it. */
    public record Reading(long millis, boolean trusted) {
    }

    public EngineClock(Options options, String name) {
        this(options.clock(), options.nanoTime(), options.clockTolerance(), options.clockSettle(), name);
    }

    public EngineClock(Clock wall, LongSupplier nanos, Duration tolerance, Duration settle, String name) {
        this.wall = Objects.requireNonNull(wall, "wall");
        this.nanos = Objects.requireNonNull(nanos, "nanos");
        this.toleranceMillis = tolerance.toMillis();
        this.settleNanos = settle.toNanos();
        this.name = name;
        this.anchorWall = wall.millis();
        this.anchorNanos = nanos.getAsLong();
    }

    /** Reads both clocks and updates the estimate; see the class comment. */
    public synchronized Reading read() {
        long w = wall.millis();
        long n = nanos.getAsLong();
        long estimate = anchorWall + Math.floorDiv(n - anchorNanos, 1_000_000L);
        long off = w - estimate;
        if (Math.abs(off) <= toleranceMillis) {
            if (stepped) {
                LOG.log(System.Logger.Level.WARNING, "database " + name + ": the wall clock agrees with the elapsed time again"
                        + " (wall=" + Instant.ofEpochMilli(w) + " estimate=" + Instant.ofEpochMilli(estimate)
                        + "); pruning and backup expiry resume");
            }
            trust(w, n);
            return new Reading(w, true);
        }
        if (!stepped || Math.abs(off - stepMillis) > toleranceMillis) {
            stepped = true;
            steppedSinceNanos = n;
            stepMillis = off;
            LOG.log(System.Logger.Level.WARNING, "database " + name + ": the wall clock stepped by " + Duration.ofMillis(off)
                    + ": expected=" + Instant.ofEpochMilli(estimate) + " (last trusted reading plus elapsed time) actual="
                    + Instant.ofEpochMilli(w) + "; frames are stamped with the expected time and pruning and backup expiry"
                    + " pause until the clocks agree, or until the step has held for " + Duration.ofNanos(settleNanos));
        } else if (n - steppedSinceNanos >= settleNanos) {
            LOG.log(System.Logger.Level.WARNING, "database " + name + ": the wall clock's step of " + Duration.ofMillis(off)
                    + " has held for " + Duration.ofNanos(n - steppedSinceNanos) + ": trusting it (now "
                    + Instant.ofEpochMilli(w) + ")");
            trust(w, n);
            return new Reading(w, true);
        }
        return new Reading(estimate, false);
    }

    private void trust(long w, long n) {
        stepped = false;
        anchorWall = w;
        anchorNanos = n;
    }

    /** The engine's time in epoch milliseconds: the wall clock's when trusted, else the estimate. */
    @Override
    public long millis() {
        return read().millis();
    }

    /** The engine's time, for a decision that deletes by age; empty while the wall clock is under suspicion. */
    public OptionalLong millisForDeletion() {
        Reading r = read();
        return r.trusted() ? OptionalLong.of(r.millis()) : OptionalLong.empty();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same engine time seen in {@code zone}: the instant stays this clock's, only the zone changes. */
    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(ZoneOffset.UTC)) {
            return this;
        }
        EngineClock engine = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return engine.withZone(other);
            }

            @Override
            public Instant instant() {
                return engine.instant();
            }
        };
    }
}
