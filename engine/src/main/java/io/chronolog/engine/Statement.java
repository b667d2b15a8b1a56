package io.chronolog.engine;

import io.chronolog.engine.internal.sql.Parameters;
import io.chronolog.engine.internal.sql.SqliteExtension;
import io.chronolog.engine.internal.sql.Values;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One SQL statement with its positional parameters, as submitted to {@link Database#batch}.
 *
 * <p>Invariant: every parameter is one of SQLite's own types, {@code null}, {@link Long},
 * {@link Double}, {@link String} or {@code byte[]}; {@link #of} converts the other Java numbers and
 * booleans and refuses anything else. Immutable and thread-safe: the list of parameters cannot be
 * modified and byte arrays are copied in and out ({@link #params()} hands out a copy of a blob each
 * time one is read). Equality compares blobs by content.
 *
 * <p>It is also the statement as the log holds it: a frame's payload encodes it with its
 * parameters' SQLite types (see {@code docs/FORMAT.md}, "STATEMENTS payload").
 */
public record Statement(String sql, List<Object> params) {

    /**
     * Checks the parameters and takes them as SQLite's types, copying blobs.
     *
     * @throws IllegalArgumentException naming the parameter whose type SQLite has no equivalent of
     */
    public Statement {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(params, "params");
        Object[] copy = new Object[params.size()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = normalize(params.get(i), i + 1);
        }
        params = new Parameters(copy);
    }

    /**
     * The statements of a script of several, split where SQLite's own parser says each ends
     * ({@code sqlite3_complete}): semicolons inside quotes, comments and trigger bodies do not
     * split. Statements that hold only blanks and comments are left out; each keeps its semicolon.
     *
     * @throws ChronologException if SQLite cannot be reached to split it
     */
    public static List<String> split(String script) {
        Objects.requireNonNull(script, "script");
        try {
            return SqliteExtension.split(script);
        } catch (java.sql.SQLException e) {
            throw new ChronologException("cannot split the SQL script: " + e.getMessage(), e);
        }
    }

    /** A statement with positional parameters bound to its {@code ?} placeholders, in order. */
    public static Statement of(String sql, Object... params) {
        return new Statement(sql, params == null ? List.of() : Arrays.asList(params));
    }

    static Object normalize(Object value, int index) {
        if (value == null || value instanceof Long || value instanceof Double || value instanceof String) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        if (value instanceof BigDecimal) {
            throw new IllegalArgumentException("parameter " + index
                    + " is a BigDecimal: pass a Double or a String, SQLite has no decimal type");
        }
        throw new IllegalArgumentException("parameter " + index + " has unsupported type "
                + value.getClass().getName() + ": use null, Long, Double, String or byte[]");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Statement other) || !sql.equals(other.sql) || params.size() != other.params.size()) {
            return false;
        }
        List<Object> mine = Parameters.view(params);
        List<Object> theirs = Parameters.view(other.params);
        for (int i = 0; i < mine.size(); i++) {
            if (!Objects.deepEquals(mine.get(i), theirs.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = sql.hashCode();
        for (Object p : Parameters.view(params)) {
            h = 31 * h + (p instanceof byte[] b ? Arrays.hashCode(b) : Objects.hashCode(p));
        }
        return h;
    }

    @Override
    public String toString() {
        return params.isEmpty() ? sql : sql + " " + Values.describe(Parameters.view(params));
    }
}
