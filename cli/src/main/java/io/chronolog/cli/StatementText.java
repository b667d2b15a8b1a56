package io.chronolog.cli;

import io.chronolog.engine.Statement;
import java.util.HexFormat;
import java.util.List;

/**
 * A logged statement as one line of text: its SQL, then its bound parameters in a trailing SQL
 * comment ({@code INSERT INTO t VALUES (?) /* ?1=42 *}{@code /}), so the text stays valid SQL. Used
 * by both {@link Renderer} and {@link Json}. A pure function.
 */
final class StatementText {
    private static final HexFormat HEX = HexFormat.of();

    private StatementText() {
    }

    static String of(Statement statement) {
        List<Object> params = statement.params();
        if (params.isEmpty()) {
            return statement.sql();
        }
        StringBuilder sb = new StringBuilder(statement.sql()).append(" /* ");
        for (int i = 0; i < params.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append('?').append(i + 1).append('=').append(literal(params.get(i)));
        }
        return sb.append(" */").toString();
    }

    /** A parameter as an SQL literal; text that would close the comment is broken up. */
    static String literal(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof byte[] b) {
            return "x'" + HEX.formatHex(b) + "'";
        }
        if (v instanceof String s) {
            return "'" + s.replace("'", "''").replace("*/", "* /") + "'";
        }
        return v.toString();
    }
}
