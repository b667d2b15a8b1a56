package io.chronolog.engine;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The rows a statement returned, fully read: {@link #columns()} names them, {@link #size()} counts
 * them. Immutable and safe to share between threads; empty (no columns, no rows) for statements
 * that return nothing.
 */
public final class Rows implements Iterable<Row> {
    private static final Rows EMPTY = new Rows(List.of(), List.of());

    private final List<String> columns;
    private final List<Row> rows;

    public Rows(List<String> columns, List<Row> rows) {
        this.columns = Collections.unmodifiableList(columns);
        this.rows = Collections.unmodifiableList(rows);
    }

    public static Rows empty() {
        return EMPTY;
    }

    public List<String> columns() {
        return columns;
    }

    public int size() {
        return rows.size();
    }

    public Row get(int index) {
        return rows.get(index);
    }

    public List<Row> asList() {
        return rows;
    }

    @Override
    public Iterator<Row> iterator() {
        return rows.iterator();
    }

    @Override
    public String toString() {
        return "Rows" + columns + " x " + rows.size();
    }
}
