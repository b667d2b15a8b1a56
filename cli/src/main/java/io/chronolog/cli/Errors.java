package io.chronolog.cli;

import io.chronolog.engine.ChronologException;
import io.chronolog.engine.PrintableText;

/**
 * Turns a failure into the one line {@code chronolog} prints on stderr: line breaks become spaces,
 * and control or invisible characters quoted from the input are escaped ({@link PrintableText}).
 */
final class Errors {
    private Errors() {
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        } else if (!(e instanceof ChronologException) && !(e instanceof CliException)) {
            message = describe(e) + ": " + message;
        }
        return "error: " + PrintableText.of(message.replaceAll("\\s*\\R\\s*", " ").strip());
    }

    /** A usage error as one line: picocli's message, then where to read the usage. */
    static String usageLine(String message, String command) {
        String m = message == null || message.isBlank() ? "bad usage" : message.replaceAll("\\s*\\R\\s*", " ").strip().replaceFirst("^Error: ", "");
        return "usage error: " + PrintableText.of(m) + " (see: " + command + " --help)";
    }

    private static String describe(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
            return "I/O error";
        }
        return e.getClass().getSimpleName();
    }

    /** A refusal decided by the CLI itself; its message is shown as it is. */
    static final class CliException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CliException(String message) {
            super(message);
        }
    }
}
