package io.chronolog.bench;

import java.nio.file.Path;

/**
 * One contender in a scenario: how to open its database and how many threads insert how many rows.
 *
 * @param name        shown in the tables ("chronolog SYNC", "sqlite FULL")
 * @param chronolog   whether this is the engine (ratios are engine / baseline)
 * @param threads     writer threads
 * @param perThread   inserts each thread makes per round
 * @param factory     opens a fresh database in a directory
 */
record Side(String name, boolean chronolog, int threads, int perThread, Factory factory) {

    int inserts() {
        return threads * perThread;
    }

    /** Opens a fresh {@link InsertTarget} in an empty directory. */
    @FunctionalInterface
    interface Factory {
        InsertTarget open(Path directory) throws Exception;
    }
}
