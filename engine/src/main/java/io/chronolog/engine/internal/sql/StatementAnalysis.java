package io.chronolog.engine.internal.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQLite's own analysis of one SQL text, made by preparing it on a connection that holds Chronolog's
 * SQLite extension: whether it compiled (and SQLite's error if not), its read-only flag
 * ({@code sqlite3_stmt_readonly}), whether another statement follows the first, and every
 * authorizer call SQLite made while compiling it (the tables and columns it reads and writes, the
 * functions it calls, with the trigger each comes from). {@link StatementPolicy} decides from it;
 * nothing here looks at the text. Immutable and thread-safe.
 *
 * @param compiled  whether SQLite compiled the first statement
 * @param errorCode SQLite's result code when it did not compile, else 0
 * @param error     SQLite's message when it did not compile, else null
 * @param empty     the text holds no statement (only blanks or comments)
 * @param readOnly  SQLite's read-only flag: the statement never writes the database file
 * @param more      another statement follows the first
 * @param actions   the authorizer calls, in the order SQLite made them
 */
public record StatementAnalysis(boolean compiled, int errorCode, String error, boolean empty, boolean readOnly, boolean more,
        List<Action> actions) {

    /** SQLite's authorizer action codes (sqlite3.h), those the policy names. */
    static final int CREATE_INDEX = 1;
    static final int CREATE_TEMP_INDEX = 3;
    static final int CREATE_TEMP_VIEW = 6;
    static final int CREATE_TRIGGER = 7;
    static final int DROP_TEMP_INDEX = 12;
    static final int DROP_TEMP_VIEW = 15;
    static final int DROP_VIEW = 17;
    static final int INSERT = 18;
    static final int PRAGMA = 19;
    static final int READ = 20;
    static final int SELECT = 21;
    static final int TRANSACTION = 22;
    static final int ATTACH = 24;
    static final int DETACH = 25;
    static final int ALTER_TABLE = 26;
    static final int REINDEX = 27;
    static final int ANALYZE = 28;
    static final int CREATE_VTABLE = 29;
    static final int DROP_VTABLE = 30;
    static final int FUNCTION = 31;
    static final int SAVEPOINT = 32;
    static final int RECURSIVE = 33;
    /** SQLITE_AUTH: the authorizer refused something while the statement compiled. */
    public static final int AUTH = 23;

    /** One authorizer call: the action code and its four text arguments (null where SQLite passed none). */
    public record Action(int code, String arg1, String arg2, String database, String trigger) {
    }

    public StatementAnalysis {
        actions = List.copyOf(actions);
    }

    /** Whether the statement changes the schema: cached statements compiled before it are stale after it. */
    boolean changesSchema() {
        for (Action a : actions) {
            if (a.code() >= CREATE_INDEX && a.code() <= DROP_VIEW || a.code() >= ALTER_TABLE && a.code() <= DROP_VTABLE) {
                return true;
            }
        }
        return false;
    }

    /** The guard modes of the extension: how strictly a PRAGMA is refused while compiling. */
    public enum Mode {
        /** A user's write: every PRAGMA is refused. */
        WRITE(1),
        /** A user's read: the read-only introspection PRAGMAs are let through. */
        READ(2);

        public final int code;

        Mode(int code) {
            this.code = code;
        }
    }

    /** Analyses SQL texts on one connection. Not thread-safe: it belongs to its connection's user. */
    public static final class Analyzer implements AutoCloseable {
        private final PreparedStatement analyze;

        public Analyzer(Connection connection) throws SQLException {
            this.analyze = connection.prepareStatement("SELECT chronolog_analyze(?, ?)");
        }

        public StatementAnalysis analyze(String sql, Mode mode) throws SQLException {
            analyze.setString(1, sql);
            analyze.setInt(2, mode.code);
            String text;
            try (ResultSet rs = analyze.executeQuery()) {
                rs.next();
                text = rs.getString(1);
            }
            return parse(text);
        }

        @Override
        public void close() throws SQLException {
            analyze.close();
        }
    }

    /** Parses the extension's answer (fields split by 0x1f, records by 0x1e; see chronolog_sqlite.c). */
    static StatementAnalysis parse(String text) {
        if (text.equals("empty")) {
            return new StatementAnalysis(false, 0, null, true, true, false, List.of());
        }
        if (text.startsWith("error\u001f")) {
            String[] f = text.split("\u001f", 3);
            return new StatementAnalysis(false, Integer.parseInt(f[1]), f[2], false, false, false, List.of());
        }
        String[] records = text.split("\u001e", -1);
        String[] head = records[0].split("\u001f", -1);
        boolean readOnly = head[1].equals("1");
        boolean more = head[2].equals("1");
        List<Action> actions = new ArrayList<>(records.length);
        for (int i = 1; i < records.length; i++) {
            if (records[i].isEmpty() || records[i].equals("\0")) {
                continue;
            }
            String[] f = records[i].split("\u001f", -1);
            if (f.length < 5) {
                continue;
            }
            actions.add(new Action(Integer.parseInt(f[0]), blankToNull(f[1]), blankToNull(f[2]), blankToNull(f[3]), blankToNull(f[4])));
        }
        return new StatementAnalysis(true, 0, null, false, readOnly, more, actions);
    }

    private static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
