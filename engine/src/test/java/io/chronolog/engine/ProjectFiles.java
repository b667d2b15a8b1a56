package io.chronolog.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files at the project's root that tests hold the code to (README.md, docs/FORMAT.md), found above the module surefire runs in. */
public final class ProjectFiles {
    private ProjectFiles() {
    }

    /** The path of {@code relative} (e.g. {@code docs/FORMAT.md}) under the project's root. */
    public static Path path(String relative) {
        Path module = Path.of("").toAbsolutePath();
        for (Path dir = module; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("engine"))
                    && Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new AssertionError("no " + relative + " at the project root above " + module);
    }

    /** The text of {@code relative} under the project's root. */
    public static String read(String relative) throws IOException {
        return Files.readString(path(relative));
    }
}
