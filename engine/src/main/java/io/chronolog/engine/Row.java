package io.chronolog.engine;

import io.chronolog.engine.internal.sql.Values;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One result row: values in column order as SQLite's own types ({@link Long}, {@link Double},
 * {@link String}, {@code byte[]} or {@code null}).
 *
 * <p>Immutable: byte arrays are copied on the way out. Column names resolve case-insensitively, as
 * SQL does; with duplicate names the first column wins.
 */
public final class Row {
    private final List<String> columns;
    private final Object[] values;

    public Row(List<String> columns, Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    /** Number of values, equal to the number of columns. */
    public int size() {
        return values.length;
    }

    /** The value of the column at {@code index} (0-based). */
    public Object get(int index) {
        Objects.checkIndex(index, values.length);
        Object v = values[index];
        return v instanceof byte[] b ? b.clone() : v;
    }

    /** The value at {@code index} as held, without copying a byte array: for the engine's own accounting. */
    public Object value(int index) {
        return values[index];
    }

    /** The value of the named column; {@link IllegalArgumentException} if there is no such column. */
    public Object get(String column) {
        return get(indexOf(column));
    }

    /** The value at {@code index} as a long; {@code null} stays {@code null}. */
    public Long getLong(int index) {
        Object v = get(index);
        return v == null ? null : ((Number) v).longValue();
    }

    public Long getLong(String column) {
        return getLong(indexOf(column));
    }

    public String getString(int index) {
        Object v = get(index);
        return v == null ? null : v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : v.toString();
    }

    public String getString(String column) {
        return getString(indexOf(column));
    }

    private int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column named '" + column + "' in " + columns);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row other && Arrays.deepEquals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        return Values.describe(Arrays.asList(values));
    }
}
