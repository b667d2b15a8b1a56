package io.chronolog.engine.internal.live;

import io.chronolog.engine.internal.sql.StatementGuard;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The engine's table in the live file, {@code _chronolog_meta(id INTEGER PRIMARY KEY, position
 * INTEGER NOT NULL, hash BLOB NOT NULL)} (docs/FORMAT.md): row {@link #APPLIED} holds the position
 * and chain hash of the last frame applied (0 and an empty blob for a new file), written in the
 * same transaction as that frame; row {@link #CLOSED} holds, after a clean close, the position then
 * applied and the content's digest ({@link ContentDigest}). The one class that writes or reads it.
 * Stateless.
 */
public final class MetaRow {
    /** The table's name (the user may not touch any {@code _chronolog_*} table). */
    public static final String TABLE = StatementGuard.ENGINE_TABLE_PREFIX + "meta";
    /** The row of the last frame applied. */
    public static final int APPLIED = 0;
    /**
     * The row written at a clean close, checked at the next open; a row whose position is no longer
     * the applied one is stale and ignored.
     */
    public static final int CLOSED = 1;
    /** The statement that moves {@link #APPLIED} to a frame: parameters position, hash. */
    static final String UPDATE_APPLIED = "UPDATE " + TABLE + " SET position = ?, hash = ? WHERE id = " + APPLIED;

    /** One row: a position and its blob (a chain hash for {@link #APPLIED}, a digest for {@link #CLOSED}). */
    public record Entry(long position, byte[] value) {
    }

    private MetaRow() {
    }

    /** Creates the table and row {@link #APPLIED} (position 0) where they are missing. */
    static void create(Statement s) throws SQLException {
        s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + "(id INTEGER PRIMARY KEY, position INTEGER NOT NULL, hash BLOB NOT NULL)");
        s.execute("INSERT OR IGNORE INTO " + TABLE + "(id, position, hash) VALUES (" + APPLIED + ", 0, x'')");
    }

    /** Whether the file has the table at all. */
    public static boolean exists(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema WHERE name = '" + TABLE + "'")) {
            return rs.getLong(1) > 0;
        }
    }

    /** Row {@code id}, if the file holds it (the table must exist). */
    public static Optional<Entry> read(Connection c, int id) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT position, hash FROM " + TABLE + " WHERE id = " + id)) {
            return rs.next() ? Optional.of(new Entry(rs.getLong(1), rs.getBytes(2))) : Optional.empty();
        }
    }

    /** Sets row {@code id} (creating it), in the caller's transaction. */
    static void write(Connection c, int id, long position, byte[] value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO " + TABLE + "(id, position, hash) VALUES (" + id
                + ", ?, ?)")) {
            ps.setLong(1, position);
            ps.setBytes(2, value);
            ps.executeUpdate();
        }
    }

    /** Removes row {@link #CLOSED}: a copied file's clean-close record is not its own. */
    static void forgetClose(Statement s) throws SQLException {
        s.execute("DELETE FROM " + TABLE + " WHERE id = " + CLOSED);
    }
}
