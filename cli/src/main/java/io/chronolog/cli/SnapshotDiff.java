package io.chronolog.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import io.chronolog.cli.TableDiff.DiffRow;
import org.sqlite.SQLiteConfig;

/**
 * Compares two plain SQLite files (two exported moments of one database) table by table with
 * plain JDBC: rows added, removed and changed, matched by rowid (a merge of both files in rowid
 * order) or, for {@code WITHOUT ROWID} tables, by primary key. Values are compared in the columns
 * both moments have; a table whose {@code CREATE} text differs is marked {@code schema_changed}.
 * Opens both files read-only and changes neither. Stateless.
 */
final class SnapshotDiff {
    private static final HexFormat HEX = HexFormat.of();

    private SnapshotDiff() {
    }

    /** Every user table of either file, by name, with what changed from {@code from} to {@code to}. */
    static List<TableDiff> compare(Path from, Path to, boolean keepRows) throws SQLException {
        try (Connection a = open(from); Connection b = open(to)) {
            Map<String, String> before = tables(a);
            Map<String, String> after = tables(b);
            TreeSet<String> names = new TreeSet<>(before.keySet());
            names.addAll(after.keySet());
            List<TableDiff> out = new ArrayList<>(names.size());
            for (String name : names) {
                out.add(compareTable(name, before.containsKey(name) ? a : null, after.containsKey(name) ? b : null,
                        !Objects.equals(before.get(name), after.get(name)), keepRows));
            }
            return out;
        }
    }

    private static Connection open(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    private static Map<String, String> tables(Connection c) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, sql FROM sqlite_schema WHERE type = 'table' "
                + "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private static TableDiff compareTable(String name, Connection a, Connection b, boolean schemaChanged, boolean keepRows)
            throws SQLException {
        Tally t = new Tally(keepRows);
        if (a == null || b == null) {
            Connection only = a == null ? b : a;
            Shape shape = Shape.of(only, name);
            try (PreparedStatement ps = only.prepareStatement(shape.select(shape.columns, false)); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    DiffRow row = shape.row(rs);
                    if (a == null) {
                        t.added(row);
                    } else {
                        t.removed(row);
                    }
                }
            }
            return t.result(name, true);
        }
        Shape before = Shape.of(a, name);
        Shape after = Shape.of(b, name);
        List<String> common = new ArrayList<>(after.columns);
        common.retainAll(before.columns);
        if (before.rowid && after.rowid) {
            mergeByRowid(before, after, a, b, common, t);
        } else {
            matchByKey(before, after, a, b, common, t);
        }
        return t.result(name, schemaChanged);
    }

    private static void mergeByRowid(Shape before, Shape after, Connection a, Connection b, List<String> common, Tally t)
            throws SQLException {
        try (PreparedStatement pa = a.prepareStatement(before.select(before.columns, true));
             PreparedStatement pb = b.prepareStatement(after.select(after.columns, true));
             ResultSet ra = pa.executeQuery(); ResultSet rb = pb.executeQuery()) {
            DiffRow x = ra.next() ? before.row(ra) : null;
            DiffRow y = rb.next() ? after.row(rb) : null;
            while (x != null || y != null) {
                int c = x == null ? 1 : y == null ? -1 : Long.compare((Long) x.values().get(0), (Long) y.values().get(0));
                if (c < 0) {
                    t.removed(x);
                    x = ra.next() ? before.row(ra) : null;
                } else if (c > 0) {
                    t.added(y);
                    y = rb.next() ? after.row(rb) : null;
                } else {
                    if (!sameIn(common, x, y)) {
                        t.changed(x, y);
                    }
                    x = ra.next() ? before.row(ra) : null;
                    y = rb.next() ? after.row(rb) : null;
                }
            }
        }
    }

    private static void matchByKey(Shape before, Shape after, Connection a, Connection b, List<String> common, Tally t)
            throws SQLException {
        Map<String, DiffRow> old = new TreeMap<>();
        try (PreparedStatement ps = a.prepareStatement(before.select(before.columns, false)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                DiffRow row = before.row(rs);
                old.put(key(before.key, row), row);
            }
        }
        try (PreparedStatement ps = b.prepareStatement(after.select(after.columns, false)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                DiffRow row = after.row(rs);
                DiffRow was = old.remove(key(before.key, row));
                if (was == null) {
                    t.added(row);
                } else if (!sameIn(common, was, row)) {
                    t.changed(was, row);
                }
            }
        }
        for (DiffRow gone : old.values()) {
            t.removed(gone);
        }
    }

    private static boolean sameIn(List<String> columns, DiffRow x, DiffRow y) {
        for (String column : columns) {
            if (!Objects.deepEquals(x.values().get(x.columns().indexOf(column)), y.values().get(y.columns().indexOf(column)))) {
                return false;
            }
        }
        return true;
    }

    /** A row's key as text, each value tagged with its type, so 1 and '1' differ. */
    private static String key(List<String> keyColumns, DiffRow row) {
        StringBuilder sb = new StringBuilder();
        for (String k : keyColumns) {
            int i = row.columns().indexOf(k);
            Object v = i < 0 ? null : row.values().get(i);
            sb.append(v == null ? "N" : v instanceof byte[] bytes ? "B" + HEX.formatHex(bytes) : (v instanceof String ? "T" : "V") + v)
                    .append('\u0000');
        }
        return sb.toString();
    }

    private static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        return v;
    }

    /** The columns of one table in one file, whether it has a rowid, and its key columns. */
    private static final class Shape {
        final String table;
        final List<String> columns;
        final List<String> key;
        final boolean rowid;

        private Shape(String table, List<String> columns, List<String> key, boolean rowid) {
            this.table = table;
            this.columns = columns;
            this.key = key;
            this.rowid = rowid;
        }

        /** Reads the table's columns, primary key and whether it has a rowid. */
        static Shape of(Connection c, String table) throws SQLException {
            List<String> columns = new ArrayList<>();
            TreeMap<Integer, String> pk = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, pk FROM pragma_table_info(?)")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        columns.add(rs.getString(1));
                        if (rs.getInt(2) > 0) {
                            pk.put(rs.getInt(2), rs.getString(1));
                        }
                    }
                }
            }
            boolean rowid;
            try (PreparedStatement ps = c.prepareStatement("SELECT rowid FROM " + quote(table) + " LIMIT 0")) {
                rowid = true;
            } catch (SQLException e) {
                rowid = false;
            }
            List<String> key = rowid ? List.of("rowid") : pk.isEmpty() ? columns : new ArrayList<>(pk.values());
            return new Shape(table, columns, key, rowid);
        }

        String select(List<String> cols, boolean ordered) {
            StringBuilder sb = new StringBuilder("SELECT ");
            if (rowid) {
                sb.append("rowid");
                for (String col : cols) {
                    sb.append(", ").append(quote(col));
                }
            } else {
                for (int i = 0; i < cols.size(); i++) {
                    sb.append(i == 0 ? "" : ", ").append(quote(cols.get(i)));
                }
            }
            sb.append(" FROM ").append(quote(table));
            if (ordered && rowid) {
                sb.append(" ORDER BY rowid");
            }
            return sb.toString();
        }

        DiffRow row(ResultSet rs) throws SQLException {
            List<String> names = new ArrayList<>(columns.size() + 1);
            List<Object> values = new ArrayList<>(columns.size() + 1);
            int i = 1;
            if (rowid) {
                names.add("rowid");
                values.add(rs.getLong(i++));
            }
            for (String col : columns) {
                names.add(col);
                values.add(normalize(rs.getObject(i++)));
            }
            return new DiffRow(names, values);
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Counts, and the rows when they are wanted. */
    private static final class Tally {
        final boolean keep;
        long added;
        long removed;
        long changed;
        final List<DiffRow> addedRows = new ArrayList<>();
        final List<DiffRow> removedRows = new ArrayList<>();
        final List<TableDiff.Change> changedRows = new ArrayList<>();

        Tally(boolean keep) {
            this.keep = keep;
        }

        void added(DiffRow r) {
            added++;
            if (keep) {
                addedRows.add(r);
            }
        }

        void removed(DiffRow r) {
            removed++;
            if (keep) {
                removedRows.add(r);
            }
        }

        void changed(DiffRow before, DiffRow after) {
            changed++;
            if (keep) {
                changedRows.add(new TableDiff.Change(before, after));
            }
        }

        TableDiff result(String name, boolean schemaChanged) {
            return new TableDiff(name, added, removed, changed, schemaChanged, addedRows, removedRows, changedRows);
        }
    }
}
