/**
 * The benchmark harness: Chronolog against plain sqlite-jdbc side by side in one process
 * ({@link io.chronolog.bench.BenchMain}): insert throughput, restores against history length and
 * database size, writer latency during checkpoints, and bookmark lookups. Every round checks its
 * own results (row counts, restored state, byte counts, lookup answers).
 */
package io.chronolog.bench;
