package io.chronolog.engine.internal.live;

import io.chronolog.engine.ChronologException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.sqlite.SQLiteException;

/**
 * The check open makes of {@code live.sqlite3} before trusting it, and the repair when it fails.
 * The live file is a view the log can rebuild, so a damaged one is never served: SQLite's
 * {@code PRAGMA quick_check} must pass and a file holding anything must hold the engine's meta row
 * (id 0, a position {@code >= 0} and a 16-byte hash, or position 0 and an empty hash). A file that
 * fails is kept aside as {@code live.sqlite3.damaged-<millis>} (with its {@code -wal} and
 * {@code -shm}) and the state at the end of the log is rebuilt from the latest usable checkpoint
 * plus the frames after it. Stateless.
 */
public final class LiveFileRepair {
    public static final String DAMAGED_INFIX = ".damaged-";
    public static final String[] SIDE_FILES = {"", "-wal", "-shm"};

    private LiveFileRepair() {
    }

    /** What is wrong with the live file, or empty when it passes (or does not exist: open creates it). */
    public static Optional<String> problem(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (Connection c = LiveDatabase.connect(file, true); java.sql.Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
                String first = rs.next() ? rs.getString(1) : "no result";
                if (!"ok".equals(first)) {
                    String line = first.replaceAll("\\s+", " ").trim();
                    return Optional.of("PRAGMA quick_check: " + (line.length() > 200 ? line.substring(0, 200) + "..." : line));
                }
            }
            long objects;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema")) {
                objects = rs.getLong(1);
            }
            if (objects == 0) {
                return Optional.empty(); // a new, empty file
            }
            if (!MetaRow.exists(c)) {
                return Optional.of("the engine's table " + MetaRow.TABLE + " is missing");
            }
            Optional<MetaRow.Entry> applied = MetaRow.read(c, MetaRow.APPLIED);
            if (applied.isEmpty()) {
                return Optional.of("the engine's meta row (id 0) is missing");
            }
            long position = applied.get().position();
            byte[] hash = applied.get().value();
            int length = hash == null ? -1 : hash.length;
            if (position < 0 || (position == 0 ? length != 0 : length != 16)) {
                return Optional.of("the engine's meta row is invalid: position=" + position + " hash bytes=" + length);
            }
            // quick_check sees the structure, not the values: a clean close recorded the content's digest
            Optional<MetaRow.Entry> closed = MetaRow.read(c, MetaRow.CLOSED);
            if (closed.isPresent() && closed.get().position() == position
                    && !java.util.Arrays.equals(closed.get().value(), ContentDigest.of(c))) {
                return Optional.of("its content differs from the digest recorded when it was last closed at frame " + position);
            }
            return Optional.empty();
        } catch (SQLiteException e) {
            int primary = e.getResultCode().code & 0xFF;
            if (primary == 11 || primary == 26) { // SQLITE_CORRUPT, SQLITE_NOTADB
                return Optional.of(e.getMessage());
            }
            throw new ChronologException("cannot check " + file + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new ChronologException("cannot check " + file + ": " + e.getMessage(), e);
        }
    }

    /** The position of the last frame the live file applied (its meta row), 0 when it holds none or does not exist. */
    public static long appliedPosition(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Connection c = LiveDatabase.connect(file, true); java.sql.Statement s = c.createStatement()) {
            return MetaRow.exists(c) ? MetaRow.read(c, MetaRow.APPLIED).map(MetaRow.Entry::position).orElse(0L) : 0;
        } catch (SQLException e) {
            throw new ChronologException("cannot check " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the live file holds no state at all: missing, zero bytes, or a SQLite file with no
     * schema. Such a file cannot be brought to the end of the log by replay once the log no longer
     * starts at frame 1, so open rebuilds it from a checkpoint instead.
     */
    public static boolean holdsNothing(Path file) {
        try {
            if (!Files.exists(file) || Files.size(file) == 0) {
                return true;
            }
        } catch (IOException e) {
            throw new ChronologException("cannot check " + file + ": " + e.getMessage(), e);
        }
        try (Connection c = LiveDatabase.connect(file, true); java.sql.Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema")) {
            return rs.getLong(1) == 0;
        } catch (SQLException e) {
            throw new ChronologException("cannot check " + file + ": " + e.getMessage(), e);
        }
    }
}
