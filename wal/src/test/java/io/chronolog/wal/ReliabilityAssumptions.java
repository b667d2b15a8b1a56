package io.chronolog.wal;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The one way a reliability test may skip for want of a tool (strace, root, a mount): outside CI it
 * skips, saying why; under CI (environment variable {@code CI=true}, as set by CI services and
 * {@code .ci/run}'s caller) a missing tool fails the test, so a harness can never pass by not running.
 * Stateless.
 */
public final class ReliabilityAssumptions {
    private ReliabilityAssumptions() {
    }

    /** Whether the build runs under CI, where skipping a reliability test is a failure. */
    public static boolean underCi() {
        return underCi(System.getenv());
    }

    static boolean underCi(java.util.Map<String, String> environment) {
        return "true".equalsIgnoreCase(environment.get("CI"));
    }

    /** Skips (outside CI) or fails (under CI) unless {@code condition} holds. */
    public static void requireOrSkip(boolean condition, String why) {
        requireOrSkip(condition, why, System.getenv());
    }

    static void requireOrSkip(boolean condition, String why, java.util.Map<String, String> environment) {
        if (!condition && underCi(environment)) {
            fail("reliability test cannot run under CI=true: " + why + " (CI must provide it; skipping would hide the test)");
        }
        assumeTrue(condition, why);
    }
}
