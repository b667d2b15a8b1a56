package io.chronolog.cli;

import io.chronolog.engine.Database;
import io.chronolog.engine.Options;
import io.chronolog.wal.Bookmark;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chronolog time-travel info DB [--timestamp T]}: the current bookmark, or the one at a moment. */
@Command(name = "info", description = {
    "Show the current bookmark of a database, or the bookmark at --timestamp.",
    "With --json, prints {\"bookmark\":\"...\"}."})
final class TimeTravelInfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption dataDirOption;

    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Option(names = "--timestamp", paramLabel = "T",
            description = "A Unix time in seconds or an RFC 3339 date-time (2026-11-22T10:00:00Z): the bookmark of the last write at or before it.")
    String timestamp;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() {
        Instant at = timestamp == null ? null : TimeArgument.parse(timestamp);
        Path dataDir = ChronologCommand.root(spec).dataDir(dataDirOption.dataDir);
        Path dir = ChronologCommand.existingDatabaseDir(dataDir, name);
        Bookmark bookmark;
        try (Database db = Database.open(dir, Options.defaults())) {
            bookmark = at == null ? db.bookmark() : db.bookmarkAt(at);
        }
        if (json) {
            Json.print(spec.commandLine().getOut(), Json.bookmark(bookmark));
            return 0;
        }
        Renderer r = new Renderer(spec.commandLine().getOut());
        r.line(at == null
                ? "The current bookmark of '" + name + "' is " + Renderer.bookmark(bookmark)
                : "The bookmark of '" + name + "' at " + at + " is " + Renderer.bookmark(bookmark));
        r.flush();
        return 0;
    }
}
