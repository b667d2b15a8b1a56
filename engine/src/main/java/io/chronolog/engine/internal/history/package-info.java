/**
 * The past: checkpoints (taking them, the catalogue's view of them), restores (planning and
 * materialising a state, committing it as a restore frame), verification of the whole history,
 * and writing a plain SQLite copy of a state. Reads the log and the checkpoint store; writes the
 * live file only through {@code internal.live}.
 */
package io.chronolog.engine.internal.history;
