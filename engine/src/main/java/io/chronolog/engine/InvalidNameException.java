package io.chronolog.engine;

import java.util.regex.Pattern;

/**
 * A database name that does not match {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}. Names are checked
 * before any path is built from them.
 */
public class InvalidNameException extends ChronologException {
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public InvalidNameException(String message) {
        super(message);
    }

    /** Returns {@code name} when it is a valid database name, and throws otherwise. */
    public static String check(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            String shown = name == null ? "null" : "'" + (name.length() > 80 ? name.substring(0, 80) + "…" : name) + "'";
            throw new InvalidNameException("bad database name " + shown
                    + ": names are 1-64 characters of A-Z, a-z, 0-9, '_' and '-', starting with a letter or digit");
        }
        return name;
    }
}
