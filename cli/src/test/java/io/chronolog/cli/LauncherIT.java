package io.chronolog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code ./chronolog demo} as a process, from another working directory. Skipped
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
        assertTrue(Files.isDirectory(cwd.resolve("chronolog-data").resolve("demo")), "relative data dir not in the caller's cwd");
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
                            && !f.toString().contains(File.separator + ".git" + File.separator))
                    .filter(f -> f.toString().endsWith(".java") || f.getFileName().toString().equals("pom.xml"))
                    .anyMatch(f -> f.toFile().lastModified() > built);
        }
    }
}
