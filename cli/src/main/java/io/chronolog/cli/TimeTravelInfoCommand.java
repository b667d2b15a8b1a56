package io.chronolog.cli;

import io.chronolog.engine.Database;
import io.chronolog.engine.ReadOnlyDatabase;
import io.chronolog.engine.Bookmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chronolog time-travel info DB [--timestamp T]}: the current bookmark, or the one at a moment. */
@Command(name = "info", description = {
    "Show the current bookmark of a database, or the bookmark at --timestamp.",
    "With --json, prints {\"bookmark\":\"...\"}."})
final class TimeTravelInfoCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Option(names = "--timestamp", paramLabel = "T",
            description = "A Unix time in seconds or an RFC 3339 date-time (2026-11-22T10:00:00Z): the bookmark of the last write at or before it.")
    String timestamp;

    @Override
    public Integer call() {
        Moment at = timestamp == null ? null : Moment.time(timestamp);
        Bookmark bookmark;
        try (ReadOnlyDatabase db = Databases.openForReading(existing(name))) {
            bookmark = at == null ? db.bookmark() : at.resolve(db);
        }
        if (json) {
            printJson(Json.bookmark(bookmark));
            return 0;
        }
        Renderer r = renderer();
        r.line(at == null
                ? "The current bookmark of '" + name + "' is " + Renderer.bookmark(bookmark)
                : "The bookmark of '" + name + "' at " + Renderer.time(at.time()) + " is " + Renderer.bookmark(bookmark));
        r.line("To restore it: chronolog" + ChronologCommand.root(spec).dataDirArgument(dataDirOption.dataDir)
                + " time-travel restore " + name + " --bookmark " + bookmark);
        r.flush();
        return 0;
    }
}
