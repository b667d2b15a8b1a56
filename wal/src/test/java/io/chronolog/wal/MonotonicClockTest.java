package io.chronolog.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MonotonicClockTest {

    static final class StepClock extends Clock {
        final AtomicLong now = new AtomicLong();

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
            return Instant.ofEpochMilli(now.get());
        }
    }

    @Test
    void neverGoesBackwardsWhenTheWallClockDoes() {
        StepClock wall = new StepClock();
        wall.now.set(1_000);
        MonotonicClock c = new MonotonicClock(wall, 500);
        assertEquals(1_000, c.millis());
        wall.now.set(900);
        assertEquals(1_000, c.millis());
        wall.now.set(1_200);
        assertEquals(1_200, c.getAsLong());
    }

    @Test
    void startsAtTheFloor() {
        StepClock wall = new StepClock();
        wall.now.set(10);
        assertEquals(5_000, new MonotonicClock(wall, 5_000).millis());
    }
}
