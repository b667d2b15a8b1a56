package io.chronolog.bench;

/**
 * A scenario that measures something other than insert throughput (restore, checkpoint, lookup
 * times). It runs its own rounds (one unmeasured warm-up, then {@link BenchContext#rounds()}),
 * checks every result it times, and throws if a check fails, which fails the run.
 */
interface MeasuredScenario {
    String name();

    ScenarioResult run(BenchContext context) throws Exception;
}
