package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints and backups never hold a database image in memory: a child JVM limited to a heap
 * of a quarter of the database's size takes a checkpoint and a backup of it and downloads the backup; the database rebuilt
 * from that checkpoint (its live file deleted) holds exactly the rows plain SQLite read from the
 * original, rowids included.
 */
class BoundedHeapImageTest {
    static final String HEAP = "-Xmx40m";

    @TempDir
    Path tmp;

    /** In the child JVM: opens the database, takes a checkpoint and a backup, prints their sizes. */
    public static void main(String[] args) {
        try (Database db = Database.open(Path.of(args[0]), Options.builder().background(false).build())) {
            CheckpointInfo checkpoint = db.checkpoint().orElseThrow();
            BackupInfo backup = db.backups().create();
            Path downloaded = Path.of(args[0]).resolveSibling("backup.sqlite3");
            db.backups().download(backup.id(), downloaded);
            System.out.println("ok " + checkpoint + " " + backup);
        }
    }

    @Test
    void aCheckpointAndABackupOfADatabaseFourTimesTheHeapRebuildItExactly() throws Exception {
        Path dir = tmp.resolve("big");
        try (Database db = Database.open(dir, Options.builder().background(false).build())) {
            // a table without INTEGER PRIMARY KEY, with gaps in its rowids: a page copy must keep them
            db.execute("CREATE TABLE t(v BLOB, n INTEGER)");
            for (int i = 0; i < 4; i++) {
                db.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1400) "
                        + "INSERT INTO t(v, n) SELECT randomblob(40000), x FROM c");
                db.execute("DELETE FROM t WHERE n % 7 = ?", (long) i);
            }
        }
        long size = Files.size(dir.resolve("live.sqlite3"));
        assertTrue(size > 4L * 40 * 1024 * 1024, "the database is at least four times the child's heap: " + size);
        long expected = rowsDigest(dir.resolve("live.sqlite3"));

        ProcessBuilder pb = ChildJvm.builder(BoundedHeapImageTest.class, dir.toString());
        List<String> cmd = pb.command();
        cmd.add(cmd.indexOf("-cp"), HEAP); // the last -Xmx given wins
        Process child = pb.redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes());
        assertEquals(0, child.waitFor(), "the child with " + HEAP + " failed:\n" + out);
        assertTrue(out.contains("ok "), out);

        Files.delete(dir.resolve("live.sqlite3"));
        try (Database db = Database.open(dir, Options.builder().background(false).build())) {
            assertTrue(!db.checkpoints().isEmpty(), "the child's checkpoint is listed");
            assertEquals(1, db.backups().list().size(), "the child's backup is listed");
        }
        assertEquals(expected, rowsDigest(dir.resolve("live.sqlite3")), "rebuilt from the checkpoint, the rows and rowids are the original's");
        assertEquals(expected, rowsDigest(tmp.resolve("backup.sqlite3")), "the backup downloaded in the child holds them too");
    }

    /** A CRC of every row with its rowid, read by plain SQLite. */
    private static long rowsDigest(Path file) throws Exception {
        CRC32C crc = new CRC32C();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
                ResultSet rs = c.createStatement().executeQuery("SELECT rowid, n, v FROM t ORDER BY rowid")) {
            while (rs.next()) {
                crc.update(Long.toString(rs.getLong(1)).getBytes());
                crc.update(Long.toString(rs.getLong(2)).getBytes());
                crc.update(rs.getBytes(3));
            }
        }
        return crc.getValue();
    }
}
