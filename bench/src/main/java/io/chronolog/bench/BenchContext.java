package io.chronolog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a {@link MeasuredScenario} runs with: the work directory, the run's size (quick, large),
 * the measured rounds, and the histories shared between scenarios (built once per run). Used by
 * one scenario at a time.
 */
final class BenchContext implements AutoCloseable {
    private final Path work;
    private final boolean quick;
    private final boolean large;
    private final int rounds;
    private final Histories histories;

    BenchContext(Path work, boolean quick, boolean large, int rounds) {
        this.work = work;
        this.quick = quick;
        this.large = large;
        this.rounds = rounds;
        this.histories = new Histories(work);
    }

    Path work() {
        return work;
    }

    boolean quick() {
        return quick;
    }

    boolean large() {
        return large;
    }

    int rounds() {
        return rounds;
    }

    Histories histories() {
        return histories;
    }

    /** A new empty directory under the work directory. */
    Path freshDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(work, prefix + "-");
    }

    /** A progress line on stderr (stdout carries the report). */
    static void progress(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }

    @Override
    public void close() throws IOException {
        histories.close();
    }
}
