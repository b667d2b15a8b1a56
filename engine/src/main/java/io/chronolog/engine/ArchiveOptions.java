package io.chronolog.engine;

import io.chronolog.engine.internal.archive.ArchiveUrl;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a database's archive is and how it ships: an S3-compatible bucket ({@code s3://BUCKET/PREFIX})
 * or a directory ({@code file:///PATH}, a mounted disk or NFS). Each database is archived under
 * {@code PREFIX/NAME/}, so one URL holds many databases. Credentials are never part of it: they
 * come from the AWS SDK's default chain ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY},
 * the {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties, profiles). Immutable;
 * the URL is checked when built.
 *
 * @param url          {@code s3://BUCKET[/PREFIX]} or {@code file:///PATH}
 * @param endpoint     the S3 endpoint (null: {@code AWS_ENDPOINT_URL}, else AWS itself)
 * @param region       the S3 region (null: {@code AWS_REGION}, else {@code us-east-1})
 * @param pathStyle    address the bucket in the path rather than the host name (most S3-compatible servers)
 * @param lag          longest a frame waits before it is shipped (default 1 s)
 * @param lagBytes     ... or most bytes of frames waiting (default 16 MiB), whichever comes first
 * @param retention    how far back the archive keeps history (null: as long as the local window)
 * @param archivedWait longest an {@link Durability#ARCHIVED} write waits for its upload (default 10 s)
 * @param keyFile      the master key ring for client-side encryption (null: none)
 * @param keyVariable  the environment variable holding the key ring (null: none); encryption is on when either is set
 */
public record ArchiveOptions(String url, URI endpoint, String region, boolean pathStyle, Duration lag, long lagBytes,
        Duration retention, Duration archivedWait, Path keyFile, String keyVariable) {

    /** Validates the URL and the bounds. */
    public ArchiveOptions {
        Objects.requireNonNull(url, "url");
        ArchiveUrl.parse(url);
        Objects.requireNonNull(lag, "lag");
        Objects.requireNonNull(archivedWait, "archivedWait");
        if (lag.isNegative() || lag.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("ArchiveOptions.lag must be between 0 and 1 h, was " + lag);
        }
        if (lagBytes < 1) {
            throw new IllegalArgumentException("ArchiveOptions.lagBytes must be at least 1, was " + lagBytes);
        }
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("ArchiveOptions.retention must be positive, was " + retention);
        }
        if (archivedWait.isNegative() || archivedWait.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("ArchiveOptions.archivedWait must be between 0 and 1 h, was " + archivedWait);
        }
    }

    /** The defaults for {@code url}. */
    public static ArchiveOptions of(String url) {
        return builder(url).build();
    }

    public static Builder builder(String url) {
        return new Builder(url);
    }

    public Builder toBuilder() {
        return new Builder(url).endpoint(endpoint).region(region).pathStyle(pathStyle).lag(lag).lagBytes(lagBytes)
                .retention(retention).archivedWait(archivedWait).keyFile(keyFile).keyVariable(keyVariable);
    }

    /** Whether objects are encrypted on this side before they are stored. */
    public boolean encrypted() {
        return keyFile != null || keyVariable != null;
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private final String url;
        private URI endpoint;
        private String region;
        private boolean pathStyle;
        private Duration lag = Duration.ofSeconds(1);
        private long lagBytes = 16L << 20;
        private Duration retention;
        private Duration archivedWait = Duration.ofSeconds(10);
        private Path keyFile;
        private String keyVariable;

        private Builder(String url) {
            this.url = url;
        }

        public Builder endpoint(URI v) { endpoint = v; return this; }
        public Builder region(String v) { region = v; return this; }
        public Builder pathStyle(boolean v) { pathStyle = v; return this; }
        public Builder lag(Duration v) { lag = v; return this; }
        public Builder lagBytes(long v) { lagBytes = v; return this; }
        public Builder retention(Duration v) { retention = v; return this; }
        public Builder archivedWait(Duration v) { archivedWait = v; return this; }
        public Builder keyFile(Path v) { keyFile = v; return this; }
        public Builder keyVariable(String v) { keyVariable = v; return this; }

        public ArchiveOptions build() {
            return new ArchiveOptions(url, endpoint, region, pathStyle, lag, lagBytes, retention, archivedWait, keyFile, keyVariable);
        }
    }
}
