package io.chronolog.cli;

import io.chronolog.engine.Database;
import io.chronolog.engine.ReadOnlyDatabase;
import io.chronolog.engine.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog verify DB}: checks every frame's chain hash and every checkpoint's checksum,
 * rebuilds every checkpoint from the one before it and the log, and compares the live file with
 * the log. Changes nothing. Exits 1 when it finds a problem (the report is still printed).
 */
@Command(name = "verify", description = {
    "Check the log's hash chain, every checkpoint, and the live file against the log. Changes nothing; exits 1 on a problem.",
    "With --json, prints {\"ok\",\"frames\",\"checkpoints\",\"problems\":[...]}."})
final class VerifyCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Override
    public Integer call() {
        VerifyReport report;
        try (ReadOnlyDatabase db = Databases.openForReading(existing(name))) {
            report = Progress.during(terminal(), "Verifying " + name, db::verify);
        }
        if (json) {
            printJson(Json.verify(report));
        } else {
            Renderer r = renderer();
            r.line((report.ok() ? "OK: " : "PROBLEMS: ") + "'" + name + "': checked "
                    + Renderer.plural(report.frames(), "frame", "frames") + " and "
                    + Renderer.plural(report.checkpoints(), "checkpoint", "checkpoints") + ".");
            for (String p : report.problems()) {
                r.line("  - " + p);
            }
            r.flush();
        }
        if (!report.ok()) {
            err().println("chronolog: error: verify found " + Renderer.plural(report.problems().size(), "problem", "problems")
                    + " in '" + name + "'");
            err().flush();
            return 1;
        }
        return 0;
    }
}
