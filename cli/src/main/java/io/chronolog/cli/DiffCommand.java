package io.chronolog.cli;

import io.chronolog.engine.ChronologException;
import io.chronolog.engine.Database;
import io.chronolog.engine.ReadOnlyDatabase;
import io.chronolog.engine.Bookmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chronolog diff DB --from B|T [--to B|T] [--rows]}: what changed between two moments, per
 * table. Exports both moments to plain SQLite files in a temporary directory (deleted afterwards)
 * and compares them with {@link SnapshotDiff}; {@code --to} defaults to the current bookmark.
 */
@Command(name = "diff", description = {
    "Show the rows added, removed and changed per table between two moments (bookmarks or times).",
    "With --json, prints {\"tables\":[{\"name\",\"added\",\"removed\",\"changed\",\"schema_changed\"}]} (and \"rows\" with --rows)."})
final class DiffCommand extends Verb {
    /** Rows per kind and table the human --rows output lists. */
    static final int SHOWN_ROWS = 20;

    @Parameters(index = "0", paramLabel = "DB", description = "Name of the database.")
    String name;

    @Option(names = "--from", paramLabel = "B|T", required = true, description = "The earlier moment: a bookmark, Unix seconds or RFC 3339.")
    String from;

    @Option(names = "--to", paramLabel = "B|T", description = "The later moment (default: now, the current bookmark).")
    String to;

    @Option(names = "--rows", description = "Show the rows themselves, not only counts.")
    boolean rows;

    @Override
    public Integer call() throws IOException {
        Moment a = Moment.either(from);
        Moment b = to == null ? null : Moment.either(to);
        Path dir = existing(name);
        Path temp = Files.createTempDirectory("chronolog-diff-");
        Bookmark fromBookmark;
        Bookmark toBookmark;
        List<TableDiff> tables;
        try {
            try (ReadOnlyDatabase db = Databases.openForReading(dir)) {
                fromBookmark = a.resolve(db);
                toBookmark = b == null ? db.bookmark() : b.resolve(db);
                Path before = temp.resolve("from.sqlite3");
                Path after = temp.resolve("to.sqlite3");
                Progress.during(terminal(), "Exporting " + name, () -> {
                    db.exportTo(fromBookmark, before);
                    db.exportTo(toBookmark, after);
                });
                tables = SnapshotDiff.compare(before, after, rows);
            } catch (SQLException e) {
                throw new ChronologException("diff of '" + name + "' failed: cannot read an exported moment: " + e.getMessage(), e);
            }
        } finally {
            deleteTree(temp);
        }
        if (json) {
            printJson(Json.diff(fromBookmark, toBookmark, tables, rows));
            return 0;
        }
        print(fromBookmark, toBookmark, tables);
        return 0;
    }

    private void print(Bookmark fromBookmark, Bookmark toBookmark, List<TableDiff> tables) {
        Renderer r = renderer();
        r.line("Changes in '" + name + "' from " + fromBookmark + " to " + toBookmark + ":");
        if (tables.isEmpty()) {
            r.line("(no tables at either moment)");
            r.flush();
            return;
        }
        List<List<String>> body = new ArrayList<>();
        for (TableDiff t : tables) {
            body.add(List.of(t.name(), Renderer.count(t.added()), Renderer.count(t.removed()), Renderer.count(t.changed()),
                    t.schemaChanged() ? "yes" : "no"));
        }
        r.table(List.of("table", "added", "removed", "changed", "schema changed"), body);
        if (tables.stream().allMatch(TableDiff::unchanged)) {
            r.line("No differences.");
        }
        if (rows) {
            for (TableDiff t : tables) {
                rowSection(r, t.name() + ": added", t.addedRows());
                rowSection(r, t.name() + ": removed", t.removedRows());
                List<TableDiff.DiffRow> changed = new ArrayList<>();
                for (TableDiff.Change c : t.changedRows()) {
                    changed.add(c.before());
                    changed.add(c.after());
                }
                rowSection(r, t.name() + ": changed (each row before, then after)", changed);
            }
        }
        r.flush();
    }

    private static void rowSection(Renderer r, String title, List<TableDiff.DiffRow> list) {
        if (list.isEmpty()) {
            return;
        }
        r.heading(title);
        List<String> header = list.get(0).columns();
        List<List<String>> body = new ArrayList<>();
        for (TableDiff.DiffRow row : list.subList(0, Math.min(list.size(), 2 * SHOWN_ROWS))) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                cells.add(i < row.values().size() ? Renderer.value(row.values().get(i)) : "");
            }
            body.add(cells);
        }
        r.table(header, body);
        if (list.size() > 2 * SHOWN_ROWS) {
            r.line("… and " + Renderer.count(list.size() - 2L * SHOWN_ROWS) + " more (--json lists every one)");
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }
}
