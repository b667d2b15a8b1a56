/** Chronolog wal module. */
package io.chronolog.wal;
