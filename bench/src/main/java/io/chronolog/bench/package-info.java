/**
 * The benchmark harness: Chronolog against plain sqlite-jdbc side by side in one process
 * ({@link io.chronolog.bench.BenchMain}): insert throughput, restores against history length and
 * database size, writer latency during checkpoints, bookmark lookups, writer-thread scaling, a
 * mixed read/write load, open after a crash, and storage over a simulated month. Every round
 * checks its own results (row counts, restored state, byte counts, lookup answers, sums).
 */
package io.chronolog.bench;
