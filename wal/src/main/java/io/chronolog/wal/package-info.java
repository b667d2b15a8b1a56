/**
 * The write-ahead log: hash-chained {@link io.chronolog.wal.Frame frames} at gap-free positions in
 * Chronicle Queue cycle files ({@link io.chronolog.wal.FrameLog}), their byte layout
 * ({@link io.chronolog.wal.FrameCodec}, {@link io.chronolog.wal.StatementBatch}) and
 * {@link io.chronolog.wal.Bookmark bookmarks}. No Chronicle type appears in this package's API;
 * the on-disk layout is described in {@code docs/FORMAT.md} ("The log").
 */
package io.chronolog.wal;
