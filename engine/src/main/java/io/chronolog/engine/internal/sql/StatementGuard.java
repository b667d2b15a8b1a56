package io.chronolog.engine.internal.sql;

import io.chronolog.engine.Options;
import io.chronolog.engine.RefusedStatementException;
import io.chronolog.engine.Statement;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Checks, before SQLite sees a statement, that it fits the limits in {@link Options} and can be
 * logged as UTF-8. What the statement may do is decided from SQLite's own analysis of it by
 * {@link StatementPolicy}. Refusals are {@link RefusedStatementException}s whose message says what
 * was refused and why. Stateless and thread-safe.
 */
public final class StatementGuard {
    /** Prefix of the engine's own tables inside the SQLite file. */
    public static final String ENGINE_TABLE_PREFIX = "_chronolog_";

    private final Options options;

    public StatementGuard(Options options) {
        this.options = options;
    }

    /** Checks a batch's size; each statement is checked by {@link #check}. */
    public void checkBatch(List<Statement> statements) {
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("batch is empty: give at least one statement");
        }
        if (statements.size() > options.maxBatchStatements()) {
            throw new RefusedStatementException("batch refused: " + statements.size() + " statements is over the limit of "
                    + options.maxBatchStatements() + " (Options.maxBatchStatements)", statements.get(0));
        }
    }

    /** Checks what can be checked before SQLite sees the statement: its size, parameters and encoding. */
    public void check(Statement st) {
        byte[] utf8 = st.sql().getBytes(StandardCharsets.UTF_8);
        if (utf8.length > options.maxSqlBytes()) {
            throw refused(st, "SQL is " + utf8.length + " bytes, over the limit of " + options.maxSqlBytes()
                    + " (Options.maxSqlBytes)");
        }
        if (st.params().size() > options.maxParameters()) {
            throw refused(st, st.params().size() + " parameters is over the limit of " + options.maxParameters()
                    + " (Options.maxParameters)");
        }
        int nul = st.sql().indexOf('\0');
        if (nul >= 0) {
            throw refused(st, "the SQL text holds a NUL character at index " + nul + ": SQLite would ignore everything after it");
        }
        int surrogate = unpairedSurrogate(st.sql());
        if (surrogate >= 0) {
            throw refused(st, "the SQL text holds an unpaired UTF-16 surrogate at index " + surrogate
                    + ": it is not valid Unicode and cannot be logged as UTF-8");
        }
        List<Object> params = Parameters.view(st.params());
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            long size = p instanceof byte[] b ? b.length
                    : p instanceof String s ? s.getBytes(StandardCharsets.UTF_8).length : 0;
            if (size > options.maxValueBytes()) {
                throw refused(st, "parameter " + (i + 1) + " is " + size + " bytes, over the limit of "
                        + options.maxValueBytes() + " (Options.maxValueBytes)");
            }
            if (p instanceof String s && (surrogate = unpairedSurrogate(s)) >= 0) {
                throw refused(st, "parameter " + (i + 1) + " holds an unpaired UTF-16 surrogate at index " + surrogate
                        + ": it is not valid Unicode and cannot be logged as UTF-8 (pass bytes as byte[])");
            }
        }
    }

    /** Index of the first high surrogate without a low one after it, or low one without a high one before it; -1 if none. */
    static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return i;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static RefusedStatementException refused(Statement st, String why) {
        return new RefusedStatementException("statement refused: " + why + " (sql: " + StatementRunner.abbreviate(st.sql()) + ")", st);
    }
}
