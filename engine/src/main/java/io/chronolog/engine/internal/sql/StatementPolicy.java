package io.chronolog.engine.internal.sql;

import io.chronolog.engine.RefusedStatementException;
import io.chronolog.engine.SqlException;
import io.chronolog.engine.Statement;

import io.chronolog.engine.internal.sql.StatementAnalysis.Action;
import java.util.Locale;
import java.util.Set;

/**
 * What a user's statement may do, decided from SQLite's analysis of it ({@link StatementAnalysis}),
 * never from its text. An allowlist: a write may call only functions whose results replay
 * identically, read only tables whose content is part of the database, and use only virtual table
 * modules whose content is in the file; everything else is refused with a message naming what was
 * refused and why. The engine's own tables are unreachable by any spelling, because SQLite has
 * already resolved every name. Stateless and thread-safe.
 */
public final class StatementPolicy {

    /** Functions whose result depends only on their arguments and the database (or that the engine makes so). */
    private static final Set<String> REPLAYABLE_FUNCTIONS = Set.of(
            // core scalar (not changes(): it counts the connection's last statement, which replay runs differently)
            "abs", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "if", "ifnull", "iif", "instr",
            "last_insert_rowid", "length", "like", "likelihood", "likely", "lower", "ltrim", "max", "min",
            "nullif", "octet_length", "printf", "quote", "replace", "round", "rtrim", "sign", "soundex", "substr",
            "substring", "trim", "typeof", "unhex", "unicode", "unistr", "unistr_quote", "unlikely", "upper", "zeroblob",
            // made replayable by the engine: seeded per frame
            "random", "randomblob",
            // aggregates and window functions
            "avg", "count", "group_concat", "string_agg", "sum", "total", "median", "percentile", "percentile_cont",
            "percentile_disc", "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
            "first_value", "last_value", "nth_value",
            // date and time: SQLite's own, whose clock is the frame's time
            "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff", "current_date", "current_time",
            "current_timestamp",
            // math
            "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos", "cosh", "degrees", "exp",
            "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians", "sin", "sinh", "sqrt", "tan",
            "tanh", "trunc",
            // JSON
            "json", "jsonb", "json_array", "jsonb_array", "json_array_length", "json_error_position", "json_extract",
            "jsonb_extract", "json_insert", "jsonb_insert", "json_object", "jsonb_object", "json_patch", "jsonb_patch",
            "json_pretty", "json_quote", "json_remove", "jsonb_remove", "json_replace", "jsonb_replace", "json_set",
            "jsonb_set", "json_type", "json_valid", "json_group_array", "jsonb_group_array", "json_group_object",
            "jsonb_group_object", "->", "->>",
            // full-text search and R*Tree auxiliaries
            "bm25", "highlight", "snippet", "match", "rtreenode", "rtreedepth",
            // SQLite's internal functions of ALTER TABLE (not callable from SQL)
            "sqlite_rename_column", "sqlite_rename_table", "sqlite_rename_test", "sqlite_rename_quotefix",
            "sqlite_drop_column");

    /** Virtual table modules whose rows live in the database file. */
    private static final Set<String> REPLAYABLE_MODULES = Set.of("fts3", "fts4", "fts5", "rtree", "rtree_i32", "geopoly");

    /** Table-valued pragmas that describe only the schema. */
    private static final Set<String> SCHEMA_PRAGMA_TABLES = Set.of("pragma_table_info", "pragma_table_xinfo",
            "pragma_index_list", "pragma_index_info", "pragma_index_xinfo", "pragma_foreign_key_list", "pragma_table_list");

    /** Virtual tables that show pages, files or the connection rather than rows. */
    private static final Set<String> UNREPLAYABLE_TABLES = Set.of("dbstat", "sqlite_dbpage", "sqlite_stmt");

    private static final Set<String> SCHEMA_TABLES = Set.of("sqlite_master", "sqlite_schema", "sqlite_temp_master",
            "sqlite_temp_schema");

    private StatementPolicy() {
    }

    /**
     * Checks a user's write. Returns normally if it may run; the caller logs it unless SQLite says
     * it is read-only.
     *
     * @throws RefusedStatementException naming what cannot be replayed
     * @throws SqlException              SQLite could not compile it
     */
    static void checkWrite(Statement st, StatementAnalysis a) {
        checkShape(st, a, "writes");
        for (Action action : a.actions()) {
            if (action.arg1() != null && SCHEMA_TABLES.contains(action.arg1().toLowerCase(Locale.ROOT))) {
                continue; // SQLite's own bookkeeping of a DDL statement
            }
            checkEngineNames(st, action);
            switch (action.code()) {
                case StatementAnalysis.TRANSACTION, StatementAnalysis.SAVEPOINT -> throw refused(st, "transaction control ("
                        + action.arg1() + ") is refused: every statement already runs in its own transaction, and batch() runs "
                        + "several atomically");
                case StatementAnalysis.ATTACH, StatementAnalysis.DETACH -> throw refused(st,
                        (action.code() == StatementAnalysis.ATTACH ? "ATTACH" : "DETACH")
                                + " is refused: another database file is outside the log and cannot be replayed");
                case StatementAnalysis.PRAGMA -> throw refused(st, pragmaRefusal("writes"));
                case StatementAnalysis.FUNCTION -> {
                    String fn = action.arg2() == null ? "" : action.arg2().toLowerCase(Locale.ROOT);
                    if (!REPLAYABLE_FUNCTIONS.contains(fn)) {
                        throw refused(st, "function " + action.arg2() + "() is refused in writes"
                                + (action.trigger() == null ? "" : " (called by trigger " + action.trigger() + ")")
                                + ": its result is not known to repeat when the log is replayed");
                    }
                }
                case StatementAnalysis.READ -> {
                    String table = action.arg1() == null ? "" : action.arg1().toLowerCase(Locale.ROOT);
                    if (UNREPLAYABLE_TABLES.contains(table) || table.startsWith("pragma_") && !SCHEMA_PRAGMA_TABLES.contains(table)) {
                        throw refused(st, action.arg1() + " is refused in writes: it shows the file, the connection or the "
                                + "machine rather than rows of the database, so replay would see something else");
                    }
                }
                case StatementAnalysis.CREATE_VTABLE, StatementAnalysis.DROP_VTABLE -> {
                    String module = action.arg2() == null ? "" : action.arg2().toLowerCase(Locale.ROOT);
                    if (!REPLAYABLE_MODULES.contains(module)) {
                        throw refused(st, "virtual table module " + action.arg2() + " is refused: only " + String.join(", ",
                                new java.util.TreeSet<>(REPLAYABLE_MODULES)) + " keep their rows in the database file");
                    }
                }
                default -> {
                    // other actions: temp objects are checked by database below, the rest is ordinary SQL
                }
            }
            if (isTempObject(action)) {
                throw refused(st, "temporary objects are refused: they belong to one connection, not to the database's history");
            }
            if ("temp".equalsIgnoreCase(action.database())) {
                throw refused(st, "the temp schema is refused: it belongs to one connection, not to the database's history");
            }
        }
        if (!a.readOnly() && a.actions().stream().allMatch(x -> x.code() == StatementAnalysis.SELECT
                || x.code() == StatementAnalysis.READ || x.code() == StatementAnalysis.FUNCTION) && isVacuum(st.sql())) {
            throw refused(st, "VACUUM is refused: it rewrites the database file without changing rows, cannot run inside "
                    + "the log's transaction, may renumber rowids replay depends on, and VACUUM INTO writes outside the log "
                    + "(use backups or export)");
        }
    }

    /**
     * Whether the statement's first keyword, after blanks and comments, is {@code VACUUM}: SQLite's
     * authorizer reports no action for it, so it is told apart by its text from the statements that
     * compile to a write of nothing ({@code CREATE INDEX IF NOT EXISTS} of an index that exists,
     * {@code DROP TABLE IF EXISTS} of a table that does not), which are ordinary SQL.
     */
    static boolean isVacuum(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        return sql.regionMatches(true, i, "VACUUM", 0, 6) && (i + 6 == n || !Character.isLetterOrDigit(sql.charAt(i + 6))
                && sql.charAt(i + 6) != '_');
    }

    /**
     * Whether SQLite's analysis shows a plain read: one statement that compiled, that SQLite flags
     * read-only, and that is not transaction control (which SQLite also flags read-only). Such a
     * statement sent through {@code execute} runs on a reader, never taking the writer lock.
     */
    public static boolean isPlainRead(StatementAnalysis a) {
        if (!a.compiled() || a.more() || !a.readOnly()) {
            return false;
        }
        for (Action action : a.actions()) {
            int c = action.code();
            if (c == StatementAnalysis.TRANSACTION || c == StatementAnalysis.SAVEPOINT || c == StatementAnalysis.ATTACH
                    || c == StatementAnalysis.DETACH) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks a user's read, which runs on a read-only connection.
     *
     * @throws RefusedStatementException if it writes, or reaches what reads may not
     * @throws SqlException              SQLite could not compile it
     */
    public static void checkRead(Statement st, StatementAnalysis a) {
        checkShape(st, a, "reads");
        for (Action action : a.actions()) {
            checkEngineNames(st, action);
            if (action.code() == StatementAnalysis.ATTACH || action.code() == StatementAnalysis.DETACH) {
                throw refused(st, "ATTACH and DETACH are refused: another database file is outside the database");
            }
            if (action.code() == StatementAnalysis.TRANSACTION || action.code() == StatementAnalysis.SAVEPOINT) {
                throw refused(st, "transaction control is refused in reads: each read runs in its own read transaction");
            }
        }
        if (!a.readOnly()) {
            throw new SqlException("query() is read-only and this statement writes: use execute() for writes (sql: "
                    + StatementRunner.abbreviate(st.sql()) + ")", st, null);
        }
    }

    private static void checkShape(Statement st, StatementAnalysis a, String purpose) {
        if (a.empty()) {
            throw refused(st, "the SQL text holds no statement");
        }
        if (!a.compiled()) {
            if (a.errorCode() == StatementAnalysis.AUTH) {
                throw refused(st, pragmaRefusal(purpose));
            }
            throw new SqlException(a.error() + " (sql: " + StatementRunner.abbreviate(st.sql()) + ")", st, null);
        }
        if (a.more()) {
            throw refused(st, "more than one statement in one SQL text: pass each as its own Statement in a batch");
        }
        for (Action action : a.actions()) {
            String fn = action.code() == StatementAnalysis.FUNCTION && action.arg2() != null
                    ? action.arg2().toLowerCase(Locale.ROOT) : "";
            if (fn.startsWith("chronolog_") || fn.equals("load_extension")) {
                throw refused(st, "function " + action.arg2() + "() belongs to the engine and cannot be called");
            }
        }
    }

    private static String pragmaRefusal(String purpose) {
        return purpose.equals("writes")
                ? "PRAGMA is refused in writes: it changes connection or storage state the log cannot replay "
                        + "(read-only PRAGMAs work through query())"
                : "this PRAGMA is refused in reads: only the read-only introspection PRAGMAs (table_info, index_list, "
                        + "foreign_key_check, integrity_check, user_version without a value, ...) run through query()";
    }

    private static void checkEngineNames(Statement st, StatementAnalysis.Action action) {
        for (String name : new String[] {action.arg1(), action.arg2()}) {
            if (name != null && name.toLowerCase(Locale.ROOT).startsWith(StatementGuard.ENGINE_TABLE_PREFIX)
                    && action.code() != StatementAnalysis.FUNCTION) {
                throw refused(st, "names starting with '" + StatementGuard.ENGINE_TABLE_PREFIX + "' belong to the engine: '"
                        + name + "' cannot be used");
            }
        }
    }

    private static boolean isTempObject(Action action) {
        int c = action.code();
        return c >= StatementAnalysis.CREATE_TEMP_INDEX && c <= StatementAnalysis.CREATE_TEMP_VIEW
                || c >= StatementAnalysis.DROP_TEMP_INDEX && c <= StatementAnalysis.DROP_TEMP_VIEW;
    }

    private static RefusedStatementException refused(Statement st, String why) {
        return new RefusedStatementException("statement refused: " + why + " (sql: " + StatementRunner.abbreviate(st.sql()) + ")", st);
    }
}
