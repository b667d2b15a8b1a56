package io.chronolog.cli;

import io.chronolog.engine.ArchiveStatus;
import io.chronolog.engine.Bookmark;
import io.chronolog.engine.LoggedWrite;
import io.chronolog.engine.RestoreResult;
import io.chronolog.engine.Row;
import io.chronolog.engine.RowConsumer;
import io.chronolog.engine.Rows;
import io.chronolog.engine.Statement;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * All human output of {@code chronolog}: box tables, sentences, bookmarks, sizes. No verb prints
 * on its own; {@code --json} output goes through {@link Json} instead.
 *
 * <p>Not thread-safe; one per invocation, writing to the command's stdout.
 */
final class Renderer {
    /** Cells longer than this are cut with an ellipsis, so one huge value cannot hide the table. */
    static final int MAX_CELL = 60;
    private static final HexFormat HEX = HexFormat.of();

    private final PrintWriter out;

    Renderer(PrintWriter out) {
        this.out = out;
    }

    void line(String text) {
        out.println(text);
    }

    void blank() {
        out.println();
    }

    /** A heading line, underlined. */
    void heading(String text) {
        out.println();
        out.println(text);
        out.println("─".repeat(text.length()));
    }

    /** A label and a value, aligned in a block of such lines. */
    void field(String label, Object value) {
        out.printf("  %-26s %s%n", label + ":", value);
    }

    /** The rows of a query as a box table; "(no rows)" when there are none. */
    void rows(Rows rows) {
        if (rows.columns().isEmpty()) {
            return;
        }
        List<List<String>> cells = new ArrayList<>();
        for (Row row : rows) {
            List<String> line = new ArrayList<>(row.size());
            for (int i = 0; i < row.size(); i++) {
                line.add(value(row.get(i)));
            }
            cells.add(line);
        }
        table(rows.columns(), cells);
        if (rows.size() == 0) {
            out.println("(no rows)");
        }
    }

    /**
     * A box table of rows as they stream in, for results too large to hold: the first
     * {@link #SIZING_ROWS} rows are held to size the columns (so a table of that many rows or fewer
     * looks exactly as {@link #rows(Rows)} draws it), every later row is printed as it comes, its
     * cells cut to those widths with an ellipsis. Call {@link StreamedTable#finish()} after the last row.
     */
    StreamedTable streamedTable() {
        return new StreamedTable();
    }

    /** Rows held to size a streamed table's columns. */
    static final int SIZING_ROWS = 1000;

    /** See {@link #streamedTable()}. Not thread-safe. */
    final class StreamedTable implements RowConsumer {
        private List<String> header = List.of();
        private List<List<String>> held = new ArrayList<>();
        private int[] width;
        private long count;

        @Override
        public void columns(List<String> names) {
            header = names;
        }

        @Override
        public void row(Row row) {
            List<String> line = new ArrayList<>(row.size());
            for (int i = 0; i < row.size(); i++) {
                line.add(value(row.get(i)));
            }
            count++;
            if (width == null) {
                held.add(line);
                if (held.size() == SIZING_ROWS) {
                    start();
                }
            } else {
                out.println(cells(fit(line, width), width, line));
            }
        }

        private void start() {
            int n = header.size();
            width = new int[n];
            for (int c = 0; c < n; c++) {
                width[c] = cut(header.get(c)).length();
            }
            for (List<String> line : held) {
                for (int c = 0; c < n; c++) {
                    width[c] = Math.max(width[c], cut(line.get(c)).length());
                }
            }
            out.println(border('┌', '┬', '┐', width));
            out.println(cells(header, width, null));
            out.println(border('├', '┼', '┤', width));
            for (List<String> line : held) {
                out.println(cells(line, width, line));
            }
            held = null;
        }

        /** Ends the table; prints "(no rows)" when there were none, and nothing for a statement without columns. */
        void finish() {
            if (header.isEmpty()) {
                return;
            }
            if (width == null) {
                start();
            }
            out.println(border('└', '┴', '┘', width));
            if (count == 0) {
                out.println("(no rows)");
            }
        }

        private static List<String> fit(List<String> line, int[] width) {
            List<String> fitted = new ArrayList<>(line.size());
            for (int c = 0; c < line.size(); c++) {
                String v = cut(line.get(c));
                fitted.add(v.length() <= width[c] ? v : width[c] == 0 ? "" : v.substring(0, width[c] - 1) + "…");
            }
            return fitted;
        }
    }

    /** Labels and values as a two-column box table without a header. */
    void details(List<List<String>> pairs) {
        int[] width = new int[2];
        for (List<String> pair : pairs) {
            for (int c = 0; c < 2; c++) {
                width[c] = Math.max(width[c], cut(pair.get(c)).length());
            }
        }
        out.println(border('┌', '┬', '┐', width));
        for (List<String> pair : pairs) {
            out.println(cells(pair, width, null));
        }
        out.println(border('└', '┴', '┘', width));
    }

    /**
     * Logged writes, oldest first, as a table of bookmark, commit time and statements; at most
     * {@code max} of them (the oldest), then a line saying how many more there are.
     */
    void writes(List<LoggedWrite> writes, int max) {
        if (writes.isEmpty()) {
            out.println("(no writes)");
            return;
        }
        List<List<String>> body = new ArrayList<>();
        for (LoggedWrite w : writes.subList(0, Math.min(max, writes.size()))) {
            StringBuilder texts = new StringBuilder();
            for (Statement s : w.statements()) {
                String text = StatementText.of(s);
                texts.append(texts.length() == 0 ? "" : texts.charAt(texts.length() - 1) == ';' ? " " : "; ").append(text);
            }
            body.add(List.of(bookmark(w.bookmark()), time(w.timestamp()), texts.toString()));
        }
        table(List.of("bookmark", "time", "statements"), body);
        if (writes.size() > max) {
            out.println("… and " + plural(writes.size() - max, "more write", "more writes") + " (--json lists every one)");
        }
    }

    /** The outcome of a restore: the new bookmark, the undo bookmark and the exact command that undoes it. */
    void restored(String what, RestoreResult result, String undoCommand) {
        out.println(what);
        field("bookmark now", bookmark(result.bookmark()));
        field("undo bookmark", bookmark(result.previousBookmark()));
        out.println("To undo this restore, run:");
        out.println("  " + undoCommand);
    }

    /** An archive's status as a table of labels and values. */
    void archiveStatus(ArchiveStatus s) {
        List<List<String>> pairs = new ArrayList<>();
        pairs.add(List.of("archive", s.url()));
        pairs.add(List.of("archived up to", s.archived() == null ? "nothing yet" : bookmark(s.archived())));
        pairs.add(List.of("lag", plural(s.lagFrames(), "frame", "frames") + ", " + size(s.lagBytes()) + ", "
                + String.format(Locale.ROOT, "%.1f s", s.lagMillis() / 1000.0)));
        pairs.add(List.of("objects in the archive", count(s.objects()) + " (" + size(s.bytesStored()) + ")"));
        pairs.add(List.of("kept here until shipped", size(s.unarchivedLocalBytes())));
        pairs.add(List.of("last error", s.lastError() == null ? "none" : s.lastError()));
        pairs.add(List.of("fenced", s.fenced() ? "yes: another writer took over the archive; this copy ships nothing more" : "no"));
        pairs.add(List.of("writer", s.writer() == null || s.writer().isEmpty() ? "unknown" : s.writer()));
        details(pairs);
        if (s.lastError() != null && s.lastError().length() > MAX_CELL) {
            out.println("Last error: " + s.lastError());
        }
        if (s.writer() != null && s.writer().length() > MAX_CELL) {
            out.println("Writer: " + s.writer());
        }
    }

    /** A box table with a header row; every row has as many cells as the header. */
    void table(List<String> header, List<List<String>> body) {
        int n = header.size();
        int[] width = new int[n];
        for (int c = 0; c < n; c++) {
            width[c] = cut(header.get(c)).length();
        }
        for (List<String> row : body) {
            for (int c = 0; c < n; c++) {
                width[c] = Math.max(width[c], cut(row.get(c)).length());
            }
        }
        out.println(border('┌', '┬', '┐', width));
        out.println(cells(header, width, null));
        out.println(border('├', '┼', '┤', width));
        for (List<String> row : body) {
            out.println(cells(row, width, row));
        }
        out.println(border('└', '┴', '┘', width));
    }

    private static String border(char left, char mid, char right, int[] width) {
        StringBuilder sb = new StringBuilder().append(left);
        for (int c = 0; c < width.length; c++) {
            sb.append("─".repeat(width[c] + 2)).append(c == width.length - 1 ? right : mid);
        }
        return sb.toString();
    }

    private static String cells(List<String> values, int[] width, List<String> body) {
        StringBuilder sb = new StringBuilder("│");
        for (int c = 0; c < width.length; c++) {
            String v = cut(values.get(c));
            boolean numeric = body != null && v.matches("-?[0-9][0-9.,eE+-]*");
            String pad = " ".repeat(width[c] - v.length());
            sb.append(' ').append(numeric ? pad + v : v + pad).append(" │");
        }
        return sb.toString();
    }

    private static String cut(String s) {
        String one = s.replace('\n', '⏎').replace('\r', ' ').replace('\t', ' ');
        return one.length() <= MAX_CELL ? one : one.substring(0, MAX_CELL - 1) + "…";
    }

    /** A SQLite value as shown in a table: NULL, numbers and text as they are, blobs as x'hex'. */
    static String value(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof byte[] b) {
            return "x'" + HEX.formatHex(b) + "'";
        }
        return v.toString();
    }

    /** A moment as RFC 3339 in UTC, to the millisecond. */
    static String time(Instant t) {
        return t.toString();
    }

    /** {@code s} as one shell word: as it is when it is plain, else in single quotes. */
    static String shellQuote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String bookmark(Bookmark b) {
        return b.toString();
    }

    /** A byte count as people read it: 512 B, 1.5 KiB, 20.3 MiB. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** A count with thousands separators: 12,345. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** "1 row" / "3 rows". */
    static String plural(long n, String one, String many) {
        return count(n) + " " + (n == 1 ? one : many);
    }

    void flush() {
        out.flush();
    }
}
