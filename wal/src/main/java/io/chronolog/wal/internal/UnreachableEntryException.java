package io.chronolog.wal.internal;

import java.io.IOException;

/** An entry was written where Chronicle's tailers cannot reach it (a damaged header precedes it). */
public final class UnreachableEntryException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;

    /** The entry in {@code file} is unreachable for the reason in {@code message}. */
    public UnreachableEntryException(String message, String file) {
        super(message);
        this.file = file;
    }

    /** The cycle file holding the entry. */
    public String file() {
        return file;
    }
}
