package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No entry of a database directory is followed through a symbolic link: each one, replaced by a
 * link to a copy of itself outside, makes both opens refuse with an error naming the link, and the
 * file the link points to is left untouched.
 */
class SymbolicLinkTest {
    @TempDir
    Path tmp;

    private static Options quiet() {
        return Options.defaults().toBuilder().background(false).build();
    }

    @Test
    void lockLinkedToAnotherFileIsRefusedAndTheFileKeepsItsContent() throws Exception {
        Path victim = tmp.resolve("precious.txt");
        Files.writeString(victim, "keep me\n");
        Path dir = Files.createDirectories(tmp.resolve("db"));
        Files.createSymbolicLink(dir.resolve("LOCK"), victim);
        SymbolicLinkException e = assertThrows(SymbolicLinkException.class, () -> Database.open(dir, quiet()));
        assertTrue(e.getMessage().contains(dir.resolve("LOCK").toString()), e.getMessage());
        assertEquals("keep me\n", Files.readString(victim));
    }

    @Test
    void linkedCheckpointDirectoryIsRefusedNotFollowed() throws Exception {
        Path dir = tmp.resolve("db");
        try (Database db = Database.open(dir, quiet())) {
            db.execute("CREATE TABLE t(x)");
            db.checkpoint();
        }
        Path elsewhere = tmp.resolve("elsewhere");
        Files.move(dir.resolve("checkpoints"), elsewhere);
        Files.createSymbolicLink(dir.resolve("checkpoints"), elsewhere);
        SymbolicLinkException e = assertThrows(SymbolicLinkException.class, () -> Database.open(dir, quiet()));
        assertEquals(dir.resolve("checkpoints").toAbsolutePath(), e.path().toAbsolutePath());
        assertThrows(SymbolicLinkException.class, () -> Database.openReadOnly(dir, quiet()));
    }

    @Test
    void aDatabaseReachedThroughALinkedParentOpens() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("via"), real);
        try (Database db = Database.open(link.resolve("db"), quiet())) {
            db.execute("CREATE TABLE t(x)");
        }
        try (ReadOnlyDatabase db = Database.openReadOnly(link.resolve("db"), quiet())) {
            assertEquals(0L, db.query("SELECT count(*) FROM t").get(0).getLong(0));
        }
    }

    /** Every entry a workload leaves, in the directory, {@code wal/} and {@code checkpoints/}, replaced by a link in turn. */
    @Test
    void everyEngineEntryReplacedByALinkIsRefusedByBothOpens() throws Exception {
        Path dir = tmp.resolve("db");
        try (Database db = Database.open(dir, quiet())) {
            db.execute("CREATE TABLE t(x)");
            db.execute("INSERT INTO t VALUES (1)");
            db.checkpoint();
            db.backups().create();
            db.execute("INSERT INTO t VALUES (2)");
        }
        List<Path> entries = new ArrayList<>();
        for (Path d : List.of(dir, dir.resolve("wal"), dir.resolve("checkpoints"))) {
            try (Stream<Path> s = Files.list(d)) {
                s.sorted().forEach(entries::add);
            }
        }
        assertTrue(entries.size() >= 9, "entries: " + entries);
        int cases = 0;
        for (Path entry : entries) {
            Path copy = tmp.resolve("case-" + cases);
            copyTree(dir, copy);
            Path target = copy.resolve(dir.relativize(entry));
            Path outside = tmp.resolve("outside-" + cases);
            Files.move(target, outside);
            Files.createSymbolicLink(target, outside);
            byte[] before = Files.isDirectory(outside) ? new byte[0] : Files.readAllBytes(outside);
            long mtime = Files.getLastModifiedTime(outside).toMillis();
            for (boolean readOnly : new boolean[] {false, true}) {
                SymbolicLinkException e = assertThrows(SymbolicLinkException.class,
                        () -> (readOnly ? Database.openReadOnly(copy, quiet()) : Database.open(copy, quiet())).close(),
                        target + (readOnly ? " read-only" : ""));
                assertEquals(target.toAbsolutePath(), e.path().toAbsolutePath());
                assertTrue(e.getMessage().contains(target.getFileName().toString()), e.getMessage());
                assertEquals(1, e.getMessage().lines().count());
            }
            if (!Files.isDirectory(outside)) {
                assertArrayEquals(before, Files.readAllBytes(outside), target.toString());
            }
            assertEquals(mtime, Files.getLastModifiedTime(outside).toMillis(), target.toString());
            cases++;
        }
        ReliabilityReport.write("symlinks", "SymbolicLinkTest: " + cases + " entries replaced by a link, each refused by open and openReadOnly");
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.naturalOrder())::iterator) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }
}
