package io.chronolog.wal.internal;

import java.io.IOException;

/** The file system had no room for an append; nothing was appended. */
public final class StoreFullException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;

    /** The append into {@code file} failed for lack of space. */
    public StoreFullException(String file, Throwable cause) {
        super("no space left appending to " + file, cause);
        this.file = file;
    }

    /** The cycle file the append was writing. */
    public String file() {
        return file;
    }
}
