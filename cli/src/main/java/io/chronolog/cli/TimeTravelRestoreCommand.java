package io.chronolog.cli;

import io.chronolog.engine.Bookmark;
import io.chronolog.engine.Database;
import io.chronolog.engine.ReadOnlyDatabase;
import io.chronolog.engine.RestorePlan;
import io.chronolog.engine.RestoreResult;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog time-travel restore DB (--bookmark B | --timestamp T) [--yes] [--dry-run]}:
 * brings back the state at a moment. Shows the plan, asks {@code OK to proceed (y/N)} unless
 * {@code --yes}, restores, and prints the undo bookmark with the command that undoes the restore.
 * {@code --dry-run} prints the plan, including the writes the restore would take back, and changes
 * nothing.
 */
@Command(name = "restore", description = {
    "Restore a database to a bookmark or a time. Asks for confirmation unless --yes; prints the undo bookmark.",
    "With --json, prints {\"bookmark\",\"previous_bookmark\"};"
        + " with --dry-run, {\"target\",\"checkpoint\",\"frames_to_replay\",\"undone\":[{\"bookmark\",\"timestamp\",\"statements\"}]}."})
final class TimeTravelRestoreCommand extends Verb {
    /** Writes the human --dry-run lists before it says how many more there are. */
    static final int SHOWN_UNDONE = 50;

    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** The moment to restore: exactly one of the two. */
    static final class Target {
        @Option(names = "--bookmark", paramLabel = "B", required = true, description = "The bookmark to restore.")
        String bookmark;

        @Option(names = "--timestamp", paramLabel = "T", required = true,
                description = "Restore the last write at or before T (Unix seconds or RFC 3339).")
        String timestamp;
    }

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = "--dry-run", description = "Print what the restore would do and change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Moment moment = Moment.of(target.bookmark, target.timestamp);
        Path dir = existing(name);
        if (dryRun) {
            RestorePlan plan;
            try (ReadOnlyDatabase db = Databases.openForReading(dir)) {
                plan = db.planRestore(moment.resolve(db));
            }
            printPlan(plan);
            return 0;
        }
        try (Database db = Databases.openForWriting(dir)) {
            Bookmark to = moment.resolve(db);
            RestorePlan plan = db.planRestore(to);
            if (!yes && terminal().interactive()) {
                err().println("Restoring '" + name + "' to " + to + " takes back "
                        + Renderer.plural(plan.undone().size(), "write", "writes") + " (see --dry-run); "
                        + "the restore itself can be undone.");
            }
            confirmOrRefuse(yes, "restore of '" + name + "'");
            RestoreResult result = Progress.during(terminal(), "Restoring " + name, () -> db.restore(to));
            if (json) {
                printJson(Json.restored(result));
                return 0;
            }
            Renderer r = renderer();
            r.restored("Restored '" + name + "' to " + to + " (" + Renderer.plural(plan.undone().size(), "write", "writes")
                    + " taken back).", result, undoCommand(name, result.previousBookmark()));
            r.flush();
        }
        return 0;
    }

    private void printPlan(RestorePlan plan) {
        if (json) {
            printJson(Json.plan(plan));
            return;
        }
        Renderer r = renderer();
        r.line("Dry run: nothing was changed. A restore of '" + name + "' to " + plan.target() + " would:");
        r.field("load checkpoint", plan.checkpoint() + " (the state after frame " + plan.checkpointPosition() + ")");
        r.field("replay", Renderer.plural(plan.framesToReplay(), "frame", "frames"));
        r.field("take back", Renderer.plural(plan.undone().size(), "write", "writes"));
        if (!plan.undone().isEmpty()) {
            r.heading("Writes the restore would take back (oldest first)");
            r.writes(plan.undone(), SHOWN_UNDONE);
        }
        r.line("To restore: chronolog" + ChronologCommand.root(spec).dataDirArgument(dataDirOption.dataDir)
                + " time-travel restore " + name + " --bookmark " + plan.target());
        r.flush();
    }
}
