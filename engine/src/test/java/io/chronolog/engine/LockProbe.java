package io.chronolog.engine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A child JVM that answers, for each file named on a line of stdin, whether another process holds
 * an fcntl lock on any part of it: {@code FREE} (it took the whole file exclusively, and let go) or
 * {@code HELD}. A line {@code OPEN <dir>} instead tries {@link Database#open} and answers
 * {@code OPENED} (closing it again) or {@code IN_USE}.
 */
public final class LockProbe {
    private LockProbe() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String answer;
            if (line.startsWith("OPEN ")) {
                try (Database db = Database.open(Path.of(line.substring(5)), Options.defaults().toBuilder().background(false).build())) {
                    answer = "OPENED";
                } catch (DatabaseInUseException e) {
                    answer = "IN_USE";
                }
            } else {
                try (FileChannel ch = FileChannel.open(Path.of(line), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    FileLock l = ch.tryLock(0, Long.MAX_VALUE, false);
                    answer = l == null ? "HELD" : "FREE";
                    if (l != null) {
                        l.release();
                    }
                }
            }
            System.out.println(answer);
            System.out.flush();
        }
    }
}
