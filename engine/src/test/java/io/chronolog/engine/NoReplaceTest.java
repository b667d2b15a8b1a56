package io.chronolog.engine;

import io.chronolog.engine.internal.history.Restorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export, backup download and fork never replace what appears at their output while they run:
 * for every kind of thing that can appear (file, directory, link to a file, dangling link, a
 * database), each verb fails saying the path exists, leaves it as it was, and leaves no staged file.
 */
class NoReplaceTest {
    @TempDir
    Path tmp;

    @AfterEach
    void resetSeam() {
        Restorer.beforePublish = () -> { };
    }

    private static Options quiet() {
        return Options.defaults().toBuilder().background(false).build();
    }

    /** Something a user may put at a path: created by {@link #make}, recognised by {@link #intact}. */
    enum Appears { FILE, DIRECTORY, LINK_TO_FILE, DANGLING_LINK }

    private void make(Appears kind, Path at) throws Exception {
        switch (kind) {
            case FILE -> Files.writeString(at, "the user's own file");
            case DIRECTORY -> Files.writeString(Files.createDirectory(at).resolve("inside"), "kept");
            case LINK_TO_FILE -> Files.createSymbolicLink(at, Files.writeString(tmp.resolve("target-" + at.getFileName()), "linked"));
            case DANGLING_LINK -> Files.createSymbolicLink(at, tmp.resolve("nowhere-" + at.getFileName()));
        }
    }

    private void intact(Appears kind, Path at) throws Exception {
        switch (kind) {
            case FILE -> assertEquals("the user's own file", Files.readString(at));
            case DIRECTORY -> assertEquals("kept", Files.readString(at.resolve("inside")));
            case LINK_TO_FILE -> assertEquals("linked", Files.readString(tmp.resolve("target-" + at.getFileName())));
            case DANGLING_LINK -> assertTrue(Files.isSymbolicLink(at) && !Files.exists(at));
        }
    }

    @Test
    void exportAndDownloadRefuseWhateverAppearsAtTheOutputMeanwhile() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        int cases = 0;
        try (Database db = Database.open(tmp.resolve("db"), quiet())) {
            db.execute("CREATE TABLE t(x)");
            Bookmark b = db.execute("INSERT INTO t VALUES (1)").bookmark();
            String id = db.backups().create().id();
            for (Appears kind : Appears.values()) {
                for (String verb : List.of("export", "download")) {
                    Path target = out.resolve(verb + "-" + kind + ".sqlite3");
                    Restorer.beforePublish = () -> {
                        try {
                            make(kind, target);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    };
                    ChronologException e = assertThrows(ChronologException.class, () -> {
                        if (verb.equals("export")) {
                            db.exportTo(b, target);
                        } else {
                            db.backups().download(id, target);
                        }
                    });
                    assertTrue(e.getMessage().contains(target + " exists"), e.getMessage());
                    assertTrue(e.getMessage().startsWith(verb + " refused"), e.getMessage());
                    intact(kind, target);
                    assertTrue(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
                    assertTrue(Files.notExists(out.resolve(target.getFileName() + ".tmp"), LinkOption.NOFOLLOW_LINKS), "staged file left");
                    cases++;
                }
            }
            Restorer.beforePublish = () -> { };
            Path fine = out.resolve("fine.sqlite3");
            db.exportTo(b, fine);
            assertEquals(1L, SqliteFiles.dump(fine).values().iterator().next().size());
        }
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(cases + 1, s.filter(p -> !p.getFileName().toString().startsWith("target-")).count());
        }
        ReliabilityReport.write("no-replace", "NoReplaceTest: " + cases + " outputs appearing during export/download, each refused and left as it was");
    }

    @Test
    void forkRefusesADatabaseThatAppearsInItsDirectoryMeanwhile() throws Exception {
        Path forkDir = tmp.resolve("fork");
        try (Database db = Database.open(tmp.resolve("db"), quiet())) {
            db.execute("CREATE TABLE t(x)");
            Bookmark b = db.execute("INSERT INTO t VALUES (1)").bookmark();
            Restorer.beforePublish = () -> {
                try (Database other = Database.open(forkDir, quiet())) {
                    other.execute("CREATE TABLE mine(y)");
                    other.execute("INSERT INTO mine VALUES ('theirs')");
                }
            };
            ChronologException e = assertThrows(ChronologException.class, () -> db.fork(b, forkDir));
            assertTrue(e.getMessage().contains("fork refused: " + forkDir), e.getMessage());
        }
        Restorer.beforePublish = () -> { };
        try (Database other = Database.open(forkDir, quiet())) {
            assertEquals("theirs", other.query("SELECT y FROM mine").get(0).get(0));
            assertEquals(2, other.writes(null, null, 10).size());
        }
    }
}
