package io.chronolog.cli;

import io.chronolog.engine.Database;
import io.chronolog.engine.ReadOnlyDatabase;
import io.chronolog.engine.LoggedWrite;
import io.chronolog.engine.PointInTime;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog log DB [--since T] [--until T] [--limit N]}: the writes the log holds, oldest
 * first, each with its bookmark, commit time and statements: how an operator finds the bad
 * statement and the bookmark just before it.
 */
@Command(name = "log", description = {
    "List the writes in the log, oldest first: bookmark, commit time, statements. With more than --limit, the newest are shown.",
    "With --json, prints [{\"bookmark\",\"timestamp\",\"statements\":[...]}]."})
final class LogCommand extends Verb {
    static final int DEFAULT_LIMIT = 20;

    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Option(names = "--since", paramLabel = "T", description = "Only writes committed at or after T (Unix seconds or RFC 3339).")
    String since;

    @Option(names = "--until", paramLabel = "T", description = "Only writes committed at or before T (Unix seconds or RFC 3339).")
    String until;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + DEFAULT_LIMIT,
            description = "At most N writes, the newest ones (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
        }
        Instant from = since == null ? null : PointInTime.parse(since);
        Instant to = until == null ? null : PointInTime.parse(until);
        List<LoggedWrite> writes;
        try (ReadOnlyDatabase db = Databases.openForReading(existing(name))) {
            writes = db.writes(from, to, limit);
        }
        if (json) {
            printJson(Json.writes(writes));
            return 0;
        }
        Renderer r = renderer();
        r.writes(writes, Integer.MAX_VALUE);
        if (writes.size() == limit) {
            r.line("Showing the newest " + Renderer.plural(limit, "write", "writes") + "; --limit or --until show others.");
        }
        r.flush();
        return 0;
    }
}
