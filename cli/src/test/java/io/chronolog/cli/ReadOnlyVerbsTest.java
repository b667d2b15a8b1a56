package io.chronolog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every reading verb, and {@code execute} of a plain read, works on a database directory made
 * read-only ({@code a-w}) and leaves every path in it as it was (size, modification time; none created or deleted).
 */
class ReadOnlyVerbsTest {
    @TempDir
    Path data;

    @TempDir
    Path files;

    private CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--data-dir";
        all[1] = data.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        CliRun r = CliRun.of(all);
        assertEquals(0, r.status(), r::toString);
        return r;
    }

    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + json);
        }
        return m.group(1);
    }

    private static Map<String, String> listing(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                out.put(root.relativize(p).toString(), (a.isDirectory() ? "dir " : a.size() + " ") + a.lastModifiedTime().toInstant());
            }
        }
        return out;
    }

    private static void writable(Path root, boolean on) throws Exception {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.forEach(all::add);
        }
        for (Path p : all) {
            Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
            if (on) {
                perms.add(PosixFilePermission.OWNER_WRITE);
            } else {
                perms.removeAll(Set.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE));
            }
            Files.setPosixFilePermissions(p, perms);
        }
    }

    @Test
    void readingVerbsChangeNothingInADirectoryTheyCannotWrite() throws Exception {
        run("create", "shop");
        run("execute", "shop", "--command", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)");
        run("execute", "shop", "--command", "INSERT INTO items(name) VALUES ('apple'), ('pear')");
        String bookmark = field(run("time-travel", "info", "shop", "--json").out(), "bookmark");
        run("execute", "shop", "--command", "DELETE FROM items WHERE name = 'pear'");
        String id = field(run("backup", "create", "shop", "--json").out(), "id");
        Path dir = data.resolve("shop");
        writable(dir, false);
        Map<String, String> before = listing(dir);
        try {
            run("info", "shop");
            run("log", "shop", "--json");
            run("time-travel", "info", "shop");
            run("time-travel", "history", "shop");
            run("time-travel", "restore", "shop", "--bookmark", bookmark, "--dry-run");
            run("diff", "shop", "--from", bookmark);
            run("backup", "list", "shop");
            run("backup", "download", "shop", id, "--output", files.resolve("b.sqlite3").toString());
            run("export", "shop", "--output", files.resolve("e.sqlite3").toString(), "--bookmark", bookmark);
            run("verify", "shop");
            // a plain read through execute opens read-only as well (a writing open could not take LOCK here)
            String read = run("execute", "shop", "--json", "--command", "SELECT name FROM items ORDER BY id").out();
            assertEquals("[{\"results\":[{\"name\":\"apple\"}],\"success\":true,\"meta\":{\"changes\":0,\"last_row_id\":0,"
                    + "\"bookmark\":\"" + field(run("time-travel", "info", "shop", "--json").out(), "bookmark") + "\"}}]",
                    read.replaceAll("\\s", ""));
            assertEquals(before, listing(dir), "a reading verb changed the database directory");
        } finally {
            writable(dir, true);
        }
    }
}
