package io.chronolog.wal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One SQL statement with its bound parameters, as it is logged and replayed.
 *
 * <p>On disk it is part of a {@link StatementBatch} payload (see {@code docs/FORMAT.md}). Immutable
 * and thread-safe: the list and every {@code byte[]} are copied in, and {@link #params()} hands out
 * copies of blobs. Invariant: every parameter is {@code null}, {@link Long}, {@link Double},
 * {@link String} or {@code byte[]} (SQLite's NULL, INTEGER, REAL, TEXT, BLOB); equality compares
 * blobs by content.
 *
 * @param sql    the statement text
 * @param params bound parameters in order
 */
public record LoggedStatement(String sql, List<Object> params) {

    /** Validates the parameters and takes an immutable copy. */
    public LoggedStatement {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(params, "params");
        List<Object> copy = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p == null || p instanceof Long || p instanceof Double || p instanceof String) {
                copy.add(p);
            } else if (p instanceof byte[] b) {
                copy.add(b.clone());
            } else {
                throw new IllegalArgumentException("parameter " + (i + 1) + " has unsupported type "
                        + p.getClass().getName() + ": expected null, Long, Double, String or byte[]");
            }
        }
        params = Collections.unmodifiableList(copy);
    }

    /** A statement with the given parameters. */
    public static LoggedStatement of(String sql, Object... params) {
        return new LoggedStatement(sql, Arrays.asList(params));
    }

    /** The parameters; blobs are returned as copies. */
    @Override
    public List<Object> params() {
        List<Object> out = new ArrayList<>(params.size());
        for (Object p : params) {
            out.add(p instanceof byte[] b ? b.clone() : p);
        }
        return Collections.unmodifiableList(out);
    }

    /** The parameters without copying blobs, for the codec only, which never modifies them. */
    List<Object> paramsView() {
        return params;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LoggedStatement other) || !sql.equals(other.sql) || params.size() != other.params.size()) {
            return false;
        }
        for (int i = 0; i < params.size(); i++) {
            if (!paramEquals(params.get(i), other.params.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = sql.hashCode();
        for (Object p : params) {
            h = 31 * h + (p instanceof byte[] b ? Arrays.hashCode(b) : Objects.hashCode(p));
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("LoggedStatement[sql=").append(sql).append(", params=[");
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            sb.append(i == 0 ? "" : ", ");
            if (p instanceof byte[] b) {
                sb.append("blob(").append(b.length).append(')');
            } else if (p instanceof String s) {
                sb.append('\'').append(s).append('\'');
            } else {
                sb.append(p);
            }
        }
        return sb.append("]]").toString();
    }

    private static boolean paramEquals(Object a, Object b) {
        if (a instanceof byte[] x) {
            return b instanceof byte[] y && Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }
}
