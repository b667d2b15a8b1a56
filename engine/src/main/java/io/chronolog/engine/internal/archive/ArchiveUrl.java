package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where an archive lives: {@code s3://BUCKET[/PREFIX]} (an S3-compatible bucket, keys under
 * PREFIX) or {@code file:///PATH} (a directory, as on a mounted disk or NFS). Parsing refuses
 * anything else with a one-line error naming the rule it breaks. Immutable.
 *
 * @param scheme {@code s3} or {@code file}
 * @param bucket the bucket, for {@code s3}; empty for {@code file}
 * @param prefix the key prefix, without a leading or trailing slash (may be empty)
 * @param path   the directory, for {@code file}; null for {@code s3}
 */
public record ArchiveUrl(String scheme, String bucket, String prefix, Path path) {
    /** S3's bucket naming rules (lower case, digits, dots, hyphens; 3 to 63; starting and ending alphanumeric). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9!_.*'()/-]*");

    /** Parses {@code text}. */
    public static ArchiveUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ArchiveException("archive URL is empty: give s3://BUCKET/PREFIX or file:///PATH");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ArchiveException("archive URL '" + text + "' is malformed (" + e.getReason()
                    + "): give s3://BUCKET/PREFIX or file:///PATH");
        }
        String scheme = uri.getScheme();
        if ("s3".equals(scheme)) {
            String bucket = uri.getHost() == null ? uri.getAuthority() : uri.getHost();
            if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
                throw new ArchiveException("archive URL '" + text + "' names no valid bucket: bucket names are 3 to 63"
                        + " lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit");
            }
            if (uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null || uri.getPort() != -1) {
                throw new ArchiveException("archive URL '" + text + "' has a port, user, query or fragment: give s3://BUCKET/PREFIX"
                        + " (endpoint and region are separate settings)");
            }
            String prefix = trimSlashes(uri.getPath() == null ? "" : uri.getPath());
            if (!PREFIX.matcher(prefix).matches() || prefix.contains("//")) {
                throw new ArchiveException("archive URL '" + text + "' has a prefix with characters keys should not hold:"
                        + " use letters, digits and !_.*'()/-");
            }
            return new ArchiveUrl("s3", bucket, prefix, null);
        }
        if ("file".equals(scheme)) {
            if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()) {
                throw new ArchiveException("archive URL '" + text + "' names a host: a file archive is file:///ABSOLUTE/PATH");
            }
            if (uri.getPath() == null || !uri.getPath().startsWith("/") || uri.getQuery() != null || uri.getFragment() != null) {
                throw new ArchiveException("archive URL '" + text + "' is not file:///ABSOLUTE/PATH");
            }
            return new ArchiveUrl("file", "", "", Path.of(uri).normalize());
        }
        throw new ArchiveException("archive URL '" + text + "' has scheme " + (scheme == null ? "none" : "'" + scheme + "'")
                + ": give s3://BUCKET/PREFIX or file:///PATH");
    }

    /** The key of {@code name} under this archive's prefix. */
    public String key(String name) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    @Override
    public String toString() {
        return "s3".equals(scheme) ? "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) : path.toUri().toString();
    }

    private static String trimSlashes(String p) {
        int from = 0;
        int to = p.length();
        while (from < to && p.charAt(from) == '/') {
            from++;
        }
        while (to > from && p.charAt(to - 1) == '/') {
            to--;
        }
        return p.substring(from, to);
    }
}
