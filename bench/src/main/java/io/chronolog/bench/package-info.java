/**
 * The benchmark harness: Chronolog against plain sqlite-jdbc side by side in one process
 * ({@link io.chronolog.bench.BenchMain}); every round checks its own row counts.
 */
package io.chronolog.bench;
