package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-only open writes nothing into the database directory: with every file and directory made
 * read-only ({@code a-w}) it reads, lists the log and history, plans, exports, lists and downloads
 * backups and verifies; and a listing of every path with its size and modification time is the
 * same before and after (as root, permission bits stop nothing, so the listing is the proof).
 */
class ReadOnlyDirectoryTest {
    @TempDir
    Path tmp;

    /** path -> "size mtime" for every path under {@code root} (itself included). */
    static Map<String, String> listing(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                out.put(root.relativize(p).toString(), (a.isDirectory() ? "dir " : a.size() + " ") + a.lastModifiedTime().toInstant());
            }
        }
        return out;
    }

    private static void setWritable(Path root, boolean writable) throws Exception {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.forEach(all::add);
        }
        for (Path p : all) {
            Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
            if (writable) {
                perms.add(PosixFilePermission.OWNER_WRITE);
            } else {
                perms.removeAll(Set.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE));
            }
            Files.setPosixFilePermissions(p, perms);
        }
    }

    @Test
    void readOnlyVerbsWorkOnADirectoryTheyCannotWriteAndChangeNothingInIt() throws Exception {
        Path dir = tmp.resolve("db");
        Bookmark early;
        String backup;
        try (Database db = Database.open(dir, Options.defaults().toBuilder().background(false).build())) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            early = db.execute("INSERT INTO t(v) VALUES ('a')").bookmark();
            db.checkpoint();
            db.execute("INSERT INTO t(v) VALUES ('b')");
            backup = db.backups().create().id();
            db.restore(early);
            db.execute("INSERT INTO t(v) VALUES ('c')");
        }
        assertTrue(Files.notExists(dir.resolve("live.sqlite3-wal")), "a clean close leaves no -wal");
        Path out = Files.createDirectories(tmp.resolve("out"));
        setWritable(dir, false);
        Map<String, String> before = listing(dir);
        int verbs = 0;
        try {
            for (int round = 0; round < 2; round++) {
                try (ReadOnlyDatabase db = Database.openReadOnly(dir, Options.defaults())) {
                    assertEquals(2L, db.query("SELECT count(*) FROM t").get(0).getLong(0));
                    assertEquals(1, db.tableCount());
                    assertTrue(db.writes(null, null, 100).size() >= 4);
                    assertEquals(1, db.history().size());
                    db.planRestore(early);
                    db.exportTo(early, out.resolve("early-" + round + ".sqlite3"));
                    assertEquals(List.of("1|1|a"), SqliteFiles.dump(out.resolve("early-" + round + ".sqlite3")).get("t"));
                    assertEquals(1, db.backups().list().size());
                    db.backups().download(backup, out.resolve("backup-" + round + ".sqlite3"));
                    assertTrue(db.verify().ok(), db.verify().problems().toString());
                    verbs += 9;
                }
            }
            assertEquals(before, listing(dir), "a read-only open created, changed or deleted something in the database directory");
        } finally {
            setWritable(dir, true);
        }
        ReliabilityReport.write("read-only-directory", "ReadOnlyDirectoryTest: " + verbs + " read-only calls on an a-w directory; "
                + before.size() + " paths unchanged (size, mtime), none created or deleted");
    }
}
