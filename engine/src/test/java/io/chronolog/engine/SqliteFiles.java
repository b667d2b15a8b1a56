package io.chronolog.engine;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads SQLite files with plain JDBC, independently of the engine: the oracle side of tests. */
final class SqliteFiles {
    private SqliteFiles() {
    }

    /** Every user table's rows in rowid order, rowid first, values as text forms; schema SQL under "schema". */
    static Map<String, List<String>> dump(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            return dump(c);
        }
    }

    static Map<String, List<String>> dump(Connection c) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> tables = new ArrayList<>();
        List<String> schema = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery(
                "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_chronolog\\_%' ESCAPE '\\' ORDER BY name")) {
            while (rs.next()) {
                schema.add(rs.getString(1) + " " + rs.getString(2) + ": " + rs.getString(3));
                if (rs.getString(1).equals("table")) {
                    tables.add(rs.getString(2));
                }
            }
        }
        out.put("schema", schema);
        for (String t : tables) {
            boolean withoutRowid = false;
            try (ResultSet rs = c.createStatement().executeQuery("SELECT sql FROM sqlite_schema WHERE name = '" + t + "'")) {
                withoutRowid = rs.next() && rs.getString(1).toUpperCase().contains("WITHOUT ROWID");
            }
            String sql = withoutRowid ? "SELECT * FROM \"" + t + "\" ORDER BY 1" : "SELECT rowid, * FROM \"" + t + "\" ORDER BY rowid";
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        sb.append(i > 1 ? "|" : "").append(v instanceof byte[] b ? Arrays.toString(b) : String.valueOf(v));
                    }
                    rows.add(sb.toString());
                }
            }
            out.put(t, rows);
        }
        return out;
    }
}
