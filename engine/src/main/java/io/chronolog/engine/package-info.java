/**
 * The embedded API of Chronolog: {@link io.chronolog.engine.Database} and the values it takes and returns.
 *
 * <p>A database is a directory holding the materialised SQLite file ({@code live.sqlite3}), the
 * hash-chained log ({@code wal/}) and a {@code LOCK} file. Every write becomes one frame in the log
 * before it is acknowledged; the SQLite file is a view the engine can always rebuild from the log.
 */
package io.chronolog.engine;
