package io.chronolog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archive: made next to the jar when missing, made again when the jar is
 * newer, and a missing, damaged or unmakeable archive changes nothing a command prints (stdout
 * and stderr byte for byte as with a good one, exit 0). Runs a copy of {@code ./chronolog} beside a
 * copy of the executable jar in a temporary checkout (no sources there, so it never builds), so
 * the real {@code cli/target} is left alone. Skipped when there is no executable jar.
 */
class LauncherClassDataIT {
    private static final Path HOME = Path.of(System.getProperty("chronolog.home", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private Path home;
    private Path target;
    private Path jar;

    @BeforeEach
    void copyLauncherAndJar() throws Exception {
        Path built;
        try (Stream<Path> files = Files.list(HOME.resolve("cli").resolve("target"))) {
            built = files.filter(f -> f.getFileName().toString().matches("chronolog-cli-.*-all\\.jar")).findFirst().orElse(null);
        } catch (java.nio.file.NoSuchFileException e) {
            built = null;
        }
        assumeTrue(built != null, "no executable jar in cli/target");
        home = tmp.resolve("checkout");
        target = Files.createDirectories(home.resolve("cli").resolve("target"));
        Files.copy(HOME.resolve("chronolog"), home.resolve("chronolog"));
        jar = Files.copy(built, target.resolve(built.getFileName()));
        Files.createDirectories(tmp.resolve("cwd"));
        Proc created = chronolog("create", "shop");
        assertEquals(0, created.status(), created::toString);
        Proc insert = chronolog("execute", "shop", "--command", "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)");
        assertEquals(0, insert.status(), insert::toString);
    }

    @Test
    void theArchiveIsMadeWhenMissingAndAgainWhenTheJarIsNewer() throws Exception {
        Path archive = archive();
        assertTrue(Files.size(archive) > 0, "no archive made next to " + jar);
        Proc good = chronolog("log", "shop", "--json");
        assertClean(good);

        FileTime made = Files.getLastModifiedTime(archive);
        Files.setLastModifiedTime(jar, FileTime.from(made.toInstant().plusSeconds(60)));
        Proc afterRebuild = chronolog("log", "shop", "--json");
        assertEquals(good, afterRebuild);
        assertTrue(Files.getLastModifiedTime(archive).compareTo(made) > 0, "the archive was not made again for a newer jar");
        assertTrue(Files.size(archive) > 0);
    }

    @Test
    void aDamagedArchiveIsPassedOverSilently() throws Exception {
        Proc good = chronolog("info", "shop", "--json");
        assertClean(good);
        Path archive = archive();
        Files.delete(archive);
        Files.write(archive, "not a class-data archive".repeat(1000).getBytes(StandardCharsets.US_ASCII));
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().plusSeconds(60))); // not older than the jar: kept
        Proc damaged = chronolog("info", "shop", "--json");
        assertEquals(good, damaged);
        Files.writeString(archive, "");
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().plusSeconds(60)));
        assertEquals(good, chronolog("info", "shop", "--json"));
    }

    @Test
    void aTargetDirectoryThatCannotBeWrittenMeansNoArchiveAndTheSameOutput() throws Exception {
        Proc good = chronolog("time-travel", "info", "shop", "--json");
        assertClean(good);
        Files.delete(archive());
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Proc unwritable = chronolog("time-travel", "info", "shop", "--json");
            assertEquals(good, unwritable);
            if (!"root".equals(System.getProperty("user.name"))) { // root writes anyway
                assertTrue(!Files.exists(archive()), "an archive appeared in a directory that cannot be written");
            }
        } finally {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static void assertClean(Proc p) {
        assertEquals(0, p.status(), p::toString);
        assertEquals("", p.err(), p::toString);
        assertTrue(p.out().startsWith("{") || p.out().startsWith("["), p::toString);
    }

    /** The one archive next to the copied jar (named after the jar and the JDK). */
    private Path archive() throws Exception {
        String stem = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        try (Stream<Path> files = Files.list(target)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().startsWith(stem + "-jdk")
                    && f.getFileName().toString().endsWith(".jsa")).toList();
            assertEquals(1, found.size(), () -> "archives next to the jar: " + found);
            return found.get(0);
        }
    }

    private record Proc(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    private Proc chronolog(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("chronolog").toString(), "--data-dir", tmp.resolve("data").toString()));
        command.addAll(List.of(args));
        Path cwd = tmp.resolve("cwd");
        Process p = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(cwd.resolve("out.txt").toFile())
                .redirectError(cwd.resolve("err.txt").toFile())
                .start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "chronolog " + String.join(" ", args) + " did not finish in 180 s");
        return new Proc(p.exitValue(), Files.readString(cwd.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(cwd.resolve("err.txt"), StandardCharsets.UTF_8));
    }
}
