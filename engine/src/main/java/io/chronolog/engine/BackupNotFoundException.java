package io.chronolog.engine;

/** A backup id that is malformed or names no backup of this database. Nothing was touched. */
public class BackupNotFoundException extends ChronologException {
    private static final long serialVersionUID = 1L;

    public BackupNotFoundException(String message) {
        super(message);
    }
}
