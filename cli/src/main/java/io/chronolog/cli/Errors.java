package io.chronolog.cli;

import io.chronolog.engine.ChronologException;

/** Turns a failure into the one line {@code chronolog} prints on stderr. */
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
        return "error: " + message.replaceAll("\\s*\\R\\s*", " ").strip();
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
