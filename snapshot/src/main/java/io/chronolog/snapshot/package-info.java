/**
 * Checkpoints: consistent images of a SQLite database file at a log position, LZ4-compressed and
 * checksummed, one file each, listed by a catalogue. {@link io.chronolog.snapshot.CheckpointStore}
 * owns a checkpoint directory; {@link io.chronolog.snapshot.CheckpointMeta} describes one
 * checkpoint; damage is reported as {@link io.chronolog.snapshot.CorruptCheckpointException}.
 * The on-disk formats are documented in {@code docs/FORMAT.md}. This module knows nothing of
 * the log or the engine: positions, chain hashes and content digests are plain values to it.
 */
package io.chronolog.snapshot;
