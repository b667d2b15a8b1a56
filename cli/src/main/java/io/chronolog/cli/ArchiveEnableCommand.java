package io.chronolog.cli;

import io.chronolog.engine.ArchiveOptions;
import io.chronolog.engine.ArchiveStatus;
import io.chronolog.engine.Archives;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog archive enable DB --url URL [...]}: attaches an archive to a database. Access is
 * checked first (an unknown bucket or refused credentials change nothing), the setting is kept in
 * the database's directory so that every writing open ships, and the whole retained history is
 * shipped before the verb returns. The database must not be open elsewhere.
 */
@Command(name = "enable", description = {
    "Ship a database to an archive (s3://BUCKET/PREFIX or file:///PATH) from now on; ships its history before returning.",
    "Credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or the AWS SDK's other sources).",
    "With --json, prints the archive's status (see archive status)."})
final class ArchiveEnableCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Option(names = "--url", paramLabel = "URL", required = true, description = "The archive: s3://BUCKET[/PREFIX] or file:///PATH.")
    String url;

    @Mixin
    ArchiveLocation location;

    @Option(names = "--lag", paramLabel = "DURATION", converter = Amounts.DurationConverter.class,
            description = "Longest a write waits before it is shipped (default 1s; 0s to 1h).")
    Duration lag;

    @Option(names = "--lag-bytes", paramLabel = "BYTES", converter = Amounts.BytesConverter.class,
            description = "... or most bytes of writes waiting, whichever comes first (default 16MiB).")
    Long lagBytes;

    @Option(names = "--retention", paramLabel = "DURATION", converter = Amounts.DurationConverter.class,
            description = "How far back the archive keeps history, e.g. 90d (default: as long as the database's own window).")
    Duration retention;

    @Option(names = "--archived-wait", paramLabel = "DURATION", converter = Amounts.DurationConverter.class,
            description = "Longest an ARCHIVED write waits for its upload before it fails (default 10s; 0s to 1h).")
    Duration archivedWait;

    @Override
    public Integer call() {
        Path dir = existing(name);
        ArchiveOptions options;
        try {
            ArchiveOptions.Builder b = location.builder(url);
            if (lag != null) {
                b.lag(lag);
            }
            if (lagBytes != null) {
                b.lagBytes(lagBytes);
            }
            if (retention != null) {
                b.retention(retention);
            }
            if (archivedWait != null) {
                b.archivedWait(archivedWait);
            }
            options = b.build();
        } catch (IllegalArgumentException e) {
            throw new Errors.CliException(e.getMessage().replace("ArchiveOptions.lagBytes", "--lag-bytes")
                    .replace("ArchiveOptions.archivedWait", "--archived-wait").replace("ArchiveOptions.", "--"));
        }
        ArchiveStatus status = Progress.during(terminal(), "Shipping " + name, () -> Archives.enable(dir, options, Databases.options()));
        if (json) {
            printJson(Json.archiveStatus(name, status));
            return 0;
        }
        Renderer r = renderer();
        r.line("Archive enabled for '" + name + "': every writing open ships to " + options.url() + " (lag at most "
                + Amounts.duration(options.lag()) + " or " + Renderer.size(options.lagBytes())
                + (options.encrypted() ? "; encrypted on this side" : "") + ").");
        r.archiveStatus(status);
        r.line("Check it with: chronolog" + ChronologCommand.root(spec).dataDirArgument(dataDirOption.dataDir) + " archive status " + name);
        r.flush();
        return 0;
    }
}
