package io.chronolog.engine;

import io.chronolog.engine.internal.sql.StatementRunner;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** A plain SQLite database (no engine) that runs the same writes: what the engine must match. */
final class Oracle {
    private Oracle() {
    }

    /** The dump of a fresh in-memory database after running {@code writes} in order, each atomically. */
    static Map<String, List<String>> after(List<List<Statement>> writes) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            try (var s = c.createStatement()) {
                s.execute("PRAGMA foreign_keys = ON");
            }
            c.setAutoCommit(false);
            for (List<Statement> write : writes) {
                for (Statement st : write) {
                    try (PreparedStatement ps = c.prepareStatement(st.sql())) {
                        StatementRunner.bind(ps, st.params());
                        ps.execute();
                    }
                }
                c.commit();
            }
            return SqliteFiles.dump(c);
        }
    }
}
