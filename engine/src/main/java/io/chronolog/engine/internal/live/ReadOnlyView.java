package io.chronolog.engine.internal.live;

import io.chronolog.engine.internal.directory.LockFile;
import io.chronolog.engine.internal.directory.PrivateFiles;
import io.chronolog.engine.internal.sql.SqliteExtension;
import io.chronolog.engine.internal.sql.StatementAnalysis;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;

/**
 * How a read-only open reads {@code live.sqlite3} without writing anything into the database
 * directory, so it works for a user who may read the directory but not write it.
 *
 * <p>Its scratch files (materialised states for exports, downloads and {@code verify}, and the
 * copy below when one is needed) go to a private ({@code 0700}) temp directory of its own under
 * {@code java.io.tmpdir}, deleted at {@link #close}. Its connections are read-only, set no journal
 * mode and read the file one of three ways, chosen at the first connection (and again at a later
 * one after the file changed):
 * <ul>
 * <li><b>In place</b>, when {@code live.sqlite3-wal} does not exist and {@link LockFile#probe} finds
 *     no writer: SQLite's {@code immutable=1} on the live file itself, which takes no lock, creates
 *     no {@code -wal} or {@code -shm} and costs nothing per byte of the file. A writer may still
 *     start afterwards, and an immutable connection would not notice, so every connection is a
 *     {@link StampedConnection}: the file's {@link LiveFileStamp} (size, modification time, file
 *     key, no {@code -wal}) is checked before each statement and after each row is read, before it
 *     is handed out. A read, streamed or gathered, therefore returns only rows of the stamped
 *     state; once a writer has opened, reads on those connections fail with an error that says to
 *     reopen (a pooled connection's cache cannot be refreshed), and new connections choose again.</li>
 * <li><b>Through SQLite's WAL protocol</b> on the live file, when {@code live.sqlite3-wal} exists (a
 *     writer has the file open, or crashed): the only way to see a consistent state beside a writer,
 *     and the newest one; SQLite reads a {@code -shm} it cannot write through its read-only path.</li>
 * <li><b>A copy</b> in the scratch directory, kept only for a writer that holds {@code LOCK} but has
 *     no {@code -wal} yet (it is opening, or a restore is between closing and reopening the file):
 *     in place it would soon be refused, and the WAL protocol would make SQLite create {@code -wal}
 *     and {@code -shm} beside the file. The copy is kept if the stamp holds after it, else it is made
 *     again; after 3 tries, or once a {@code -wal} exists, the WAL protocol is used.</li>
 * </ul>
 * Callers hold {@link LiveFileGate}'s shared side while connecting, so a restore does not rename
 * the file meanwhile. Thread-safe.
 */
public final class ReadOnlyView implements AutoCloseable {
    static final String COPY_NAME = "live-copy.sqlite3";

    private final Path liveFile;
    private final Path scratch;
    /** The current choice: the file to open and, when it is the live file read in place, its stamp. */
    private Path source;
    private LiveFileStamp stamp;

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
        LiveFileStamp held;
        synchronized (this) {
            if (source == null || (stamp != null && stamp.change() != null)) {
                choose();
            }
            from = source;
            held = stamp;
        }
        SqliteExtension.register();
        SQLiteConfig config = SqliteExtension.config();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        Connection c = held != null ? StampedConnection.open(from, config.toProperties(), held)
                : config.createConnection("jdbc:sqlite:file:" + from + "?mode=ro");
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

    /** Sets {@link #source} and {@link #stamp} as the class comment says. */
    private void choose() throws SQLException {
        Path copy = scratch.resolve(COPY_NAME);
        source = liveFile;
        stamp = null;
        try {
            Files.deleteIfExists(copy);
            LiveFileStamp now = LiveFileStamp.take(liveFile);
            if (now == null) {
                return; // a -wal: the WAL protocol
            }
            if (LockFile.probe(liveFile.getParent()) != LockFile.Writer.PRESENT) {
                stamp = now; // in place (stamped before the probe: a writer starting after either is seen by the checks)
                return;
            }
            for (int attempt = 0; attempt < 3 && now != null; attempt++) {
                copy(copy);
                if (now.change() == null) {
                    source = copy;
                    return;
                }
                Files.deleteIfExists(copy);
                now = LiveFileStamp.take(liveFile);
            }
        } catch (IOException e) {
            throw new SQLException("cannot read " + liveFile + ": " + e.getMessage(), e);
        }
    }

    /** Copies the live file to {@code copy} ({@code 0600}), marked as a rollback-journal file so it opens alone. */
    private void copy(Path copy) throws IOException {
        try (FileChannel in = FileChannel.open(liveFile, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             FileChannel out = FileChannel.open(copy, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                     PrivateFiles.FILE_ATTRIBUTE)) {
            long size = in.size();
            for (long done = 0; done < size; ) {
                done += out.transferFrom(in, done, size - done);
            }
            if (size >= 20) {
                out.write(java.nio.ByteBuffer.wrap(new byte[] {1, 1}), 18);
            }
        }
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
