package io.chronolog.engine;


/**
 * Root of every error the engine reports. Subclasses say what failed precisely enough for an
 * operator to act; the message always names the database, statement, file or position involved.
 * The message is one printable line: control and invisible characters quoted from an input are
 * escaped ({@link PrintableText}).
 */
public class ChronologException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ChronologException(String message) {
        super(PrintableText.of(message));
    }

    public ChronologException(String message, Throwable cause) {
        super(PrintableText.of(message), cause);
    }
}
