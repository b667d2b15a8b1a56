package io.chronolog.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the reliability harnesses leave their one-line summaries: {@code target/reliability/<name>.txt}. Stateless. */
final class ReliabilityReport {
    private ReliabilityReport() {
    }

    /** Whether the long runs were asked for ({@code -Dchronolog.soak=true}). */
    static boolean soak() {
        return Boolean.getBoolean("chronolog.soak");
    }

    /** Prints {@code summary} and writes it as the harness's report file. */
    static void write(String name, String summary) {
        System.out.println(name + ": " + summary);
        try {
            Path dir = Files.createDirectories(Path.of("target", "reliability"));
            Files.writeString(dir.resolve(name + ".txt"), summary + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of " + name, e);
        }
    }
}
