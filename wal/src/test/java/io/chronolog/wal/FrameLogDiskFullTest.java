package io.chronolog.wal;

import static io.chronolog.wal.LogFiles.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameLogDiskFullTest {

    @TempDir
    Path tmp;

    private static String lastOutput = "";

    private static boolean run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            lastOutput = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            lastOutput = e.toString();
            return false;
        }
    }

    private static void fill(Path filler) {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException expected) {
            // no space left: the point of the exercise
        }
    }

    @Test
    void appendOnAFullDiskFailsClearlyAndResumesOnceSpaceIsFreed() throws Exception {
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        ReliabilityAssumptions.requireOrSkip(run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mnt.toString()), "cannot mount a tmpfs here: " + lastOutput);
        try {
            Path dir = mnt.resolve("wal");
            List<Frame> acknowledged = new ArrayList<>();
            Path filler = mnt.resolve("filler");
            byte[] payload = new byte[32 * 1024];
            try (FrameLog log = FrameLog.open(dir, LogFiles.options(() -> T0))) {
                for (int i = 0; i < 5; i++) {
                    acknowledged.add(log.append(0, 0, i, T0, FrameKind.STATEMENTS, payload));
                }
                log.sync();
                fill(filler);
                LogFullException full = null;
                for (int i = 0; i < 1000 && full == null; i++) {
                    try {
                        acknowledged.add(log.append(0, 0, i, T0, FrameKind.STATEMENTS, payload));
                    } catch (LogFullException e) {
                        full = e;
                    }
                }
                assertNotNull(full, "the disk never filled up");
                long failed = acknowledged.size() + 1;
                assertTrue(full.getMessage().startsWith("disk full: could not append frame " + failed + " to "),
                        full.getMessage());
                assertTrue(full.getMessage().contains(dir.toString()) && full.getMessage().endsWith(".cq4"), full.getMessage());
                assertEquals(acknowledged.size(), log.lastPosition());
                assertEquals(acknowledged.get(acknowledged.size() - 1), log.read(log.lastPosition()));

                Files.delete(filler);
                Frame resumed = log.append(0, 0, 99, T0, FrameKind.STATEMENTS, payload);
                assertEquals(failed, resumed.position());
                acknowledged.add(resumed);
                log.sync();
            }
            try (FrameLog log = FrameLog.open(dir, LogFiles.options(() -> T0))) {
                assertEquals(acknowledged.size(), log.lastPosition(), log.recovery().detail());
                List<Frame> read = new ArrayList<>();
                try (FrameCursor c = log.readFrom(1)) {
                    for (Frame f; (f = c.next()) != null; ) {
                        read.add(f);
                    }
                }
                assertEquals(acknowledged, read);
            }
        } finally {
            if (!run("umount", mnt.toString())) {
                run("umount", "-l", mnt.toString());
            }
        }
    }
}
