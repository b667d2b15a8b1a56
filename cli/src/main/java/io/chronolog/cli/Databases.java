package io.chronolog.cli;

import io.chronolog.engine.Database;
import io.chronolog.engine.Options;
import io.chronolog.engine.ReadOnlyDatabase;
import java.nio.file.Path;

/**
 * The one place where the CLI opens databases, so every verb opens with the same options.
 *
 * <p>Writing verbs take the database's {@code LOCK}, without the engine's background work: a
 * command lives for seconds, and checkpoints and the hourly automatic backups belong to the process
 * that serves the application (what a command does must not depend on how long it ran). Reading verbs go through
 * {@link #openForReading}: the engine's read-only open, which takes no lock and works while another
 * process writes, showing the state as of the moment it opened. {@code execute} of a single plain
 * read opens read-only too, and asks the engine ({@code isRead}) before it runs anything.
 */
final class Databases {
    private Databases() {
    }

    /** Opens a database to change it; fails with "database X is in use by process N" when another process holds it. */
    static Database openForWriting(Path dir) {
        return Database.open(dir, options());
    }

    /** The options of every writing open, also handed to the archive verbs that open a database themselves. */
    static Options options() {
        return Options.defaults().toBuilder().background(false).build();
    }

    /** Opens a database to read it, without its lock; the instance has no verb that changes it. */
    static ReadOnlyDatabase openForReading(Path dir) {
        return Database.openReadOnly(dir, Options.defaults());
    }
}
