package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link ObjectStore} in an S3-compatible bucket, through the AWS SDK for Java v2. A create is
 * a conditional PUT ({@code If-None-Match: *}): the store answers 412 when the key exists, and
 * this returns false. Credentials come from the caller's provider (by default the SDK's chain:
 * environment, system properties, profiles); nothing about them is stored. Thread-safe (the SDK's
 * client is).
 */
public final class S3ObjectStore implements ObjectStore {
    /** How often a create is tried again while the store reports a conflicting create in flight (409). */
    private static final int CONFLICT_TRIES = 5;

    /** Where the bucket is served and how to reach it. */
    public record Settings(URI endpoint, String region, boolean pathStyle, AwsCredentialsProvider credentials) {
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
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                .region(Region.of(settings.region() == null || settings.region().isBlank() ? "us-east-1" : settings.region()))
                .forcePathStyle(settings.pathStyle())
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(60)));
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
                client.putObject(b -> b.bucket(url.bucket()).key(url.key(key)).ifNoneMatch("*").contentLength((long) body.length),
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
                throw failure("cannot store", key, e);
            }
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(client.getObjectAsBytes(b -> b.bucket(url.bucket()).key(url.key(key))).asByteArray());
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
        String answer;
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            if (isNoSuchBucket(s3)) {
                answer = "bucket " + url.bucket() + " does not exist";
            } else if (s3.statusCode() == 403 || "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
                answer = "the store refused the credentials (" + (code == null ? "403" : code) + "): check AWS_ACCESS_KEY_ID,"
                        + " AWS_SECRET_ACCESS_KEY or the profile";
            } else {
                answer = "the store answered " + s3.statusCode() + (code == null ? "" : " " + code);
            }
        } else if (e instanceof SdkClientException) {
            answer = "the store cannot be reached (" + firstLine(e.getMessage()) + ")";
        } else {
            answer = firstLine(e.getMessage());
        }
        return new ArchiveException(what + " " + where + ": " + answer, e);
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
