package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every directory of a database is {@code 0700} and every file {@code 0600}, whatever the process's
 * umask (the test JVM's creates files {@code 0644}), after a seeded workload of writes,
 * checkpoints, backups, restores, exports, downloads and forks; a looser existing database is
 * tightened by a writing open.
 */
class PrivacyTest {
    @TempDir
    Path tmp;

    private static Options quiet() {
        return Options.defaults().toBuilder().background(false).build();
    }

    /** Every path under {@code root} (itself included) whose permissions are not private, with what they are. */
    static List<String> loose(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String want = a.isDirectory() ? "rwx------" : "rw-------";
                String is = PosixFilePermissions.toString(a.permissions());
                if (!is.equals(want)) {
                    out.add(root.relativize(p) + " " + is);
                }
            }
        }
        return out;
    }

    @Test
    void theTestJvmCreatesFilesReadableByOthers() throws Exception {
        Path probe = Files.createFile(tmp.resolve("probe"));
        assertTrue(Files.getPosixFilePermissions(probe).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ),
                "the test needs a umask that leaves files world-readable to mean anything");
    }

    @Test
    void generatedWorkloadLeavesOnlyPrivateFilesAndDirectories() throws Exception {
        long seed = Long.getLong("chronolog.privacy.seed", System.nanoTime());
        System.out.println("PrivacyTest seed " + seed + " (-Dchronolog.privacy.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path dir = data.resolve("db");
        Path outputs = Files.createDirectories(tmp.resolve("outputs"));
        List<Bookmark> bookmarks = new ArrayList<>();
        int checks = 0;
        int ops = 0;
        try (Database db = Database.open(dir, quiet())) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            for (int step = 0; step < 30; step++) {
                int op = random.nextInt(10);
                if (op < 5 || bookmarks.isEmpty()) {
                    bookmarks.add(db.execute("INSERT INTO t(v) VALUES (?)", "secret-" + random.nextLong()).bookmark());
                } else if (op == 5) {
                    db.checkpoint();
                } else if (op == 6) {
                    String id = db.backups().create().id();
                    db.backups().download(id, outputs.resolve("download-" + step + ".sqlite3"));
                } else if (op == 7) {
                    db.restore(bookmarks.get(random.nextInt(bookmarks.size())));
                } else if (op == 8) {
                    db.exportTo(bookmarks.get(random.nextInt(bookmarks.size())), outputs.resolve("export-" + step + ".sqlite3"));
                } else {
                    db.fork(bookmarks.get(random.nextInt(bookmarks.size())), data.resolve("fork" + step));
                }
                ops++;
                assertEquals(List.of(), loose(dir), "seed " + seed + " step " + step + " op " + op);
                checks++;
            }
        }
        for (Path root : List.of(data.resolve("db"), outputs)) {
            List<String> bad = loose(root);
            bad.removeIf(s -> s.startsWith(" ")); // outputs itself is the test's directory
            if (root == outputs) {
                bad.removeIf(s -> s.equals(" rwxr-xr-x"));
            }
            assertEquals(List.of(), bad, "seed " + seed + " after close: " + root);
        }
        try (Stream<Path> forks = Files.list(data)) {
            for (Path f : (Iterable<Path>) forks::iterator) {
                assertEquals(List.of(), loose(f), "seed " + seed + ": " + f);
                checks++;
            }
        }
        ReliabilityReport.write("privacy", "PrivacyTest: " + ops + " operations (seed " + seed + "), " + checks
                + " directory walks, every file 0600 and directory 0700");
    }

    @Test
    void aWritingOpenTightensALooserDatabase() throws Exception {
        Path dir = tmp.resolve("db");
        try (Database db = Database.open(dir, quiet())) {
            db.execute("CREATE TABLE t(x)");
            db.checkpoint();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        assertTrue(loose(dir).size() > 5);
        try (Database db = Database.open(dir, quiet())) {
            db.execute("INSERT INTO t VALUES (1)");
            assertEquals(List.of(), loose(dir));
        }
        assertEquals(List.of(), loose(dir));
    }
}
