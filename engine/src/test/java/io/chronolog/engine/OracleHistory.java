package io.chronolog.engine;

import io.chronolog.engine.internal.sql.StatementRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConnection;

/**
 * The oracle for a history that branches: every state a database went through is a {@link State},
 * the state before it plus one write, or (after a restore) an earlier state again. The tables of any
 * state are computed by a plain in-memory SQLite database that replays the writes leading to it,
 * never by the engine. To keep replays short, a state more than {@value #SNAPSHOT_EVERY} writes
 * from its nearest saved ancestor is saved as an image file ({@code sqlite3_serialize}) under the
 * given directory, and its ancestors are then no longer needed. Not thread-safe.
 */
final class OracleHistory {
    static final int SNAPSHOT_EVERY = 150;

    /** One state: {@code write} applied to {@code parent}'s state (or {@code parent}'s state itself when null). */
    static final class State {
        private State parent;
        private final List<Statement> write;
        private Path image;

        private State(State parent, List<Statement> write) {
            this.parent = parent;
            this.write = write;
        }
    }

    private final Path directory;
    private final State root = new State(null, null);
    private final Map<State, Map<String, List<String>>> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<State, Map<String, List<String>>> eldest) {
            return size() > 32;
        }
    };
    private int images;

    OracleHistory(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    /** The empty database. */
    State root() {
        return root;
    }

    /** The state after {@code write} ran atomically on {@code from}. */
    State after(State from, List<Statement> write) {
        return new State(from, List.copyOf(write));
    }

    /** The state a restore to {@code target} makes: the same tables as {@code target}. */
    State restoredTo(State target) {
        return new State(target, null);
    }

    /** Every table of {@code state}, as {@link SqliteFiles#dump(Connection)} shows them. */
    Map<String, List<String>> tables(State state) throws SQLException, IOException {
        Map<String, List<String>> cached = recent.get(state);
        if (cached != null) {
            return cached;
        }
        Deque<List<Statement>> writes = new ArrayDeque<>();
        State s = state;
        int depth = 0;
        while (s.image == null && s.parent != null) {
            if (s.write != null) {
                writes.push(s.write);
                depth++;
            }
            s = s.parent;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            if (s.image != null) {
                ((SQLiteConnection) c).deserialize("main", Files.readAllBytes(s.image));
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
            c.setAutoCommit(true);
            Map<String, List<String>> dump = SqliteFiles.dump(c);
            if (depth >= SNAPSHOT_EVERY && state.image == null) {
                Path file = directory.resolve("state-" + (images++) + ".sqlite3");
                Files.write(file, ((SQLiteConnection) c).serialize("main"));
                state.image = file;
                state.parent = null;
            }
            recent.put(state, dump);
            return dump;
        }
    }
}
