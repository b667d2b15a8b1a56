package io.chronolog.engine;

import java.time.Instant;
import java.util.List;

/** One write as the log holds it: its bookmark, commit time and statements. Immutable. */
public record LoggedWrite(Bookmark bookmark, Instant timestamp, List<Statement> statements) {
    public LoggedWrite {
        statements = List.copyOf(statements);
    }
}
