package io.chronolog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code ./chronolog} launcher as a separate process, from another working
 * directory: the demo, verbs with {@code --json}, and the restore prompt answered on stdin
 * ({@code CHRONOLOG_ASSUME_TTY=1}). Skipped
 * when {@code mvn} is not on the PATH or the executable jar is missing or older than a source
 * (the launcher would then start a nested build).
 */
class LauncherIT {
    private static final Path HOME = Path.of(System.getProperty("chronolog.home", "..")).toAbsolutePath().normalize();

    @TempDir
    Path cwd;

    @Test
    void launcherRunsTheDemoFromAnyDirectory() throws Exception {
        assumeTrue(onPath("mvn"), "mvn is not on the PATH");
        Path jar = executableJar();
        assumeTrue(jar != null, "no executable jar in cli/target");
        assumeTrue(!sourceNewerThan(jar), "a source is newer than " + jar + ": the launcher would rebuild");

        Process p = new ProcessBuilder(HOME.resolve("chronolog").toString(), "demo")
                .directory(cwd.toFile())
                .redirectOutput(cwd.resolve("out.txt").toFile())
                .redirectError(cwd.resolve("err.txt").toFile())
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the demo did not finish in 120 s");
        String out = Files.readString(cwd.resolve("out.txt"), StandardCharsets.UTF_8);
        String err = Files.readString(cwd.resolve("err.txt"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> out + err);
        assertTrue(out.matches("(?s).*rebuilt live\\.sqlite3 from the log, \\d+ frames replayed.*"), out);
        assertTrue(out.contains("Every order is back"), out);
        assertTrue(Files.isDirectory(cwd.resolve("chronolog-data").resolve("demo")), "relative data dir not in the caller's cwd");
    }

    @Test
    void verbsPrintOneJsonDocumentAndThePromptTakesItsAnswerFromStdin() throws Exception {
        assumeLauncherReady();
        ObjectMapper json = new ObjectMapper();
        Proc created = chronolog(null, "create", "shop", "--json");
        assertEquals(0, created.status(), created::toString);
        assertEquals("shop", json.readTree(created.out()).get("name").asText());

        Proc write = chronolog(null, "execute", "shop", "--json", "--command",
                "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3)");
        assertEquals(0, write.status(), write::toString);
        String good = json.readTree(write.out()).get(1).get("meta").get("bookmark").asText();

        Proc bad = chronolog(null, "execute", "shop", "--json", "--command", "DELETE FROM t");
        assertEquals(0, bad.status(), bad::toString);
        String afterDelete = json.readTree(bad.out()).get(0).get("meta").get("bookmark").asText();

        Proc log = chronolog(null, "log", "shop", "--json");
        assertEquals(0, log.status(), log::toString);
        JsonNode writes = json.readTree(log.out());
        assertEquals(2, writes.size());
        assertEquals("DELETE FROM t", writes.get(1).get("statements").get(0).asText());

        Proc refused = chronolog(null, "time-travel", "restore", "shop", "--bookmark", good);
        assertEquals(1, refused.status(), refused::toString);
        assertEquals(1, refused.err().lines().count(), refused::toString);

        Proc no = chronolog("n\n", "time-travel", "restore", "shop", "--bookmark", good, "--json");
        assertEquals(1, no.status(), no::toString);
        assertTrue(no.err().contains("OK to proceed (y/N)"), no::toString);
        assertEquals("", no.out(), no::toString);
        assertEquals(afterDelete, bookmark(json));

        Proc yes = chronolog("y\n", "time-travel", "restore", "shop", "--bookmark", good, "--json");
        assertEquals(0, yes.status(), yes::toString);
        JsonNode restored = json.readTree(yes.out());
        assertEquals(afterDelete, restored.get("previous_bookmark").asText());
        assertEquals(restored.get("bookmark").asText(), bookmark(json));

        Proc count = chronolog(null, "execute", "shop", "--json", "--command", "SELECT count(*) AS n FROM t");
        assertEquals(3, json.readTree(count.out()).get(0).get("results").get(0).get("n").asLong(), count::toString);

        Proc backup = chronolog(null, "backup", "create", "shop", "--json");
        assertEquals(0, backup.status(), backup::toString);
        String id = json.readTree(backup.out()).get("id").asText();
        Proc download = chronolog(null, "backup", "download", "shop", id, "--json");
        assertEquals(0, download.status(), download::toString);
        Path file = cwd.resolve("shop-" + id + ".sqlite3");
        assertEquals(file.toString(), json.readTree(download.out()).get("file").asText());
        assertEquals(3L, Oracle.count(file, "t"));

        Proc verify = chronolog(null, "verify", "shop", "--json");
        assertEquals(0, verify.status(), verify::toString);
        assertTrue(json.readTree(verify.out()).get("ok").asBoolean(), verify::toString);

        // the remaining verbs, each checked against what the database must hold
        Proc history = chronolog(null, "time-travel", "history", "shop", "--json");
        assertEquals(0, history.status(), history::toString);
        assertEquals(afterDelete, json.readTree(history.out()).get(0).get("previous_bookmark").asText());
        Proc diff = chronolog(null, "diff", "shop", "--from", afterDelete, "--json");
        assertEquals(0, diff.status(), diff::toString);
        JsonNode table = json.readTree(diff.out()).get("tables").get(0);
        assertEquals("t", table.get("name").asText());
        assertEquals(3, table.get("added").asInt(), diff::toString);
        Proc list = chronolog(null, "backup", "list", "shop", "--json");
        assertEquals(0, list.status(), list::toString);
        assertEquals(id, json.readTree(list.out()).get(0).get("id").asText());
        chronolog(null, "execute", "shop", "--command", "DELETE FROM t WHERE v > 1");
        Proc backupRestore = chronolog(null, "backup", "restore", "shop", id, "--yes", "--json");
        assertEquals(0, backupRestore.status(), backupRestore::toString);
        Proc afterBackupRestore = chronolog(null, "execute", "shop", "--json", "--command", "SELECT count(*) AS n FROM t");
        assertEquals(3, json.readTree(afterBackupRestore.out()).get(0).get("results").get(0).get("n").asLong());
        Proc exported = chronolog(null, "export", "shop", "--output", "then.sqlite3", "--bookmark", afterDelete, "--json");
        assertEquals(0, exported.status(), exported::toString);
        assertEquals(0L, Oracle.count(cwd.resolve("then.sqlite3"), "t"));
        Proc fork = chronolog(null, "fork", "shop", "shop-copy", "--bookmark", good, "--json");
        assertEquals(0, fork.status(), fork::toString);
        Proc forked = chronolog(null, "execute", "shop-copy", "--json", "--command", "SELECT count(*) AS n FROM t");
        assertEquals(3, json.readTree(forked.out()).get(0).get("results").get(0).get("n").asLong(), forked::toString);
        Proc delete = chronolog(null, "backup", "delete", "shop", id, "--json");
        assertEquals(0, delete.status(), delete::toString);
        Proc empty = chronolog(null, "backup", "list", "shop", "--json");
        assertEquals(0, json.readTree(empty.out()).size(), empty::toString);
    }

    @Test
    void readingVerbsAndPlainReadsWorkWhileAnotherProcessWritesAndWritingVerbsAreRefused() throws Exception {
        assumeLauncherReady();
        ObjectMapper json = new ObjectMapper();
        Path dir = cwd.resolve("chronolog-data").resolve("busy");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Dchronicle") || a.startsWith("-Ddisable.")) {
                command.add(a);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), WritingChild.class.getName(), dir.toString()));
        Path acks = cwd.resolve("child.out");
        Process child = new ProcessBuilder(command).redirectOutput(acks.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ackLines(acks) < 50 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(ackLines(acks) >= 50, "the writing process did not get going");

            Proc info = chronolog(null, "info", "busy", "--json");
            assertEquals(0, info.status(), info::toString);
            assertEquals("busy", json.readTree(info.out()).get("name").asText());
            Proc log = chronolog(null, "log", "busy", "--limit", "3", "--json");
            assertEquals(0, log.status(), log::toString);
            assertEquals(3, json.readTree(log.out()).size());
            Proc export = chronolog(null, "export", "busy", "--output", "busy.sqlite3", "--json");
            assertEquals(0, export.status(), export::toString);
            assertTrue(Oracle.count(cwd.resolve("busy.sqlite3"), "t") >= 50);

            long acked = ackLines(acks);
            Proc select = chronolog(null, "execute", "busy", "--json", "--command", "SELECT count(*) AS n FROM t");
            assertEquals(0, select.status(), select::toString);
            assertTrue(json.readTree(select.out()).get(0).get("results").get(0).get("n").asLong() >= acked, select::toString);

            Proc write = chronolog(null, "execute", "busy", "--command", "DELETE FROM t");
            assertEquals(1, write.status(), write::toString);
            assertTrue(write.err().contains("is in use by process " + child.pid()), write::toString);
            assertEquals(1, write.err().lines().count(), write::toString);

            long before = ackLines(acks);
            Thread.sleep(300);
            assertTrue(child.isAlive() && ackLines(acks) > before, "the writing process was disturbed");
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static long ackLines(Path file) throws Exception {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("ACK ")).count() : 0;
    }

    private String bookmark(ObjectMapper json) throws Exception {
        Proc info = chronolog(null, "time-travel", "info", "shop", "--json");
        assertEquals(0, info.status(), info::toString);
        return json.readTree(info.out()).get("bookmark").asText();
    }

    /** One finished run of the launcher. */
    private record Proc(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    /** Runs {@code ./chronolog args} in {@link #cwd}; with {@code answers}, prompts read them from stdin. */
    private Proc chronolog(String answers, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("chronolog").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(cwd.resolve("out.txt").toFile())
                .redirectError(cwd.resolve("err.txt").toFile());
        pb.environment().remove(Terminal.ASSUME_TTY_ENV);
        if (answers != null) {
            pb.environment().put(Terminal.ASSUME_TTY_ENV, "1");
            Files.writeString(cwd.resolve("in.txt"), answers);
            pb.redirectInput(cwd.resolve("in.txt").toFile());
        } else {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chronolog " + String.join(" ", args) + " did not finish in 120 s");
        return new Proc(p.exitValue(), Files.readString(cwd.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(cwd.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private static void assumeLauncherReady() throws Exception {
        assumeTrue(onPath("mvn"), "mvn is not on the PATH");
        Path jar = executableJar();
        assumeTrue(jar != null, "no executable jar in cli/target");
        assumeTrue(!sourceNewerThan(jar), "a source is newer than " + jar + ": the launcher would rebuild");
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static Path executableJar() throws Exception {
        try (Stream<Path> files = Files.list(HOME.resolve("cli").resolve("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("chronolog-cli-.*-all\\.jar")).findFirst().orElse(null);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private static boolean sourceNewerThan(Path jar) throws Exception {
        long built = Files.getLastModifiedTime(jar).toMillis();
        try (Stream<Path> files = Files.walk(HOME)) {
            return files.filter(f -> !f.toString().contains(File.separator + "target" + File.separator)
                            && !f.toString().contains(File.separator + ".git" + File.separator)
                            && !f.toString().contains(File.separator + "src" + File.separator + "test" + File.separator))
                    .filter(f -> f.toString().endsWith(".java") || f.getFileName().toString().equals("pom.xml"))
                    .anyMatch(f -> f.toFile().lastModified() > built);
        }
    }
}
