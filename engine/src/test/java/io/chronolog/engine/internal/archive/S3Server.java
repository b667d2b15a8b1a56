package io.chronolog.engine.internal.archive;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: s3proxy on 127.0.0.1 (a free port), storing objects in a directory
 * ({@code filesystem-nio2}), so a restart on the same directory keeps them. Credentials are fixed
 * test values; {@link #settings} gives the engine's S3 settings for it.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "chronolog-test";
    public static final String SECRET_KEY = "chronolog-test-secret";

    private final S3Proxy proxy;

    private S3Server(S3Proxy proxy) {
        this.proxy = proxy;
    }

    /** Starts a server keeping its objects under {@code dir}. */
    public static S3Server start(Path dir) throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
        props.setProperty("jclouds.identity", ACCESS_KEY);
        props.setProperty("jclouds.credential", SECRET_KEY);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem-nio2", props))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        proxy.start();
        for (int i = 0; i < 500 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        return new S3Server(proxy);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** The engine's settings for this server, with the given credentials. */
    S3ObjectStore.Settings settings(String accessKey, String secretKey) {
        return new S3ObjectStore.Settings(endpoint(), "us-east-1", true,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
    }

    S3ObjectStore.Settings settings() {
        return settings(ACCESS_KEY, SECRET_KEY);
    }

    private final java.util.concurrent.atomic.AtomicInteger stores = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A fresh, empty store of {@code kind}: {@code "s3"} (a new bucket on this server, keys under
     * {@code prefix}) or {@code "file"} (a new directory under {@code scratch}).
     */
    ObjectStore fresh(String kind, String prefix, Path scratch) throws java.io.IOException {
        String name = "store-" + stores.incrementAndGet();
        if (kind.equals("s3")) {
            createBucket(name);
            return new S3ObjectStore(ArchiveUrl.parse("s3://" + name + "/" + prefix), settings());
        }
        return new FileObjectStore(ArchiveUrl.parse(java.nio.file.Files.createDirectories(scratch.resolve(name)).toUri().toString()));
    }

    /** Creates {@code bucket} with a plain client. */
    public void createBucket(String bucket) {
        try (S3Client c = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(settings().credentials())
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()).build()) {
            c.createBucket(b -> b.bucket(bucket));
        }
    }

    /** The engine's archive options for {@code s3://bucket/prefix} on this server (path-style, this endpoint). */
    public io.chronolog.engine.ArchiveOptions.Builder archive(String bucket, String prefix) {
        return io.chronolog.engine.ArchiveOptions.builder("s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix))
                .endpoint(endpoint()).region("us-east-1").pathStyle(true);
    }

    /** Makes the SDK's default credential chain in this JVM find this server's credentials (system properties). */
    public static void useCredentialsInThisJvm() {
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
