package io.chronolog.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * The README's embedded-API example, compiled and run as a user would paste it, so that it cannot
 * drift from the API: the first {@code ```java} block of README.md must be a complete program (a public
 * class with {@code main(String[] args)}, whose first argument is the database directory). It is
 * compiled against the test class path, run on a temporary directory, and what it wrote is checked
 * with plain sqlite-jdbc.
 */
class ReadmeExampleTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?s)```java\\n(.*?)\\n```");
    private static final Pattern PUBLIC_CLASS = Pattern.compile("(?m)^public\\s+(?:final\\s+)?class\\s+(\\w+)");

    @Test
    void readmeExampleCompilesAndRuns(@TempDir Path temp) throws Exception {
        Path readme = readme();
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        Matcher block = JAVA_BLOCK.matcher(text);
        assertTrue(block.find(), readme + " has no ```java block");
        String source = block.group(1);
        int firstLine = lineOf(text, block.start(1));
        Matcher cls = PUBLIC_CLASS.matcher(source);
        assertTrue(cls.find(), "the first ```java block of " + readme + " (line " + firstLine + ") is not a complete program:"
                + " it needs a public class with main(String[] args)");
        String className = cls.group(1);

        Path classes = compile(source, className, temp.resolve("src"), readme, firstLine);

        // the directory's name is the database's name; the export is written beside it
        Path dir = temp.resolve("app");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass(className).getMethod("main", String[].class);
            assertTrue(Modifier.isStatic(main.getModifiers()), className + ".main is not static");
            try {
                main.invoke(null, (Object) new String[] {dir.toString()});
            } catch (InvocationTargetException e) {
                throw new AssertionError("the README's example (" + readme + " line " + firstLine + ") failed: " + e.getCause(),
                        e.getCause());
            }
        }

        // the live file: the insert and the update, the restore undone (v = 43), nothing deleted
        assertEquals(List.of("1|43"), rows(dir.resolve("live.sqlite3"), "SELECT id, v FROM t ORDER BY id"));
        // the export of the moment after the insert: v = 42, or 43 if the batch committed in that same millisecond
        Path export = temp.resolve("then.sqlite3");
        assertTrue(Files.isRegularFile(export), "the example exported no " + export);
        List<String> exported = rows(export, "SELECT id, v FROM t ORDER BY id");
        assertTrue(exported.equals(List.of("1|42")) || exported.equals(List.of("1|43")), "export holds " + exported);
        assertEquals(List.of("t"), rows(export, "SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name"),
                "an export holds only the user's schema");
    }

    /** README.md at the root of the project. */
    private static Path readme() {
        return ProjectFiles.path("README.md");
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** Compiles the block against the test class path; a failure names the README's lines. */
    private static Path compile(String source, String className, Path dir, Path readme, int firstLine) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertTrue(compiler != null, "no system Java compiler: the tests need a JDK");
        Path src = Files.createDirectories(dir).resolve(className + ".java");
        Files.writeString(src, source, StandardCharsets.UTF_8);
        Path out = Files.createDirectories(dir.resolve("classes"));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter output = new StringWriter();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-proc:none", "-encoding", "UTF-8",
                    "-classpath", System.getProperty("java.class.path"), "-d", out.toString());
            boolean ok = compiler.getTask(output, files, diagnostics, options, null, files.getJavaFileObjects(src)).call();
            if (!ok) {
                List<String> errors = new ArrayList<>();
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) {
                        errors.add(readme.getFileName() + ":" + (firstLine + d.getLineNumber() - 1) + ": " + d.getMessage(Locale.ROOT));
                    }
                }
                fail("the README's example does not compile:\n" + String.join("\n", errors) + output);
            }
        }
        return out;
    }

    /** The rows of a query, each as its columns joined by '|', read with plain sqlite-jdbc, read-only. */
    private static List<String> rows(Path file, String sql) throws SQLException {
        assertTrue(Files.isRegularFile(file), "no " + file);
        List<String> rows = new ArrayList<>();
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        try (Connection c = readOnly.createConnection("jdbc:sqlite:" + file);
                java.sql.Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(rs.getString(i));
                }
                rows.add(String.join("|", values));
            }
        }
        return rows;
    }
}
