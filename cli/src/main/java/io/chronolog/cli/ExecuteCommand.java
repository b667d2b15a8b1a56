package io.chronolog.cli;

import io.chronolog.engine.Database;
import io.chronolog.engine.ReadOnlyDatabase;
import io.chronolog.engine.Result;
import io.chronolog.engine.Row;
import io.chronolog.engine.RowConsumer;
import io.chronolog.engine.Rows;
import io.chronolog.engine.Statement;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog execute DB (--command SQL | --file F)}: runs SQL against a database. Several
 * statements separated by semicolons ({@link Statement#split}) run as one atomic batch (one frame): all
 * apply or none do. Rows a statement returns are shown as box tables, or under {@code --json} as
 * the {@code results} of its element. A single statement's rows are printed as they stream from the
 * engine ({@link Database#execute(Statement, RowConsumer)}), so a SELECT of any size prints with
 * bounded memory; a batch's results are held, within the engine's result limits. A single plain
 * read (the engine's {@link ReadOnlyDatabase#isRead}) runs on the engine's read-only open, without
 * {@code LOCK}, so it works beside a process that holds the database; everything else opens it for
 * writing. The output is the same either way.
 */
@Command(name = "execute", description = {
    "Run SQL against a database. Several statements (separated by ';') run as one atomic batch: all apply or none.",
    "With --json, prints [{\"results\":[{column:value}],\"success\":true,\"meta\":{\"changes\",\"last_row_id\",\"bookmark\"}}],"
        + " one element per statement; BLOB values are lower-case hex strings."})
final class ExecuteCommand extends Verb {
    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Where the SQL comes from: exactly one of the two. */
    static final class Source {
        @Option(names = "--command", paramLabel = "SQL", required = true, description = "The SQL to run.")
        String sql;

        @Option(names = "--file", paramLabel = "F", required = true, description = "A UTF-8 file of SQL statements to run.")
        Path file;
    }

    @Override
    public Integer call() {
        String text = source.sql != null ? source.sql : read(source.file);
        String where = source.sql != null ? "--command" : source.file.toString();
        List<String> texts = Statement.split(text);
        if (texts.isEmpty()) {
            throw new Errors.CliException(where + " holds no SQL statement");
        }
        Path dir = existing(name);
        List<Statement> statements = new ArrayList<>(texts.size());
        for (String t : texts) {
            statements.add(Statement.of(t));
        }
        long started = System.nanoTime();
        if (statements.size() == 1 && !startsAsAWrite(statements.get(0).sql())) {
            try (ReadOnlyDatabase reader = Databases.openForReading(dir)) {
                if (reader.isRead(statements.get(0))) {
                    return read(reader, statements.get(0), started);
                }
            }
        }
        try (Database db = Databases.openForWriting(dir)) {
            if (json) {
                // rows are written as they stream in: a SELECT of any size prints with bounded memory
                Json.ExecuteStream doc = Json.executeStream(spec.commandLine().getOut());
                if (statements.size() == 1) {
                    RowConsumer rows = doc.statement();
                    doc.endStatement(db.execute(statements.get(0), rows));
                } else {
                    for (Result result : db.batch(statements)) {
                        RowConsumer rows = doc.statement();
                        feed(result.rows(), rows);
                        doc.endStatement(result);
                    }
                }
                doc.finish();
                return 0;
            }
            Renderer r = renderer();
            List<Result> results;
            if (statements.size() == 1) {
                Renderer.StreamedTable table = r.streamedTable();
                results = List.of(db.execute(statements.get(0), table));
                table.finish();
            } else {
                results = db.batch(statements);
                for (Result result : results) {
                    r.rows(result.rows());
                }
            }
            summary(r, results, started);
            return 0;
        }
    }

    /** The lines after the tables: statements, time since {@code started}, rows changed, last row id, bookmark. */
    private void summary(Renderer r, List<Result> results, long started) {
        long millis = (System.nanoTime() - started) / 1_000_000;
        long changes = 0;
        for (Result result : results) {
            changes += result.changes();
        }
        r.line("Executed " + Renderer.plural(results.size(), "statement", "statements") + " on database '" + name
                + "' in " + millis + " ms.");
        Result last = results.get(results.size() - 1);
        r.line(Renderer.plural(changes, "row", "rows") + " changed"
                + (last.lastRowId() != 0 ? ", last row id " + last.lastRowId() : "") + ".");
        r.line("Bookmark: " + Renderer.bookmark(last.bookmark()));
        r.flush();
    }

    /**
     * Runs a plain read on the read-only open, printing what a writing open prints for it: the rows
     * as they stream, no change, no row id, and the bookmark read before the read (the state the
     * read sees is at least that one).
     */
    private Integer read(ReadOnlyDatabase reader, Statement statement, long started) {
        Result result = new Result(Rows.empty(), 0, 0, reader.bookmark());
        if (json) {
            Json.ExecuteStream doc = Json.executeStream(spec.commandLine().getOut());
            reader.query(statement, doc.statement());
            doc.endStatement(result);
            doc.finish();
            return 0;
        }
        Renderer r = renderer();
        Renderer.StreamedTable table = r.streamedTable();
        reader.query(statement, table);
        table.finish();
        summary(r, List.of(result), started);
        return 0;
    }

    /** First words of statements that always write: they go straight to the writing open, without asking a read-only one. */
    private static final java.util.Set<String> WRITING_WORDS = java.util.Set.of("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE",
            "DROP", "ALTER");

    /**
     * Whether the text begins (after blanks) with a word only writes begin with. A routing hint that
     * saves a write the read-only open; whether a statement is a read is the engine's to say
     * ({@link ReadOnlyDatabase#isRead}), and anything else is asked.
     */
    static boolean startsAsAWrite(String sql) {
        String t = sql.stripLeading();
        int end = 0;
        while (end < t.length() && Character.isLetter(t.charAt(end))) {
            end++;
        }
        return WRITING_WORDS.contains(t.substring(0, end).toUpperCase(java.util.Locale.ROOT));
    }

    private static void feed(Rows rows, RowConsumer consumer) {
        consumer.columns(rows.columns());
        for (Row row : rows) {
            consumer.row(row);
        }
    }

    private static String read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new Errors.CliException("--file " + file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new Errors.CliException("--file " + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new Errors.CliException("--file " + file + ": cannot read it: " + e.getMessage());
        }
    }
}
