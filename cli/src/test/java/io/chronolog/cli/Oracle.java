package io.chronolog.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC on a plain SQLite file (an export or a download): what the tests trust. */
final class Oracle {
    private Oracle() {
    }

    /** Every row of {@code sql}, each as a list of values in column order. */
    static List<List<Object>> rows(Path file, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<Object>> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    row.add(v instanceof Integer x ? Long.valueOf(x) : v);
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw new AssertionError("oracle query failed on " + file + ": " + e.getMessage(), e);
        }
    }

    static long count(Path file, String table) {
        return (Long) rows(file, "SELECT count(*) FROM " + table).get(0).get(0);
    }

    /** The user tables of the file, by name. */
    static List<String> tables(Path file) {
        List<String> names = new ArrayList<>();
        for (List<Object> row : rows(file, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
            names.add((String) row.get(0));
        }
        return names;
    }
}
