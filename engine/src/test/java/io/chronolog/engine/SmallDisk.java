package io.chronolog.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited tmpfs mounted for one test, so that a disk really fills up. Mounting needs root;
 * {@link #mount} returns null (with the reason in {@link #whyNot}) where it is not allowed.
 * Invariant: an instance is a mounted file system until {@link #close}.
 */
final class SmallDisk implements AutoCloseable {
    private static String lastOutput = "";
    private final Path root;

    private SmallDisk(Path root) {
        this.root = root;
    }

    /** Mounts a tmpfs of {@code mebibytes} at {@code where} (created if missing); null when mounting fails. */
    static SmallDisk mount(Path where, int mebibytes) throws IOException {
        Files.createDirectories(where);
        return run("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m", "tmpfs", where.toString()) ? new SmallDisk(where) : null;
    }

    /** What the last failed mount said. */
    static String whyNot() {
        return lastOutput;
    }

    Path root() {
        return root;
    }

    /** Writes a file of {@code bytes} random bytes (so nothing can compress or share its pages). */
    Path ballast(String name, long bytes, long seed) throws IOException {
        Path p = root.resolve(name);
        byte[] chunk = new byte[64 * 1024];
        SplittableRandom r = new SplittableRandom(seed);
        try (OutputStream out = Files.newOutputStream(p)) {
            for (long written = 0; written < bytes; written += chunk.length) {
                r.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
            }
        }
        return p;
    }

    /** Fills every byte left with the file {@code name}; returns its size. */
    long fill(String name) throws IOException {
        Path p = root.resolve(name);
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(p)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException expected) {
            // no space left: the point of the exercise
        }
        return Files.size(p);
    }

    long freeBytes() throws IOException {
        return Files.getFileStore(root).getUsableSpace();
    }

    @Override
    public void close() {
        if (!run("umount", root.toString())) {
            run("umount", "-l", root.toString());
        }
    }

    private static boolean run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            lastOutput = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            lastOutput = e.toString();
            return false;
        }
    }
}
