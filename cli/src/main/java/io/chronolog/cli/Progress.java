package io.chronolog.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows an indeterminate progress bar on stderr while a long call (restore, export, download,
 * verify) runs, only when {@link Terminal#progress()} has a screen; the bar is erased when the call
 * ends. Where the engine reports no progress the bar shows elapsed time; where it reports bytes
 * (a restore from the archive) it counts them.
 */
final class Progress {
    private Progress() {
    }

    /** Runs {@code work}, with a bar named {@code task} on a terminal; returns its result or rethrows its failure. */
    static <T> T during(Terminal terminal, String task, Callable<T> work) {
        PrintStream screen = terminal.progress();
        if (screen == null) {
            return call(work);
        }
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(-1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(100)
                .continuousUpdate()
                .clearDisplayOnFinish()
                .setConsumer(new ConsoleProgressBarConsumer(screen, 72));
        try (ProgressBar ignored = builder.build()) {
            return call(work);
        }
    }

    /** The work of {@link #counting}: given where to report bytes done, it returns its result. */
    interface Counted<T> {
        T run(LongConsumer bytesDone) throws Exception;
    }

    /**
     * Runs {@code work}, with a bar named {@code task} on a terminal counting the bytes the work
     * reports (in MiB); the work may report from any thread. Returns its result or rethrows its failure.
     */
    static <T> T counting(Terminal terminal, String task, Counted<T> work) {
        PrintStream screen = terminal.progress();
        if (screen == null) {
            return call(() -> work.run(n -> { }));
        }
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(-1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" MiB", 1L << 20)
                .showSpeed()
                .setUpdateIntervalMillis(100)
                .continuousUpdate()
                .clearDisplayOnFinish()
                .setConsumer(new ConsoleProgressBarConsumer(screen, 72));
        try (ProgressBar bar = builder.build()) {
            return call(() -> work.run(bar::stepBy));
        }
    }

    /** {@link #during(Terminal, String, Callable)} for work without a result. */
    static void during(Terminal terminal, String task, Runnable work) {
        during(terminal, task, () -> {
            work.run();
            return null;
        });
    }

    private static <T> T call(Callable<T> work) {
        try {
            return work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
