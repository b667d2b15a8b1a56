package io.chronolog.wal;

import java.nio.file.Path;

/** Child-process entry point for the durability and output tests: appends, syncs, prints markers. */
public final class SyncProbe {
    private SyncProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (FrameLog log = FrameLog.open(Path.of(args[0]), LogOptions.defaults(System::currentTimeMillis))) {
            log.append(0, 0, 0, System.currentTimeMillis(), FrameKind.STATEMENTS, new byte[] {1, 2, 3});
            log.append(0, 0, 1, System.currentTimeMillis(), FrameKind.STATEMENTS, new byte[] {4});
            log.sync();
            System.out.println("PROBE-FIRST-SYNC-DONE");
            System.out.flush();
            log.append(0, 0, 2, System.currentTimeMillis(), FrameKind.STATEMENTS, new byte[] {5});
            System.out.println("PROBE-BEFORE-SYNC");
            System.out.flush();
            log.sync();
            System.out.println("PROBE-AFTER-SYNC " + log.syncCount());
            System.out.flush();
        }
    }
}
