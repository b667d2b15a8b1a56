package io.chronolog.cli;

import io.chronolog.engine.Database;
import io.chronolog.engine.Options;
import io.chronolog.engine.Result;
import io.chronolog.engine.Statement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chronolog execute DB --command SQL}: runs SQL against a database. Several statements
 * separated by semicolons run as one atomic batch (one frame): all apply or none do.
 */
@Command(name = "execute", description = {
    "Run SQL against a database. Several statements (separated by ';') run as one atomic batch.",
    "With --json, prints [{\"results\":[{column:value}],\"success\":true,\"meta\":{\"changes\",\"last_row_id\",\"bookmark\"}}],"
        + " one element per statement; BLOB values are lower-case hex strings."})
final class ExecuteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption dataDirOption;

    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Option(names = "--command", paramLabel = "SQL", required = true, description = "The SQL to run.")
    String sql;

    @Option(names = "--json", description = "Print one JSON document on stdout (BLOBs as lower-case hex).")
    boolean json;

    @Override
    public Integer call() {
        Path dataDir = ChronologCommand.root(spec).dataDir(dataDirOption.dataDir);
        Path dir = ChronologCommand.existingDatabaseDir(dataDir, name);
        List<String> texts = SqlScript.split(sql);
        if (texts.isEmpty()) {
            throw new Errors.CliException("--command holds no SQL statement");
        }
        List<Statement> statements = new ArrayList<>(texts.size());
        for (String text : texts) {
            statements.add(Statement.of(text));
        }
        long started = System.nanoTime();
        List<Result> results;
        try (Database db = Database.open(dir, Options.defaults())) {
            results = statements.size() == 1 ? List.of(db.execute(texts.get(0))) : db.batch(statements);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (json) {
            Json.print(spec.commandLine().getOut(), Json.execute(results));
            return 0;
        }
        Renderer r = new Renderer(spec.commandLine().getOut());
        r.line("Executed " + Renderer.plural(results.size(), "statement", "statements") + " on database '" + name
                + "' in " + millis + " ms.");
        long changes = 0;
        for (Result result : results) {
            r.rows(result.rows());
            changes += result.changes();
        }
        Result last = results.get(results.size() - 1);
        r.line(Renderer.plural(changes, "row", "rows") + " changed"
                + (last.lastRowId() != 0 ? ", last row id " + last.lastRowId() : "") + ".");
        r.line("Bookmark: " + Renderer.bookmark(last.bookmark()));
        r.flush();
        return 0;
    }
}
