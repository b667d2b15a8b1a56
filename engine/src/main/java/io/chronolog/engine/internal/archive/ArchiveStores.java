package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveOptions;
import java.net.URI;
import java.util.Map;

/**
 * Opens the store an {@link ArchiveOptions} names: a directory for {@code file://}, an
 * S3-compatible bucket for {@code s3://} (endpoint and region from the options, else
 * {@code AWS_ENDPOINT_URL} and {@code AWS_REGION}; credentials from the SDK's default chain),
 * encrypting and decrypting on this side when a master key is configured. The one place that
 * decides how a URL becomes a store.
 */
public final class ArchiveStores {
    private ArchiveStores() {
    }

    /** The store for {@code options}, read from the process's environment. */
    public static ObjectStore open(ArchiveOptions options) {
        return open(options, System.getenv());
    }

    public static ObjectStore open(ArchiveOptions options, Map<String, String> env) {
        ArchiveUrl url = ArchiveUrl.parse(options.url());
        ObjectStore store;
        if ("file".equals(url.scheme())) {
            store = new FileObjectStore(url);
        } else {
            URI endpoint = options.endpoint();
            if (endpoint == null && env.get("AWS_ENDPOINT_URL") != null && !env.get("AWS_ENDPOINT_URL").isBlank()) {
                endpoint = URI.create(env.get("AWS_ENDPOINT_URL"));
            }
            String region = options.region() != null ? options.region() : env.get("AWS_REGION");
            store = new S3ObjectStore(url, new S3ObjectStore.Settings(endpoint, region, options.pathStyle(), null));
        }
        return encrypting(store, options, env);
    }

    private static ObjectStore encrypting(ObjectStore store, ArchiveOptions options, Map<String, String> env) {
        if (!options.encrypted()) {
            return store;
        }
        try {
            ArchiveKeys keys = options.keyFile() != null ? ArchiveKeys.fromFile(options.keyFile())
                    : ArchiveKeys.fromEnvironment(options.keyVariable(), env);
            return new EncryptedObjectStore(store, keys);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }
}
