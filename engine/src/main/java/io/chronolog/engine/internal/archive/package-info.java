/**
 * The off-machine archive. So far its storage layer: {@link io.chronolog.engine.internal.archive.ArchiveUrl}
 * (where an archive is: {@code s3://BUCKET/PREFIX} or {@code file:///PATH}) and the write-once
 * {@link io.chronolog.engine.internal.archive.ObjectStore} over S3-compatible storage (the AWS SDK
 * for Java v2, conditional create with {@code If-None-Match: *}) or a directory (hard-link create).
 * The shipper, the archive's object formats and restore from the archive build on it.
 */
package io.chronolog.engine.internal.archive;
