package io.chronolog.engine.internal.live;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The content digest of a database: the first 16 bytes of SHA-256 over its user schema and every
 * user table's rows, rowid included, in rowid order (primary-key order for WITHOUT ROWID tables).
 * Two databases with the same digest hold the same user-visible content, rowids included; the
 * engine's own tables are left out. The encoding is in docs/FORMAT.md ("Content digest").
 * Stateless; the caller's connection decides the snapshot read.
 */
public final class ContentDigest {
    private ContentDigest() {
    }

    /** User objects of the schema, in name order: (type, name, sql). */
    static final String USER_SCHEMA = "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            + "AND name NOT LIKE '\\_chronolog\\_%' ESCAPE '\\' ORDER BY name";

    public static byte[] of(Connection c) throws SQLException {
        MessageDigest sha = sha256();
        byte[] scratch = new byte[8];
        List<String[]> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(USER_SCHEMA)) {
            while (rs.next()) {
                for (int i = 1; i <= 4; i++) {
                    text(sha, rs.getString(i));
                }
                if ("table".equals(rs.getString(1)) && rs.getString(4) != null && !rs.getString(4).toUpperCase().startsWith("CREATE VIRTUAL")) {
                    tables.add(new String[] {rs.getString(2), rs.getString(4)});
                }
            }
        }
        for (String[] t : tables) {
            text(sha, t[0]);
            boolean withoutRowid = t[1].toUpperCase().replaceAll("\\s+", " ").contains("WITHOUT ROWID");
            String q = "\"" + t[0].replace("\"", "\"\"") + "\"";
            String sql = withoutRowid ? "SELECT * FROM " + q : "SELECT rowid, * FROM " + q + " ORDER BY rowid";
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    sha.update((byte) 'R');
                    for (int i = 1; i <= n; i++) {
                        value(sha, rs.getObject(i), scratch);
                    }
                }
            }
        }
        return Arrays.copyOf(sha.digest(), 16);
    }

    /** Number of user tables (virtual tables included, their shadow tables not). */
    public static int tableCount(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                        + "AND name NOT LIKE '\\_chronolog\\_%' ESCAPE '\\'")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void value(MessageDigest sha, Object v, byte[] scratch) {
        if (v == null) {
            sha.update((byte) 0);
        } else if (v instanceof Integer || v instanceof Long) {
            sha.update((byte) 1);
            sha.update(bigEndian(((Number) v).longValue(), scratch), 0, 8);
        } else if (v instanceof Double || v instanceof Float) {
            sha.update((byte) 2);
            sha.update(bigEndian(Double.doubleToLongBits(((Number) v).doubleValue()), scratch), 0, 8);
        } else if (v instanceof byte[] b) {
            sha.update((byte) 4);
            sha.update(bigEndian((long) b.length << 32, scratch), 0, 4);
            sha.update(b);
        } else {
            sha.update((byte) 3);
            text(sha, v.toString());
        }
    }

    private static byte[] bigEndian(long v, byte[] out) {
        for (int i = 7; i >= 0; i--, v >>>= 8) {
            out[i] = (byte) v;
        }
        return out;
    }

    private static void text(MessageDigest sha, String s) {
        if (s == null) {
            sha.update((byte) 0);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
        sha.update(b);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
