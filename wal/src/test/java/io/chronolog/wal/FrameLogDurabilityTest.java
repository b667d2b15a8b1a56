package io.chronolog.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameLogDurabilityTest {

    /** The flags Chronicle needs, as the build passes them to every JVM. */
    static final List<String> CHRONICLE_FLAGS = List.of(
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED");

    private static final Pattern REAL_SYNC = Pattern.compile(
            "(fsync|fdatasync)\\(\\d+\\)\\s+= 0|msync\\(.*MS_SYNC.*\\)\\s+= 0");

    @TempDir
    Path tmp;

    static List<String> javaCommand(boolean withQuietProperties) {
        return javaCommand(withQuietProperties, SyncProbe.class);
    }

    /** The command line of a child JVM with Chronicle's flags, this test class path and {@code main}. */
    static List<String> javaCommand(boolean withQuietProperties, Class<?> main) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(CHRONICLE_FLAGS);
        if (Runtime.version().feature() >= 24) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        if (withQuietProperties) {
            cmd.add("-Dchronicle.analytics.disable=true");
            cmd.add("-Dchronicle.announcer.disable=true");
            cmd.add("-Ddisable.perf.info=true");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        return cmd;
    }

    static boolean straceWorks() {
        try {
            Process p = new ProcessBuilder("strace", "-f", "-o", "/dev/null", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void syncReachesTheDiskBeforeReturning() throws Exception {
        ReliabilityAssumptions.requireOrSkip(straceWorks(), "strace is not on PATH or ptrace is not permitted");
        Path trace = tmp.resolve("trace.txt");
        List<String> cmd = new ArrayList<>(List.of("strace", "-f", "-qq", "-s", "64", "-o", trace.toString(),
                "-e", "trace=msync,fsync,fdatasync,write"));
        cmd.addAll(javaCommand(true));
        cmd.add(tmp.resolve("wal").toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("PROBE-AFTER-SYNC"), out);

        List<String> lines = Files.readAllLines(trace);
        int before = indexOf(lines, "PROBE-BEFORE-SYNC");
        int after = indexOf(lines, "PROBE-AFTER-SYNC");
        assertTrue(before >= 0 && after > before, "markers not found in the trace");
        long syncs = lines.subList(before + 1, after).stream().filter(l -> REAL_SYNC.matcher(l).find()).count();
        assertTrue(syncs >= 1, "no fsync/fdatasync/msync(MS_SYNC) between the markers:\n"
                + String.join("\n", lines.subList(before, after + 1)));
        // and sync() is the only place it happens: no real sync between the first sync and the append
        int first = indexOf(lines, "PROBE-FIRST-SYNC-DONE");
        assertEquals(0, lines.subList(first + 1, before).stream().filter(l -> REAL_SYNC.matcher(l).find()).count());
    }

    @Test
    void nothingChronicleSaysReachesStdout() throws Exception {
        List<String> cmd = javaCommand(false);   // without the launcher's properties
        cmd.add(tmp.resolve("quiet").toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not finish");
        assertEquals(0, p.exitValue());
        assertEquals(List.of("PROBE-FIRST-SYNC-DONE", "PROBE-BEFORE-SYNC", "PROBE-AFTER-SYNC 2"), out.lines().toList());
        assertTrue(new File(tmp.resolve("quiet").toString()).isDirectory());
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("write(") && lines.get(i).contains(marker)) {
                return i;
            }
        }
        return -1;
    }
}
