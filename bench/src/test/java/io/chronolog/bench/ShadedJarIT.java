package io.chronolog.bench;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The executable bench jar (built in the package phase, before this runs) still holds what JMH
 * generated: the benchmark list naming every benchmark class, and the Chronicle flags for the forks.
 */
class ShadedJarIT {
    private static Path shadedJar() throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "chronolog-bench-*-all.jar")) {
            for (Path p : jars) {
                return p;
            }
        }
        throw new AssertionError("no target/chronolog-bench-*-all.jar: the package phase did not run");
    }

    @Test
    void benchmarkListSurvivesShading() throws IOException {
        try (JarFile jar = new JarFile(shadedJar().toFile())) {
            ZipEntry list = jar.getEntry("META-INF/BenchmarkList");
            assertNotNull(list, "META-INF/BenchmarkList is missing from the shaded jar: `bench jmh` would find no benchmark");
            String text;
            try (InputStream in = jar.getInputStream(list)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (String name : List.of("FrameCodecBench", "ChainHashBench", "BookmarkBench", "AppendBench")) {
                assertTrue(text.contains("io.chronolog.bench.jmh." + name), name + " not in the benchmark list:\n" + text);
            }
            assertNotNull(jar.getEntry("io/chronolog/bench/jvm.properties"), "jvm.properties missing");
        }
    }
}
