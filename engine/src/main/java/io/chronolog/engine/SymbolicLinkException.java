package io.chronolog.engine;

import java.nio.file.Path;

/**
 * A database directory holds a symbolic link where the engine keeps one of its own files or
 * directories. Chronolog never follows such a link (it could make the engine write a file it was
 * not given, or keep the log somewhere else without saying so), and refuses the directory.
 * Immutable; {@link #path()} is the link.
 */
public class SymbolicLinkException extends ChronologException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    public SymbolicLinkException(Path path) {
        super("database directory refused: " + path + " is a symbolic link; Chronolog does not follow links inside a"
                + " database directory: replace it with the file or directory itself");
        this.path = path;
    }

    /** The link found. */
    public Path path() {
        return path;
    }
}
