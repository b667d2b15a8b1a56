package io.chronolog.engine.internal.sql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.sqlite.SQLiteConfig;

/**
 * Chronolog's SQLite extension ({@code engine/src/main/c/chronolog_sqlite.c}), loaded into every
 * connection the engine opens on a live file: SQLite's own analysis of a statement (authorizer,
 * read-only flag, the text after the first statement), the frame clock (a VFS whose 'now' is the
 * frame's time), and the frame's change digest, deferred-constraint and rowid checks.
 *
 * <p>The driver does not expose these parts of SQLite's C API and does not export SQLite's
 * symbols, so they are reached the way SQLite intends: a loadable extension, which receives the
 * API of the very SQLite library the driver linked. The shared library is built with the engine
 * and copied once per process into a private temporary directory. One connection that loaded it
 * stays open for the life of the process, so the library (and the VFS it registered) is never
 * unloaded. Loading is switched off again inside the extension before any user SQL runs.
 * Thread-safe.
 */
public final class SqliteExtension {
    /** The name of the VFS whose clock is the frame's time. */
    public static final String VFS = "chronolog";
    private static final String RESOURCE = "native/linux-x86_64/libchronolog_sqlite.so";
    private static final String ENTRY = "sqlite3_chronolog_init";

    private static Path library;
    @SuppressWarnings("unused") // held so the library is never unloaded
    private static Connection keeper;

    private SqliteExtension() {
    }

    /** A configuration that lets the engine load the extension (the extension then forbids further loads). */
    public static SQLiteConfig config() {
        SQLiteConfig config = new SQLiteConfig();
        config.enableLoadExtension(true);
        return config;
    }

    /** Loads the extension into {@code connection}, which must have been opened with {@link #config()}. */
    public static void load(Connection connection) throws SQLException {
        Path lib = library();
        try (Statement s = connection.createStatement()) {
            s.execute("SELECT load_extension('" + lib.toString().replace("'", "''") + "', '" + ENTRY + "')");
        }
    }

    /** The statements of a script, split where SQLite's own {@code sqlite3_complete()} says each ends. */
    public static synchronized List<String> split(String script) throws SQLException {
        if (script.indexOf('\0') >= 0 || StatementGuard.unpairedSurrogate(script) >= 0) {
            // SQLite reads text only up to a NUL, and UTF-8 cannot carry an unpaired surrogate: such a
            // script is not split (a split would not be the user's text), and the guard refuses it whole
            return List.of(script);
        }
        library();
        try (java.sql.PreparedStatement ps = keeper.prepareStatement("SELECT chronolog_split(?)")) {
            ps.setString(1, script);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                String joined = rs.getString(1);
                List<String> out = new java.util.ArrayList<>();
                if (joined != null && !joined.isEmpty()) {
                    for (String s : joined.split("\u001e", -1)) {
                        out.add(s.strip());
                    }
                }
                return out;
            }
        }
    }

    /** Makes sure the extension's VFS is registered, so that connections may name it when they open. */
    public static void register() throws SQLException {
        library();
    }

    private static synchronized Path library() throws SQLException {
        if (library != null) {
            return library;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new SQLException("Chronolog's SQLite extension is built for Linux x86-64 only; this is " + os + " " + arch);
        }
        Path file;
        try (InputStream in = SqliteExtension.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new SQLException("Chronolog's SQLite extension is missing from the class path (" + RESOURCE
                        + "): build the engine with gcc and SQLite's headers installed");
            }
            Path dir = Files.createTempDirectory("chronolog-sqlite-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            file = dir.resolve("libchronolog_sqlite.so");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new SQLException("cannot copy Chronolog's SQLite extension to a temporary directory: " + e.getMessage(), e);
        }
        Connection c = config().createConnection("jdbc:sqlite::memory:");
        try (Statement s = c.createStatement()) {
            s.execute("SELECT load_extension('" + file.toString().replace("'", "''") + "', '" + ENTRY + "')");
        } catch (SQLException e) {
            c.close();
            throw new SQLException("cannot load Chronolog's SQLite extension " + file + ": " + e.getMessage(), e);
        }
        keeper = c;
        library = file;
        return file;
    }
}
