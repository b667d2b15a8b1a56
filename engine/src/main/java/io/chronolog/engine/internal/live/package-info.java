/**
 * The live SQLite file: the only owner of its meta table, of any byte written into its header,
 * of the swap that installs a restored image, of the gate readers pass, of the reader pool, of the
 * copy of its WAL into the main file, and of its repair at open. Runs statements through
 * {@code internal.sql}; knows nothing of the log's frames beyond the position and hash it records.
 */
package io.chronolog.engine.internal.live;
