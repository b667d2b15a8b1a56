/**
 * The past: checkpoints (taking them, the catalogue's view of them), restores (planning and
 * materialising a state, committing it as a restore frame), verification of the whole history,
 * writing a plain SQLite copy of a state, and the retention policy (what is restorable, what pruning
 * and the automatic backup schedule delete, as pure functions of plain values). Reads the log and
 * the checkpoint store; writes the live file only through {@code internal.live}.
 */
package io.chronolog.engine.internal.history;
