package io.chronolog.cli;

import io.chronolog.engine.ArchiveStatus;
import io.chronolog.engine.Database;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog archive sync DB [--timeout 60s]}: ships everything now (every write, checkpoint
 * and backup) and returns once the archive holds it; fails when the archive does not take it in
 * time, naming the last error. Opens the database to write (not beside its running writer).
 */
@Command(name = "sync", description = {
    "Ship everything to the archive now; returns once the archive holds it (fails after --timeout naming the last error).",
    "With --json, prints the archive's status (see archive status)."})
final class ArchiveSyncCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Amounts.DurationConverter.class, defaultValue = "60s",
            description = "Longest to wait for the archive (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        ArchiveStatus status;
        try (Database db = Databases.openForWriting(existing(name))) {
            status = Progress.during(terminal(), "Shipping " + name, () -> db.archiveSync(timeout));
        }
        if (json) {
            printJson(Json.archiveStatus(name, status));
            return 0;
        }
        Renderer r = renderer();
        r.line("The archive holds every write of '" + name + "'.");
        r.archiveStatus(status);
        r.flush();
        return 0;
    }
}
