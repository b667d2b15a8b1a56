package io.chronolog.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One in-process run of {@code chronolog} with captured streams. */
record CliRun(int status, String out, String err) {

    /** Runs without a terminal: a restore without --yes refuses. */
    static CliRun of(String... args) {
        return with(Terminal.none(), args);
    }

    /** Runs as if a person at a terminal typed {@code input} at the prompts. */
    static CliRun answering(String input, String... args) {
        return with(Terminal.scripted(input), args);
    }

    private static CliRun with(Terminal terminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ChronologCommand.run(terminal, new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(status, out.toString(), err.toString());
    }

    List<String> errLines() {
        return err.lines().toList();
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
}
