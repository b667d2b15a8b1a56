package io.chronolog.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows an indeterminate progress bar on stderr while a long call (restore, export, download,
 * verify) runs, only when {@link Terminal#progress()} has a screen; the bar is erased when the call
 * ends. The engine reports no progress yet, so the bar shows elapsed time, not a fraction.
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
