package io.chronolog.engine.internal.live;

import io.chronolog.engine.internal.directory.PrivateFiles;
import io.chronolog.engine.internal.sql.SqliteExtension;
import io.chronolog.engine.internal.sql.StatementAnalysis;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;

/**
 * How a read-only open reads {@code live.sqlite3} without writing anything into the database
 * directory, so it works for a user who may read the directory but not write it.
 *
 * <p>Its scratch files (materialised states for exports, downloads and {@code verify}, and the
 * private copy below) go to a private ({@code 0700}) temp directory of its own under
 * {@code java.io.tmpdir}, deleted at {@link #close}. Its connections on the live file are opened
 * {@code SQLITE_OPEN_READONLY} and never set a journal mode:
 * <ul>
 * <li>when {@code live.sqlite3-wal} exists (a writer has the file open, or crashed), through
 *     SQLite's WAL protocol on the live file itself: the only way to see a consistent state beside
 *     a writer; SQLite reads a {@code -shm} it cannot write through its read-only path;</li>
 * <li>otherwise no writer has the file open, and the first connection copies it into the scratch
 *     directory (consistent: its size, modification time and identity are the same after the copy
 *     as before, and no {@code -wal} appeared; else it tries again, and after 3 tries reads the live
 *     file as above). Opening the file itself would make SQLite create {@code -wal} and {@code -shm}
 *     beside it.</li>
 * </ul>
 * Callers hold {@link LiveFileGate}'s shared side while connecting, so a restore does not rename
 * the file meanwhile. Thread-safe; the copy is made once.
 */
public final class ReadOnlyView implements AutoCloseable {
    static final String COPY_NAME = "live-copy.sqlite3";

    private final Path liveFile;
    private final Path scratch;
    private Path source;

    private ReadOnlyView(Path liveFile, Path scratch) {
        this.liveFile = liveFile;
        this.scratch = scratch;
    }

    /** A view of {@code liveFile} with a new private scratch directory. */
    public static ReadOnlyView open(Path liveFile, String name) throws IOException {
        return new ReadOnlyView(liveFile, Files.createTempDirectory("chronolog-" + name + "-"));
    }

    /** Where materialised states and other scratch files of this open go. */
    public Path scratch() {
        return scratch;
    }

    /** A read-only connection that sees a consistent state of the live file. */
    public Connection connect() throws SQLException {
        Path from;
        synchronized (this) {
            if (source == null) {
                source = choose();
            }
            from = source;
        }
        SqliteExtension.register();
        SQLiteConfig config = SqliteExtension.config();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        Connection c = config.createConnection("jdbc:sqlite:file:" + from + "?mode=ro");
        ((SQLiteConnection) c).setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 0);
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("PRAGMA query_only = 1");
            SqliteExtension.load(c);
            s.execute("SELECT chronolog_guard(" + StatementAnalysis.Mode.READ.code + ")");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private Path choose() throws SQLException {
        Path wal = liveFile.resolveSibling(liveFile.getFileName() + "-wal");
        Path copy = scratch.resolve(COPY_NAME);
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                if (Files.exists(wal, LinkOption.NOFOLLOW_LINKS)) {
                    return liveFile;
                }
                BasicFileAttributes before = Files.readAttributes(liveFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                Files.deleteIfExists(copy);
                try (FileChannel in = FileChannel.open(liveFile, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                     FileChannel out = FileChannel.open(copy, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                             PrivateFiles.FILE_ATTRIBUTE)) {
                    long size = in.size();
                    for (long done = 0; done < size; ) {
                        done += out.transferFrom(in, done, size - done);
                    }
                    if (size >= 20) {
                        out.write(java.nio.ByteBuffer.wrap(new byte[] {1, 1}), 18); // a rollback-journal file: opens alone
                    }
                }
                BasicFileAttributes after = Files.readAttributes(liveFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (same(before, after) && !Files.exists(wal, LinkOption.NOFOLLOW_LINKS)) {
                    return copy;
                }
            }
            Files.deleteIfExists(copy);
            return liveFile;
        } catch (IOException e) {
            throw new SQLException("cannot read " + liveFile + ": " + e.getMessage(), e);
        }
    }

    private static boolean same(BasicFileAttributes a, BasicFileAttributes b) {
        return a.size() == b.size() && a.lastModifiedTime().equals(b.lastModifiedTime())
                && Objects.equals(a.fileKey(), b.fileKey());
    }

    /** Deletes the scratch directory and everything in it. */
    @Override
    public void close() throws IOException {
        try (Stream<Path> s = Files.walk(scratch)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // already gone
        }
    }
}
