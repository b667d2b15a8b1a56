package io.chronolog.engine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.sqlite.Function;

/**
 * Makes SQLite's non-deterministic functions replayable on one write connection.
 *
 * <p>{@code random()} and {@code randomblob(N)} draw from {@link SplitMix64} seeded by the frame;
 * {@code 'now'}, the no-argument date functions, {@code CURRENT_TIMESTAMP/DATE/TIME} (also as
 * column defaults) and {@code unixepoch()} see the frame's commit timestamp. The date functions
 * are computed by SQLite's own implementation on a private in-memory connection, with
 * {@code 'now'} replaced by that timestamp, so results are exactly SQLite's. The time-zone
 * modifiers {@code 'localtime'} and {@code 'utc'} and {@code total_changes()} are refused.
 *
 * <p>Not thread-safe: it belongs to the connection's single writer thread. A frame is bracketed by
 * {@link #begin} and {@link #end}; outside one, the overridden functions fail.
 */
final class DeterministicFunctions implements AutoCloseable {
    private static final DateTimeFormatter NOW_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** Date functions whose first argument is a time value, the rest modifiers. */
    private static final String[] TIME_FIRST = {"date", "time", "datetime", "julianday", "unixepoch"};

    private final Connection builtins;
    private final Map<String, PreparedStatement> delegates = new HashMap<>();
    private volatile int maxBlobBytes;
    private SplitMix64 random;
    /** The frame's time; {@link #now} is its text, made on first use (most frames never ask). */
    private long nowMillis;
    private boolean inFrame;
    private String now;

    private DeterministicFunctions(Connection builtins, int maxBlobBytes) {
        this.builtins = builtins;
        this.maxBlobBytes = maxBlobBytes;
    }

    /** Registers the overrides on {@code connection}. */
    static DeterministicFunctions install(Connection connection, int maxBlobBytes) throws SQLException {
        DeterministicFunctions f = new DeterministicFunctions(DriverManager.getConnection("jdbc:sqlite::memory:"), maxBlobBytes);
        f.register(connection);
        return f;
    }

    /** Largest blob {@code randomblob()} makes; larger requests fail as SQLite's own limit would. */
    void limitBlobs(int bytes) {
        maxBlobBytes = bytes;
    }

    void begin(long seed, long timestampMillis) {
        random = new SplitMix64(seed);
        nowMillis = timestampMillis;
        inFrame = true;
        now = null;
    }

    void end() {
        random = null;
        inFrame = false;
        now = null;
    }

    private void register(Connection c) throws SQLException {
        Function.create(c, "random", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                result(generator().nextLong());
            }
        }, 0, 0);
        Function.create(c, "randomblob", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                long n = value_type(0) == 5 ? 1 : value_long(0);
                if (n < 1) {
                    n = 1;
                }
                if (n > maxBlobBytes) {
                    error("string or blob too big");
                    return;
                }
                byte[] out = new byte[(int) n];
                generator().nextBytes(out);
                result(out);
            }
        }, 1, 0);
        Function.create(c, "total_changes", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                error("total_changes() is refused in writes: it counts the connection's history, which replay does not share");
            }
        }, 0, 0);
        constant(c, "current_timestamp", "datetime");
        constant(c, "current_date", "date");
        constant(c, "current_time", "time");
        for (String name : TIME_FIRST) {
            dateFunction(c, name, 0, 0);
        }
        dateFunction(c, "strftime", 1, 1);
        dateFunction(c, "timediff", 0, 1);
    }

    private void constant(Connection c, String name, String builtin) throws SQLException {
        Function.create(c, name, new Function() {
            @Override
            protected void xFunc() throws SQLException {
                Object v = call(builtin, new Object[] {clockNow()});
                result((String) v);
            }
        }, 0, 0);
    }

    /**
     * Overrides a date function taking any number of arguments, where arguments {@code firstTime..lastTime}
     * are time values ('now' is replaced) and later ones are modifiers ('localtime' and 'utc' are refused).
     */
    private void dateFunction(Connection c, String name, int firstTime, int lastTime) throws SQLException {
        Function.create(c, name, new Function() {
            @Override
            protected void xFunc() throws SQLException {
                int n = args();
                Object[] values = new Object[Math.max(n, firstTime + 1)];
                for (int i = 0; i < n; i++) {
                    values[i] = switch (value_type(i)) {
                        case 1 -> value_long(i);
                        case 2 -> value_double(i);
                        case 3 -> value_text(i);
                        case 4 -> value_blob(i);
                        default -> null;
                    };
                }
                if (n <= firstTime) {
                    values[firstTime] = clockNow();
                }
                for (int i = 0; i < values.length; i++) {
                    if (values[i] instanceof String s) {
                        if (i >= firstTime && i <= lastTime && s.equalsIgnoreCase("now")) {
                            values[i] = clockNow();
                        } else if (i > lastTime && (s.trim().equalsIgnoreCase("localtime") || s.trim().equalsIgnoreCase("utc"))) {
                            error("'" + s.trim() + "' is refused in writes: it depends on the machine's time zone, which replay "
                                    + "may not share; store UTC and convert when reading");
                            return;
                        }
                    }
                }
                Object v = call(name, values);
                if (v == null) {
                    result();
                } else if (v instanceof Long l) {
                    result(l);
                } else if (v instanceof Integer i) {
                    result((long) i);
                } else if (v instanceof Double d) {
                    result(d);
                } else {
                    result(v.toString());
                }
            }
        }, -1, 0);
    }

    private SplitMix64 generator() throws SQLException {
        if (random == null) {
            throw new SQLException("random() outside a frame: the engine applies writes only inside frames");
        }
        return random;
    }

    private String clockNow() throws SQLException {
        if (!inFrame) {
            throw new SQLException("'now' outside a frame: the engine applies writes only inside frames");
        }
        if (now == null) {
            now = NOW_FORMAT.format(Instant.ofEpochMilli(nowMillis));
        }
        return now;
    }

    private Object call(String function, Object[] args) throws SQLException {
        String key = function + "/" + args.length;
        PreparedStatement ps = delegates.get(key);
        if (ps == null) {
            StringBuilder sql = new StringBuilder("SELECT ").append(function).append('(');
            for (int i = 0; i < args.length; i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            ps = builtins.prepareStatement(sql.append(')').toString());
            delegates.put(key, ps);
        }
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Double d) {
                ps.setDouble(i + 1, d);
            } else if (a instanceof byte[] b) {
                ps.setBytes(i + 1, b);
            } else {
                ps.setString(i + 1, a.toString());
            }
        }
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement ps : delegates.values()) {
            ps.close();
        }
        builtins.close();
    }
}
