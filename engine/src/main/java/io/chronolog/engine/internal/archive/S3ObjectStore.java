package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link ObjectStore} in an S3-compatible bucket, through the AWS SDK for Java v2. A create is
 * a conditional PUT ({@code If-None-Match: *}): the store answers 412 when the key exists, and
 * this returns false. Credentials come from the caller's provider (by default the SDK's chain:
 * environment, system properties, profiles); nothing about them is stored. Every request ends
 * within the {@linkplain Limits limits} of the settings, and every failure is one line naming the
 * store, the key and what happened (the store's error code, that it cannot be reached, that the
 * connection failed, that its answer was cut short, or the limit that ran out). A read returns
 * the whole object or fails, never fewer bytes. After a failure the same instance serves the
 * next requests (a connection that failed is closed, never pooled). Thread-safe (the SDK's client is).
 */
public final class S3ObjectStore implements ObjectStore {
    /** How often a create is tried again while the store reports a conflicting create in flight (409). */
    private static final int CONFLICT_TRIES = 5;

    /**
     * Where the bucket is served, how to reach it, and how long a request may take. A null
     * endpoint means AWS's own for the region; null credentials mean the SDK's default chain.
     * Invariant: {@code limits} is never null (the four-argument constructor gives
     * {@link Limits#DEFAULT}).
     */
    public record Settings(URI endpoint, String region, boolean pathStyle, AwsCredentialsProvider credentials, Limits limits) {
        public Settings {
            Objects.requireNonNull(limits, "limits");
        }

        /** Settings with the {@linkplain Limits#DEFAULT default limits}. */
        public Settings(URI endpoint, String region, boolean pathStyle, AwsCredentialsProvider credentials) {
            this(endpoint, region, pathStyle, credentials, Limits.DEFAULT);
        }

        /** These settings with other limits. */
        public Settings withLimits(Limits limits) {
            return new Settings(endpoint, region, pathStyle, credentials, limits);
        }
    }

    /**
     * How long a request to the store may take and how often it is tried: every call to the store
     * ends, successfully or with an {@link ArchiveException}, within {@code callTimeout}. An
     * operation is one call or a few: a read, a delete one; a create one, and one more (the read
     * that compares) when the key exists, or up to five in all while the store reports a
     * conflicting create in flight (409); a listing one per page of 1,000 keys; the access check two. A call is tried
     * at most {@code attempts} times, each attempt
     * within {@code attemptTimeout}, waiting between attempts an exponentially growing, jittered
     * delay starting at {@code backoff} (ten times that after the store asked to slow down, 503
     * SlowDown). Connecting is given up after {@code connectTimeout}; a connection that carries
     * no byte for {@code readTimeout} is given up. Invariant: every duration is positive,
     * {@code connectTimeout} and {@code readTimeout} are at most {@code attemptTimeout}, which is
     * at most {@code callTimeout}, and {@code attempts} is at least 1.
     */
    public record Limits(Duration connectTimeout, Duration readTimeout, Duration attemptTimeout, Duration callTimeout,
            int attempts, Duration backoff) {
        /** Connect within 5 s, no silence over 10 s, 10 s per attempt, 3 attempts, 30 s per call, backoff from 100 ms. */
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 3, Duration.ofMillis(100));

        public Limits {
            for (Duration d : new Duration[] {connectTimeout, readTimeout, attemptTimeout, callTimeout, backoff}) {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("archive store limits need positive durations, not " + d);
                }
            }
            if (connectTimeout.compareTo(attemptTimeout) > 0 || readTimeout.compareTo(attemptTimeout) > 0
                    || attemptTimeout.compareTo(callTimeout) > 0) {
                throw new IllegalArgumentException("archive store limits out of order: connect " + connectTimeout + " and read "
                        + readTimeout + " must be at most the attempt's " + attemptTimeout + ", at most the call's " + callTimeout);
            }
            if (attempts < 1) {
                throw new IllegalArgumentException("archive store limits need at least 1 attempt, not " + attempts);
            }
        }
    }

    private final ArchiveUrl url;
    private final Settings settings;
    private final S3Client client;

    public S3ObjectStore(ArchiveUrl url, Settings settings) {
        if (!"s3".equals(url.scheme())) {
            throw new IllegalArgumentException("not an s3 URL: " + url);
        }
        this.url = url;
        this.settings = settings;
        Limits limits = settings.limits();
        // retries: the SDK's standard conditions (I/O errors, 5xx, throttling, attempt timeouts) and an
        // answer cut short (the SDK gives up at once when a cut XML answer fails to parse), with
        // bounded attempts and no circuit breaker, so that every call is tried the same number of
        // times however many failed before it
        StandardRetryStrategy retries = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(limits.attempts())
                .backoffStrategy(BackoffStrategy.exponentialDelay(limits.backoff(), limits.attemptTimeout()))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(limits.backoff().multipliedBy(10), limits.attemptTimeout()))
                .retryOnException(S3ObjectStore::brokenTransfer)
                .circuitBreakerEnabled(false)
                .build();
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(limits.connectTimeout())
                        .socketTimeout(limits.readTimeout()))
                .region(Region.of(settings.region() == null || settings.region().isBlank() ? "us-east-1" : settings.region()))
                .forcePathStyle(settings.pathStyle())
                .overrideConfiguration(c -> c.apiCallTimeout(limits.callTimeout())
                        .apiCallAttemptTimeout(limits.attemptTimeout())
                        .retryStrategy(retries));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        if (settings.credentials() != null) {
            builder.credentialsProvider(settings.credentials());
        }
        this.client = builder.build();
    }

    @Override
    public void checkAccess() {
        try {
            client.headBucket(b -> b.bucket(url.bucket()));
            client.listObjectsV2(b -> b.bucket(url.bucket()).prefix(url.key("")).maxKeys(1));
        } catch (SdkException e) {
            throw failure("cannot use the archive", null, e);
        }
    }

    @Override
    public boolean createIfAbsent(String key, byte[] body) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.putObject(b -> b.bucket(url.bucket()).key(url.key(key)).ifNoneMatch("*").contentLength((long) body.length)
                                .overrideConfiguration(c -> sizedFor(c, body.length)),
                        RequestBody.fromBytes(body));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    // the key exists: another writer's object, or this one's own from an attempt the SDK retried
                    return get(key).map(there -> java.util.Arrays.equals(there, body)).orElse(false);
                }
                if (e.statusCode() == 409 && attempt < CONFLICT_TRIES) {
                    sleep(attempt); // a concurrent conditional create of the same key is in flight: its outcome decides
                    continue;
                }
                throw failure("cannot store", key, e);
            } catch (SdkException e) {
                // the connection failed while the body was being sent: the store may have answered 412 early (the key
                // exists, perhaps this create's own object from an attempt whose answer was lost) and closed it, which
                // the client reports as a write error, never as the 412; what the key holds decides
                if (e instanceof software.amazon.awssdk.core.exception.ApiCallTimeoutException
                        || e instanceof software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException) {
                    throw failure("cannot store", key, e); // the call's time is spent: no further request
                }
                Optional<byte[]> there;
                try {
                    there = get(key);
                } catch (ArchiveException unreadable) {
                    e.addSuppressed(unreadable);
                    throw failure("cannot store", key, e);
                }
                if (there.isPresent()) {
                    return java.util.Arrays.equals(there.get(), body);
                }
                throw failure("cannot store", key, e);
            }
        }
    }

    /** Bytes per second an upload is given at least: a large object's limits grow with its size. */
    private static final long SLOWEST_BYTES_PER_SECOND = 1L << 20;

    /** The limits for a request that sends {@code bytes}: the configured ones, or longer for a large object (1 MiB/s at least). */
    private void sizedFor(software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration.Builder c, long bytes) {
        Duration needed = Duration.ofSeconds(bytes / SLOWEST_BYTES_PER_SECOND);
        Limits limits = settings.limits();
        if (needed.compareTo(limits.attemptTimeout()) > 0) {
            c.apiCallAttemptTimeout(needed.plus(limits.attemptTimeout()));
            c.apiCallTimeout(needed.plus(limits.attemptTimeout()).multipliedBy(limits.attempts()).plus(limits.callTimeout()));
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        return read(key, null);
    }

    @Override
    public Optional<byte[]> getLarge(String key) {
        Limits limits = settings.limits();
        Duration attempt = limits.attemptTimeout().multipliedBy(60); // 10 minutes by default; a stall still ends on the read timeout
        return read(key, c -> c.apiCallAttemptTimeout(attempt)
                .apiCallTimeout(attempt.multipliedBy(limits.attempts()).plus(limits.callTimeout())));
    }

    /** One GET of {@code key}, with {@code limits} overriding the configured time limits when given. */
    private Optional<byte[]> read(String key, java.util.function.Consumer<software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration.Builder> limits) {
        try {
            return Optional.of(client.getObject(b -> {
                b.bucket(url.bucket()).key(url.key(key));
                if (limits != null) {
                    b.overrideConfiguration(limits);
                }
            }, S3ObjectStore::wholeBody));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
                return Optional.empty();
            }
            throw failure("cannot read", key, e);
        } catch (SdkException e) {
            throw failure("cannot read", key, e);
        }
    }

    /**
     * The object's bytes, all of them: the URL-connection client ends a body cut short by a closed
     * connection as if it were whole, so its length is checked against the answer's
     * Content-Length; a short body fails the attempt (and is tried again).
     */
    private static byte[] wholeBody(GetObjectResponse response, InputStream in) throws IOException {
        byte[] body = in.readAllBytes();
        Long expected = response.contentLength();
        if (expected != null && expected != body.length) {
            CutShort cut = new CutShort(body.length, expected);
            throw RetryableException.create(cut.getMessage(), cut);
        }
        return body;
    }

    /** An answer's body that ended before its Content-Length. */
    private static final class CutShort extends IOException {
        private static final long serialVersionUID = 1L;

        CutShort(long received, long expected) {
            super("the answer ended after " + received + " of its " + expected + " bytes");
        }
    }

    @Override
    public List<String> list(String prefix) {
        String full = url.key(prefix);
        int strip = url.prefix().isEmpty() ? 0 : url.prefix().length() + 1;
        List<String> out = new ArrayList<>();
        try {
            for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(url.bucket()).prefix(full)).contents()) {
                out.add(o.key().substring(strip));
            }
        } catch (SdkException e) {
            throw failure("cannot list", prefix, e);
        }
        out.sort(null);
        return out;
    }

    @Override
    public List<Listed> listSized(String prefix) {
        String full = url.key(prefix);
        int strip = url.prefix().isEmpty() ? 0 : url.prefix().length() + 1;
        List<Listed> out = new ArrayList<>();
        try {
            for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(url.bucket()).prefix(full)).contents()) {
                out.add(new Listed(o.key().substring(strip), o.size() == null ? -1 : o.size()));
            }
        } catch (SdkException e) {
            throw failure("cannot list", prefix, e);
        }
        out.sort(java.util.Comparator.comparing(Listed::key));
        return out;
    }

    @Override
    public void delete(String key) {
        try {
            client.deleteObject(b -> b.bucket(url.bucket()).key(url.key(key)));
        } catch (SdkException e) {
            throw failure("cannot delete", key, e);
        }
    }

    @Override
    public String describe() {
        return url + (settings.endpoint() == null ? "" : " at " + settings.endpoint());
    }

    @Override
    public void close() {
        client.close();
    }

    /** The caller's error: what was asked, of which key, and what the store answered, in one line. */
    private ArchiveException failure(String what, String key, SdkException e) {
        String where = key == null ? describe() : describe() + " (key " + url.key(key) + ")";
        return new ArchiveException(what + " " + where + ": " + answer(e) + tries(e), e);
    }

    /** What went wrong, in a few words. */
    private String answer(SdkException e) {
        Limits limits = settings.limits();
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            if (isNoSuchBucket(s3)) {
                return "bucket " + url.bucket() + " does not exist";
            }
            if (s3.statusCode() == 403 || "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
                return "the store refused the credentials (" + (code == null ? "403" : code) + "): check AWS_ACCESS_KEY_ID,"
                        + " AWS_SECRET_ACCESS_KEY or the profile";
            }
            return "the store answered " + s3.statusCode() + (code == null ? "" : " " + code);
        }
        if (e instanceof ApiCallTimeoutException) {
            return "timed out after " + seconds(limits.callTimeout()) + " (the limit of one call)";
        }
        if (e instanceof ApiCallAttemptTimeoutException) {
            return "timed out after " + seconds(limits.attemptTimeout()) + " (the limit of one attempt)";
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof CutShort) {
                return "the store's answer was cut short (" + c.getMessage() + ")";
            }
            if (c instanceof SocketTimeoutException) {
                return c.getMessage() != null && c.getMessage().toLowerCase(Locale.ROOT).contains("connect")
                        ? "the store cannot be reached (connecting timed out after " + seconds(limits.connectTimeout()) + ")"
                        : "timed out after " + seconds(limits.readTimeout()) + " without a byte from the store";
            }
            if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof NoRouteToHostException) {
                return "the store cannot be reached (" + oneLine(c) + ")";
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof IOException) {
            return "the connection to the store failed (" + oneLine(root) + ")";
        }
        return oneLine(e);
    }

    /** How often the call was tried, when more than once. */
    private static String tries(SdkException e) {
        Integer n = e.numAttempts();
        return n == null || n < 2 ? "" : " (" + n + " attempts)";
    }

    /** Whether a failed attempt broke off an answer that is worth asking again: its root cause is an I/O error. */
    private static boolean brokenTransfer(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root instanceof IOException;
    }

    /** {@code d} as people read it: "4 s", "1.5 s", "250 ms". */
    private static String seconds(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        return (ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.valueOf(ms / 1000.0)) + " s";
    }

    /** A throwable's message on one line, without the SDK's attempt count (the message gives it once). */
    private static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : firstLine(t.getMessage());
        return m.replaceAll("\\s*\\(SDK Attempt Count: \\d+\\)", "").replaceFirst("^Unable to execute HTTP request: ", "").trim();
    }

    private static boolean isNoSuchBucket(S3Exception e) {
        if (e instanceof software.amazon.awssdk.services.s3.model.NoSuchBucketException) {
            return true;
        }
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return "NoSuchBucket".equals(code) || (e.statusCode() == 404 && code == null && e.getMessage() != null
                && e.getMessage().contains("bucket"));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void sleep(int attempt) {
        try {
            Thread.sleep(20L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArchiveException("interrupted while storing an archive object", e);
        }
    }
}
