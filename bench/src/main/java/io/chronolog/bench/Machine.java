package io.chronolog.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The machine the figures were measured on: cores, CPU, JDK, OS, the work directory's file
 * system (as {@code df -T} reports it), that file system's fsync floor (median of 200
 * 128-byte write + {@code FileChannel.force} on one file), which bounds every synchronous commit,
 * and the load average when the run began.
 */
record Machine(int cores, String cpu, String jdk, String os, String fileSystem, String sqlite, double fsyncMicros, String load) {

    static Machine probe(Path workDir) throws Exception {
        return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                fileSystemType(workDir), SqliteTarget.version(), fsyncFloor(workDir), loadAverage());
    }

    /** The file system type {@code df -PT} reports for {@code dir}, else what the JDK's FileStore says. */
    static String fileSystemType(Path dir) {
        try {
            Process p = new ProcessBuilder("df", "-PT", dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() == 0) {
                String[] lines = out.strip().split("\\R");
                String[] cols = lines[lines.length - 1].trim().split("\\s+");
                if (cols.length >= 2) {
                    return cols[1];
                }
            }
        } catch (IOException e) {
            // no df here: fall back below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            return Files.getFileStore(dir).type();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static double fsyncFloor(Path dir) throws IOException {
        Path file = Files.createTempFile(dir, "fsync-probe-", ".bin");
        long[] nanos = new long[200];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(128);
            for (int i = 0; i < nanos.length; i++) {
                buf.clear();
                long t0 = System.nanoTime();
                ch.write(buf);
                ch.force(false);
                nanos[i] = System.nanoTime() - t0;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        Arrays.sort(nanos);
        return Stats.percentile(nanos, 50) / 1000.0;
    }

    /** The 1-minute load average from /proc/loadavg ("n/a" elsewhere): other work on a shared machine shows here. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " (1 min), " + f[1] + " (5 min)";
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    String describe() {
        return String.format(Locale.ROOT, "%d cores (%s); %s; %s; work dir on %s; SQLite %s; fsync floor %.0f µs (median of 200); load average at start %s",
                cores, cpu, jdk, os, fileSystem, sqlite, fsyncMicros, load);
    }
}
