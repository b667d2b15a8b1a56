/**
 * The write-ahead log: hash-chained {@link io.chronolog.wal.Frame frames} at gap-free positions in
 * Chronicle Queue cycle files ({@link io.chronolog.wal.FrameLog}) and their byte layout
 * ({@link io.chronolog.wal.FrameCodec}). A frame's payload is opaque bytes typed by its
 * {@link io.chronolog.wal.FrameKind kind}: the engine defines what payloads mean, and makes the
 * API's bookmarks from frames. No Chronicle type appears in this package's API; the on-disk layout
 * is described in {@code docs/FORMAT.md} ("The log").
 */
package io.chronolog.wal;
