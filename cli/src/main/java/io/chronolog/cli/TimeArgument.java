package io.chronolog.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Parses a moment given on the command line: a Unix time in seconds (ASCII digits only) or an
 * RFC 3339 / JavaScript date-time with a four-digit year and an offset or {@code Z}. A pure
 * function; refuses anything else with a message quoting the input.
 */
final class TimeArgument {
    private static final Pattern UNIX_SECONDS = Pattern.compile("^[0-9]{1,12}$");
    private static final Pattern RFC_3339 = Pattern.compile(
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$");

    private TimeArgument() {
    }

    static Instant parse(String text) {
        if (UNIX_SECONDS.matcher(text).matches()) {
            return Instant.ofEpochMilli(Math.multiplyExact(Long.parseLong(text), 1000L));
        }
        if (RFC_3339.matcher(text).matches()) {
            try {
                return OffsetDateTime.parse(text.replace(' ', 'T').replace('t', 'T').replace('z', 'Z')).toInstant();
            } catch (DateTimeParseException e) {
                throw new Errors.CliException("bad timestamp '" + text + "': " + e.getMessage());
            }
        }
        throw new Errors.CliException("bad timestamp '" + abbreviate(text)
                + "': expected a Unix time in seconds or an RFC 3339 date-time such as 2026-11-22T10:00:00Z");
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
