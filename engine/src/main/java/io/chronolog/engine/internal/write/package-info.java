/**
 * The write path: the writer that groups callers' statements, applies them to the live file, logs
 * their frame and acknowledges them as the durability mode promises; the replayer that applies
 * logged frames again; and the catch-up replay at open. The only code that appends statement frames.
 */
package io.chronolog.engine.internal.write;
