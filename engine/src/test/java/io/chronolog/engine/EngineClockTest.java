package io.chronolog.engine;

import io.chronolog.engine.internal.clock.EngineClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The decision table of docs/DESIGN.md "The engine's time", one row at a time. */
class EngineClockTest {
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private final MutableClock wall = new MutableClock(T0);
    private final EngineClock clock = new EngineClock(wall, wall::nanoTime, Duration.ofMinutes(2), Duration.ofHours(1), "t");

    private long truth() {
        return T0.toEpochMilli() + wall.nanoTime() / 1_000_000L;
    }

    @Test
    void aWallClockWithinTheToleranceIsTrustedAndBecomesTheAnchor() {
        wall.advance(Duration.ofMinutes(5));
        wall.step(Duration.ofSeconds(90));
        EngineClock.Reading r = clock.read();
        assertTrue(r.trusted());
        assertEquals(wall.millis(), r.millis());
        wall.step(Duration.ofSeconds(90)); // 90 s from the new anchor: still within the tolerance
        assertTrue(clock.read().trusted());
    }

    @Test
    void aStepEitherWayAnswersTheEstimateAndRefusesDeletionUntilTheClocksAgree() {
        for (Duration step : new Duration[] {Duration.ofDays(40), Duration.ofDays(-3), Duration.ofMinutes(3)}) {
            wall.step(step);
            wall.advance(Duration.ofMinutes(20));
            EngineClock.Reading r = clock.read();
            assertFalse(r.trusted(), "stepped by " + step);
            assertEquals(truth(), r.millis(), "stepped by " + step);
            assertTrue(clock.millisForDeletion().isEmpty(), "stepped by " + step);
            wall.set(Instant.ofEpochMilli(truth()));
            assertEquals(truth(), clock.millisForDeletion().orElseThrow(), "corrected after " + step);
        }
    }

    @Test
    void aStepThatHoldsForTheSettlePeriodIsTrusted() {
        wall.step(Duration.ofDays(40));
        assertFalse(clock.read().trusted());
        wall.advance(Duration.ofMinutes(59));
        assertFalse(clock.read().trusted());
        wall.advance(Duration.ofMinutes(1));
        EngineClock.Reading r = clock.read();
        assertTrue(r.trusted());
        assertEquals(wall.millis(), r.millis());
        wall.advance(Duration.ofMinutes(10));
        assertEquals(wall.millis(), clock.millisForDeletion().orElseThrow());
    }

    @Test
    void anotherStepRestartsTheSettlePeriod() {
        wall.step(Duration.ofDays(40));
        clock.read();
        wall.advance(Duration.ofMinutes(50));
        wall.step(Duration.ofDays(1));
        assertFalse(clock.read().trusted());
        wall.advance(Duration.ofMinutes(50));
        assertFalse(clock.read().trusted(), "a second step inherited the first one's time");
        wall.advance(Duration.ofMinutes(10));
        assertTrue(clock.read().trusted());
    }
}
