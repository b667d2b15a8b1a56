package io.chronolog.cli;

import io.chronolog.engine.BackupInfo;
import io.chronolog.engine.Database;
import io.chronolog.engine.RestoreResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog backup restore DB ID [--yes]}: a restore to the backup's moment, with the same
 * confirmation and undo as {@code time-travel restore}.
 */
@Command(name = "restore", description = {
    "Restore a database to a backup. Asks for confirmation unless --yes; prints the undo bookmark.",
    "With --json, prints {\"bookmark\",\"previous_bookmark\"}."})
final class BackupRestoreCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Parameters(index = "1", paramLabel = "ID", description = "The backup's id (see backup list).")
    String id;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
        try (Database db = Databases.openForWriting(existing(name))) {
            BackupInfo b = db.backups().get(id);
            if (!yes && terminal().interactive()) {
                err().println("Restoring '" + name + "' to backup " + id + " taken " + Renderer.time(b.createdAt())
                        + " (bookmark " + b.bookmark() + "); the restore itself can be undone.");
            }
            confirmOrRefuse(yes, "restore of '" + name + "' to backup " + id);
            RestoreResult result = Progress.during(terminal(), "Restoring " + name, () -> db.backups().restore(id));
            if (json) {
                printJson(Json.restored(result));
                return 0;
            }
            Renderer r = renderer();
            r.restored("Restored '" + name + "' to backup " + id + " (taken " + Renderer.time(b.createdAt()) + ").", result,
                    undoCommand(name, result.previousBookmark()));
            r.flush();
        }
        return 0;
    }
}
