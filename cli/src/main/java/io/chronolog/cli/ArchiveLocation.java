package io.chronolog.cli;

import io.chronolog.engine.ArchiveOptions;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * How to reach an archive, shared by every verb that names one: the S3 endpoint, region and
 * addressing, and the master keys of an encrypted archive (a key file or an environment variable,
 * not both). The URL itself is each verb's own {@code --url} (required by the archive verbs,
 * optional on the backup verbs). Credentials never appear here: they come from
 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} or the SDK's other sources.
 */
final class ArchiveLocation {
    @Option(names = "--endpoint", paramLabel = "URL",
            description = "S3 endpoint, for an S3-compatible server (default: $AWS_ENDPOINT_URL, else AWS).")
    URI endpoint;

    @Option(names = "--region", paramLabel = "REGION", description = "S3 region (default: $AWS_REGION, else us-east-1).")
    String region;

    @Option(names = "--path-style", description = "Address the bucket in the path, not the host name (most S3-compatible servers).")
    boolean pathStyle;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Keys keys;

    /** The master keys: from a file or from an environment variable. */
    static final class Keys {
        @Option(names = "--key-file", paramLabel = "FILE", required = true,
                description = "Encrypt with the master keys in FILE (one ID:BASE64 a line, current first; not readable by others).")
        Path file;

        @Option(names = "--key-env", paramLabel = "VAR", required = true,
                description = "Encrypt with the master keys in environment variable VAR (ID:BASE64 entries, current first).")
        String variable;
    }

    /** The archive at {@code url} reached as these options say, with the engine's shipping defaults. */
    ArchiveOptions.Builder builder(String url) {
        try {
            return ArchiveOptions.builder(url).endpoint(endpoint).region(region).pathStyle(pathStyle)
                    .keyFile(keys == null || keys.file == null ? null : keys.file.toAbsolutePath().normalize())
                    .keyVariable(keys == null ? null : keys.variable);
        } catch (IllegalArgumentException e) {
            throw new Errors.CliException(e.getMessage());
        }
    }

    /** {@link #builder} built, for the verbs that only read the archive. */
    ArchiveOptions options(String url) {
        try {
            return builder(url).build();
        } catch (IllegalArgumentException e) {
            throw new Errors.CliException(e.getMessage());
        }
    }
}
