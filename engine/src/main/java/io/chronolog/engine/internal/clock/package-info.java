/**
 * The engine's time: the wall clock checked against elapsed monotonic time, so a stepped clock
 * neither reorders frames nor deletes history. Every decision that depends on the time of day
 * (frame stamps, retention, backups' schedule) reads it here.
 */
package io.chronolog.engine.internal.clock;
