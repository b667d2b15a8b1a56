package io.chronolog.cli;

import java.util.List;

/**
 * How one table differs between two moments: rows {@code added}, {@code removed} and
 * {@code changed} (same key, other values in the columns both moments have), and whether its
 * schema ({@code CREATE} text) changed. Rows are matched by rowid, or by primary key for
 * {@code WITHOUT ROWID} tables. The rows themselves are kept only when asked for ({@code --rows}).
 * Immutable; computed by {@link SnapshotDiff}.
 */
record TableDiff(String name, long added, long removed, long changed, boolean schemaChanged,
        List<DiffRow> addedRows, List<DiffRow> removedRows, List<Change> changedRows) {

    TableDiff {
        addedRows = List.copyOf(addedRows);
        removedRows = List.copyOf(removedRows);
        changedRows = List.copyOf(changedRows);
    }

    /** True when nothing differs. */
    boolean unchanged() {
        return added == 0 && removed == 0 && changed == 0 && !schemaChanged;
    }

    /** One row: its values (SQLite's own types, {@code null} as null) under column names, the key first. */
    record DiffRow(List<String> columns, List<Object> values) {
        DiffRow {
            columns = List.copyOf(columns);
            values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
        }
    }

    /** One changed row, as it was and as it is. */
    record Change(DiffRow before, DiffRow after) {
    }
}
