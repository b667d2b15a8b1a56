package io.chronolog.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run behind the launcher's class-data archive: runs the everyday verbs, the way an
 * operator does, against a throwaway database, so that the JVM that runs it (started by
 * {@code ./chronolog} with {@code -XX:ArchiveClassesAtExit}) records the classes a command loads.
 * Later calls map those classes from the archive instead of loading them from the jar.
 *
 * <p>It puts on disk only a temporary data directory, deleted before it exits; all output is
 * discarded. Exit status 0 when every verb succeeded, 1 otherwise (the launcher then keeps no
 * archive). Not thread-safe; one run per process.
 */
public final class ClassDataTraining {
    /** The verbs run, in order, each as one {@code chronolog} command line after {@code --data-dir DIR}. */
    static final List<List<String>> VERBS = List.of(
            List.of("create", "training"),
            List.of("execute", "training", "--command", "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"),
            List.of("execute", "training", "--command", "INSERT INTO t(v) VALUES ('a'); INSERT INTO t(v) VALUES ('b')"),
            List.of("execute", "training", "--command", "SELECT count(*) FROM t"),
            List.of("execute", "training", "--json", "--command", "SELECT * FROM t"),
            List.of("info", "training"),
            List.of("info", "training", "--json"),
            List.of("log", "training", "--limit", "10"),
            List.of("log", "training", "--json"),
            List.of("time-travel", "info", "training"),
            List.of("backup", "list", "training"),
            List.of("verify", "training"));

    private ClassDataTraining() {
    }

    public static void main(String[] args) {
        Main.quietChronicle();
        System.exit(run() ? 0 : 1);
    }

    /** Runs every verb of {@link #VERBS} in a fresh temporary data directory; true when all exited 0. */
    static boolean run() {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("chronolog-training");
        } catch (IOException e) {
            return false;
        }
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        boolean ok = true;
        try {
            for (List<String> verb : VERBS) {
                String[] args = Stream.concat(Stream.of("--data-dir", dataDir.toString()), verb.stream()).toArray(String[]::new);
                ok &= ChronologCommand.run(discard, discard, args) == 0;
            }
        } finally {
            delete(dataDir);
        }
        return ok;
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a leftover in the temporary directory does not make the archive wrong
        }
    }
}
