/**
 * The read path: reads run on the reader pool under the read policy and the statement and result
 * limits, never under the writer lock. Depends on {@code internal.live} for connections and on
 * {@code internal.sql} for analysis.
 */
package io.chronolog.engine.internal.read;
