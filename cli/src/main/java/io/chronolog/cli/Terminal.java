package io.chronolog.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Whether {@code chronolog} talks to a person: where confirmation answers come from and where a
 * progress bar may be drawn.
 *
 * <p>A real terminal ({@link System#console()}, and on JDK 22+ {@code Console.isTerminal()}) may be
 * prompted and gets progress bars on stderr. With {@code CHRONOLOG_ASSUME_TTY=1} and no terminal,
 * answers are read from stdin (so a script or a test can answer the prompt) but no progress is
 * drawn. Otherwise nothing is asked, and a command that needs an answer refuses. Immutable apart
 * from the reader it consumes; one per invocation.
 */
final class Terminal {
    /** Environment variable that makes prompts read their answer from stdin when there is no terminal. */
    static final String ASSUME_TTY_ENV = "CHRONOLOG_ASSUME_TTY";

    private final boolean interactive;
    private final boolean echoesInput;
    private final BufferedReader answers;
    private final PrintStream progress;

    private Terminal(boolean interactive, boolean echoesInput, BufferedReader answers, PrintStream progress) {
        this.interactive = interactive;
        this.echoesInput = echoesInput;
        this.answers = answers;
        this.progress = progress;
    }

    /** The process's own terminal, if it has one; else stdin when {@value #ASSUME_TTY_ENV} is 1; else none. */
    static Terminal system() {
        Console console = System.console();
        if (console != null && isTerminal(console)) {
            PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
            return new Terminal(true, true, new BufferedReader(console.reader()), err);
        }
        if ("1".equals(System.getenv(ASSUME_TTY_ENV))) {
            return new Terminal(true, false, new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())), null);
        }
        return none();
    }

    /** No terminal: nothing is asked, nothing is drawn. */
    static Terminal none() {
        return new Terminal(false, false, null, null);
    }

    /** A person who types {@code input} (one answer a line), without a screen to draw progress on. */
    static Terminal scripted(String input) {
        return new Terminal(true, false, new BufferedReader(new StringReader(input)), null);
    }

    /** Whether a question may be asked. */
    boolean interactive() {
        return interactive;
    }

    /** Where a progress bar may be drawn, or null when there is no screen. */
    PrintStream progress() {
        return progress;
    }

    /**
     * Asks {@code OK to proceed (y/N)} on {@code err}; true only for "y" or "yes" (any case). An
     * empty line, any other answer, or the end of input mean no.
     */
    boolean confirm(PrintWriter err) {
        err.print("OK to proceed (y/N) ");
        err.flush();
        String answer;
        try {
            answer = answers.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the answer", e);
        }
        if (!echoesInput) {
            err.println();
            err.flush();
        }
        if (answer == null) {
            return false;
        }
        String a = answer.strip().toLowerCase(Locale.ROOT);
        return a.equals("y") || a.equals("yes");
    }

    /** JDK 22+ returns a Console for redirected streams too; it then says whether it is a terminal. */
    private static boolean isTerminal(Console console) {
        try {
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // before JDK 22 a Console exists only on a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
