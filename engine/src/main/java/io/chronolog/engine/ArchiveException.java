package io.chronolog.engine;

/**
 * The archive (S3-compatible object storage, or a directory given as a {@code file://} URL) refused
 * a request or could not be reached: an unknown bucket, credentials it does not accept, a malformed
 * URL, an error or a timeout. The message names the URL or the object's key and what the store
 * answered. A failed read, list or delete changed nothing; a failed create may still have stored
 * its object whole (the store kept it but its answer was lost), never part of it: creating the
 * same bytes again then counts as done.
 */
public class ArchiveException extends ChronologException {
    private static final long serialVersionUID = 1L;

    public ArchiveException(String message) {
        super(message);
    }

    public ArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
