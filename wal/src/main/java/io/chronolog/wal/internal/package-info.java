/**
 * Implementation details of the log; the only package that touches Chronicle Queue types.
 * Nothing here is API.
 */
package io.chronolog.wal.internal;
