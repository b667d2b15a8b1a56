/**
 * The off-machine archive. So far its storage layer: {@link io.chronolog.engine.internal.archive.ArchiveUrl}
 * (where an archive is: {@code s3://BUCKET/PREFIX} or {@code file:///PATH}) and the write-once
 * {@link io.chronolog.engine.internal.archive.ObjectStore} over S3-compatible storage (the AWS SDK
 * for Java v2, conditional create with {@code If-None-Match: *}) or a directory (hard-link create).
 * On it: {@link io.chronolog.engine.internal.archive.ArchiveSegment} (the segment object format,
 * one owner) and {@link io.chronolog.engine.internal.archive.ArchiveShipper} (ships the log as
 * segments, resuming where the archive ends, fenced by another writer's object). Not yet attached
 * to a database: the settings, the background shipping, {@code ARCHIVED} durability and restore
 * from the archive build on these.
 */
package io.chronolog.engine.internal.archive;
