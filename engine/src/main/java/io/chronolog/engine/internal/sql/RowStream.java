package io.chronolog.engine.internal.sql;

import io.chronolog.engine.Options;
import io.chronolog.engine.Row;
import io.chronolog.engine.RowConsumer;
import io.chronolog.engine.Rows;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a SQLite result set row by row into a {@link RowConsumer}, and the consumer that gathers a
 * result in memory within {@link Options#maxResultRows()} and {@link Options#maxResultBytes()}
 * ({@link Capped}). Values come out as SQLite's own types ({@code Long}, {@code Double},
 * {@code String}, {@code byte[]}, {@code null}). Stateless; a {@link Capped} is not thread-safe.
 */
public final class RowStream {
    private RowStream() {
    }

    /**
     * Hands every row of {@code rs} to {@code consumer} and closes {@code rs}; returns the number of
     * rows. With a {@code deadline}, its clock is paused while the consumer has a row, so only
     * SQLite's time counts against the limit.
     */
    public static long stream(ResultSet rs, RowConsumer consumer, StatementDeadline deadline) throws SQLException {
        try (rs) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            List<String> names = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                names.add(md.getColumnLabel(i));
            }
            List<String> columns = List.copyOf(names);
            pause(deadline);
            try {
                consumer.columns(columns);
            } finally {
                resume(deadline);
            }
            long count = 0;
            while (rs.next()) {
                Object[] values = new Object[n];
                for (int i = 0; i < n; i++) {
                    Object v = rs.getObject(i + 1);
                    values[i] = v instanceof Integer x ? Long.valueOf(x) : v instanceof Float f ? Double.valueOf(f) : v;
                }
                count++;
                pause(deadline);
                try {
                    consumer.row(new Row(columns, values));
                } finally {
                    resume(deadline);
                }
            }
            return count;
        }
    }

    private static void pause(StatementDeadline deadline) {
        if (deadline != null) {
            deadline.pause();
        }
    }

    private static void resume(StatementDeadline deadline) {
        if (deadline != null) {
            deadline.resume();
        }
    }

    /** Bytes a value counts against {@link Options#maxResultBytes()}: 8 per number, text its length in characters, blobs their length. */
    static long weight(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof String s) {
            return s.length();
        }
        if (value instanceof byte[] b) {
            return b.length;
        }
        return 8;
    }

    /**
     * Gathers a result in memory, refusing one over the limits: {@link #over()} says which limit the
     * next row would cross, and {@link #row} throws {@link TooLarge} then.
     */
    public static final class Capped implements RowConsumer {
        private final int maxRows;
        private final long maxBytes;
        private List<String> columns = List.of();
        private final List<Row> rows = new ArrayList<>();
        private long bytes;

        public Capped(Options options) {
            this.maxRows = options.maxResultRows();
            this.maxBytes = options.maxResultBytes();
        }

        @Override
        public void columns(List<String> names) {
            columns = names;
        }

        @Override
        public void row(Row row) {
            if (rows.size() >= maxRows) {
                throw new TooLarge("the result has more than " + maxRows + " rows (Options.maxResultRows)");
            }
            for (int i = 0; i < row.size(); i++) {
                bytes += weight(row.value(i));
            }
            if (bytes > maxBytes) {
                throw new TooLarge("the result holds more than " + maxBytes + " bytes of values (Options.maxResultBytes)");
            }
            rows.add(row);
        }

        public Rows rows() {
            return columns.isEmpty() && rows.isEmpty() ? Rows.empty() : new Rows(columns, rows);
        }
    }

    /** A {@link Capped} result crossed a limit; the message names it. Turned into the caller's error by who runs the read. */
    public static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public TooLarge(String message) {
            super(message, null, false, false);
        }
    }
}
