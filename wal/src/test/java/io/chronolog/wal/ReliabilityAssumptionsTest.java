package io.chronolog.wal;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ReliabilityAssumptionsTest {

    @Test
    void aMissingToolFailsUnderCi() {
        assertThrows(AssertionFailedError.class,
                () -> ReliabilityAssumptions.requireOrSkip(false, "no strace", Map.of("CI", "true")));
    }

    @Test
    void aMissingToolSkipsOutsideCi() {
        assertThrows(TestAbortedException.class, () -> ReliabilityAssumptions.requireOrSkip(false, "no strace", Map.of()));
    }

    @Test
    void aPresentToolRunsEverywhere() {
        ReliabilityAssumptions.requireOrSkip(true, "strace", Map.of("CI", "true"));
        ReliabilityAssumptions.requireOrSkip(true, "strace", Map.of());
    }
}
