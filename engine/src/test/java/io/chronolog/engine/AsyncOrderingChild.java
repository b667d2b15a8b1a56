package io.chronolog.engine;

import java.nio.file.Path;

/**
 * Child JVM for {@link AsyncOrderingTest}: in {@link Durability#ASYNC} mode, enough single-row
 * writes for the live file's WAL to be checkpointed several times, then a close.
 * Args: database directory, number of writes.
 */
public final class AsyncOrderingChild {
    private AsyncOrderingChild() {
    }

    public static void main(String[] args) throws Exception {
        int writes = Integer.parseInt(args[1]);
        try (Database db = Database.open(Path.of(args[0]), Options.builder().durability(Durability.ASYNC).background(false).build())) {
            db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            for (int i = 0; i < writes; i++) {
                db.execute("INSERT INTO t(v) VALUES (?)", "value " + i + " " + "x".repeat(200));
            }
            Thread.sleep(300); // let the checkpoint thread finish the last one it was woken for
        }
        System.out.println("CHILD-DONE");
    }
}
