package io.chronolog.wal;

import java.nio.file.Path;

/**
 * Child-process entry point for the read-only tests: holds a log open and appends to it, as the
 * engine does, while the test process reads it.
 *
 * <p>Arguments: directory, frames per cycle file. The clock starts at {@link LogFiles#T0} and
 * moves a day every {@code framesPerCycle} frames, so the log rolls to new cycle files while it is
 * read. Appends and syncs batches of 50 frames until a line arrives on standard input (or it
 * closes); prints {@code READY <last>} after the first 500 frames and {@code DONE <last>} at the
 * end. Any failure exits non-zero.
 */
public final class AppendingChild {
    private AppendingChild() {
    }

    /** The payload of the frame at {@code position}, which readers check. */
    static byte[] payload(long position) {
        return ("frame " + position).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long perCycle = Long.parseLong(args[1]);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread stdin = new Thread(() -> {
            try {
                System.in.read();
            } catch (java.io.IOException ignored) {
                // closed: stop as well
            }
            stop.set(true);
        });
        stdin.setDaemon(true);
        stdin.start();
        LogFiles.FakeTime time = new LogFiles.FakeTime(LogFiles.T0);
        try (FrameLog log = FrameLog.open(dir, LogFiles.options(time))) {
            for (long p = log.lastPosition() + 1; ; p++) {
                time.set(LogFiles.T0 + ((p - 1) / perCycle) * LogFiles.DAY);
                log.append(0, 0, p, time.getAsLong() + (p - 1) % perCycle, FrameKind.STATEMENTS, payload(p));
                if (p % 50 == 0) {
                    log.sync();
                    if (p == 500) {
                        System.out.println("READY " + log.lastPosition());
                        System.out.flush();
                    }
                    if (p >= 500 && stop.get()) {
                        break;
                    }
                    Thread.sleep(5);
                }
            }
            System.out.println("DONE " + log.lastPosition());
            System.out.flush();
        }
    }
}
