/**
 * What the engine's frames carry: the statement batch of a STATEMENTS frame, the checkpoint marker
 * of a CHECKPOINT frame and the restore marker of a RESTORE frame (their bytes are in
 * {@code docs/FORMAT.md}, "STATEMENTS payload" and "Marker payloads"), and the one conversion
 * between a frame of the log and the API's {@link io.chronolog.engine.Bookmark} ({@link Frames}).
 * The log stores these payloads as opaque bytes typed by the frame's kind; only this package
 * encodes and decodes them.
 */
package io.chronolog.engine.internal.log;
