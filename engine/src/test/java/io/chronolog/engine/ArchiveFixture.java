package io.chronolog.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** What the archive's tests share: reading a database's tables independently, removing a directory. */
final class ArchiveFixture {
    private ArchiveFixture() {
    }

    /** Every table of the database in {@code dir} at its newest frame, exported to a plain file and read with plain JDBC. */
    static Map<String, List<String>> tables(Path dir, Path scratch) throws Exception {
        Path file = Files.createTempFile(scratch, "export-", ".sqlite3");
        Files.delete(file);
        try (ReadOnlyDatabase db = Database.openReadOnly(dir, Options.builder().retention(java.time.Duration.ofDays(3650)).build())) {
            db.exportTo(db.bookmark(), file);
        }
        Map<String, List<String>> tables = SqliteFiles.dump(file);
        Files.delete(file);
        return tables;
    }

    static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Whether any file under {@code dir} holds {@code needle}. */
    static boolean anyFileHolds(Path dir, byte[] needle) throws Exception {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                byte[] b = Files.readAllBytes(p);
                outer:
                for (int i = 0; i + needle.length <= b.length; i++) {
                    for (int j = 0; j < needle.length; j++) {
                        if (b[i + j] != needle[j]) {
                            continue outer;
                        }
                    }
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Copies a directory tree as it stands (an archive or a database directory, perhaps while it is
     * written): a file renamed away meanwhile is passed over, and so is a database's {@code LOCK}.
     */
    static void copyTree(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("LOCK")) {
                    try {
                        Files.copy(p, target);
                    } catch (java.nio.file.NoSuchFileException e) {
                        // a temp file renamed meanwhile: not part of the tree any more
                    }
                }
            }
        }
    }
}
