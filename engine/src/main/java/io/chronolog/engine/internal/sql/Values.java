package io.chronolog.engine.internal.sql;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Text forms of SQLite values for messages and logs; not a format anything parses back. */
public final class Values {
    private static final int MAX_SHOWN = 64;

    private Values() {
    }

    public static String describe(List<Object> params) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(describe(params.get(i)));
        }
        return sb.append(']').toString();
    }

    public static String describe(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof byte[] b) {
            byte[] shown = b.length > MAX_SHOWN / 2 ? Arrays.copyOf(b, MAX_SHOWN / 2) : b;
            return "x'" + HexFormat.of().formatHex(shown) + (shown.length < b.length ? "…" : "") + "'";
        }
        if (v instanceof String s) {
            String shown = s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "…" : s;
            return "'" + shown.replace("'", "''") + "'";
        }
        return v.toString();
    }
}
