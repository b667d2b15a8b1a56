package io.chronolog.engine;

import java.nio.file.Path;

/**
 * Child JVM for {@link FailedSyncReopenTest}: in {@link Durability#SYNC} mode, single-row writes
 * until one fails (the parent makes an fdatasync of the log fail under strace), printing
 * {@code ACK <id> <bookmark>} for each acknowledged write (id 0: the CREATE TABLE) and
 * {@code FAIL <id> <message>} for the first that fails; then one more write, which must be refused
 * ({@code AFTER-FAIL-REFUSED}), and a close. Args: database directory, most writes.
 */
public final class FailedSyncChild {
    private FailedSyncChild() {
    }

    public static void main(String[] args) {
        int most = Integer.parseInt(args[1]);
        Database db = Database.open(Path.of(args[0]), Options.builder().durability(Durability.SYNC).background(false).build());
        try {
            Result r = db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            System.out.println("ACK 0 " + r.bookmark());
            for (int i = 1; i <= most; i++) {
                try {
                    r = db.execute("INSERT INTO t(id, v) VALUES (?, ?)", i, "value " + i);
                    System.out.println("ACK " + i + " " + r.bookmark());
                } catch (RuntimeException e) {
                    System.out.println("FAIL " + i + " " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                    try {
                        db.execute("INSERT INTO t(id, v) VALUES (?, ?)", i + 1, "after the failure");
                        System.out.println("AFTER-FAIL-ACK");
                    } catch (RuntimeException again) {
                        System.out.println("AFTER-FAIL-REFUSED");
                    }
                    break;
                }
            }
        } catch (RuntimeException e) {
            System.out.println("FAIL 0 " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        } finally {
            try {
                db.close();
            } catch (RuntimeException e) {
                System.out.println("CLOSE-FAILED " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
        }
        System.out.println("CHILD-DONE");
        System.out.flush();
    }
}
