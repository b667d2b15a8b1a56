package io.chronolog.cli;

import io.chronolog.engine.Database;
import io.chronolog.engine.ReadOnlyDatabase;
import io.chronolog.engine.RestoreRecord;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chronolog time-travel history DB}: every restore the log still holds, oldest first. */
@Command(name = "history", description = {
    "List the restores of a database, oldest first: the epoch each opened, when, the moment it brought back, and its undo bookmark.",
    "With --json, prints [{\"epoch\",\"at\",\"target\",\"previous_bookmark\"}]."})
final class TimeTravelHistoryCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Override
    public Integer call() {
        List<RestoreRecord> history;
        try (ReadOnlyDatabase db = Databases.openForReading(existing(name))) {
            history = db.history();
        }
        if (json) {
            printJson(Json.history(history));
            return 0;
        }
        Renderer r = renderer();
        if (history.isEmpty()) {
            r.line("No restores of '" + name + "'.");
            r.flush();
            return 0;
        }
        List<List<String>> body = new ArrayList<>();
        for (RestoreRecord h : history) {
            body.add(List.of(Long.toString(h.epoch() & 0xFFFF_FFFFL), Renderer.time(h.at()), Renderer.bookmark(h.target()),
                    Renderer.bookmark(h.previousBookmark())));
        }
        r.table(List.of("epoch", "at", "restored to", "undo bookmark"), body);
        r.flush();
        return 0;
    }
}
