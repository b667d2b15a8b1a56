package io.chronolog.engine;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Parses the ways an operator names a moment: Unix seconds ({@code 1700000000}), RFC 3339
 * ({@code 2023-07-27T11:18:53Z}, {@code 2023-07-27T11:18:53.000-04:00}) and the JavaScript
 * {@code Date.toISOString()} form. Anything else is refused with a message quoting the input and
 * the accepted forms. Stateless.
 */
public final class PointInTime {
    private static final Pattern UNIX_SECONDS = Pattern.compile("-?[0-9]{1,12}");
    /** Years 1970-9999 only: earlier times predate any database, later ones overflow what people mean. */
    private static final Instant MIN = Instant.EPOCH;
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59Z");

    private PointInTime() {
    }

    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            throw new BookmarkException("malformed time: empty; give Unix seconds (1700000000) or RFC 3339 (2023-07-27T11:18:53Z)");
        }
        String t = text.strip();
        Instant instant;
        if (UNIX_SECONDS.matcher(t).matches()) {
            long seconds = Long.parseLong(t);
            try {
                Math.multiplyExact(seconds, 1000L);
            } catch (ArithmeticException e) {
                throw new BookmarkException("malformed time '" + shown(text) + "': Unix seconds out of range");
            }
            instant = Instant.ofEpochSecond(seconds);
        } else {
            try {
                instant = OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new BookmarkException("malformed time '" + shown(text) + "': expected Unix seconds (1700000000) or "
                        + "RFC 3339 with a zone (2023-07-27T11:18:53Z, 2023-07-27T11:18:53.000-04:00)");
            } catch (DateTimeException e) {
                throw new BookmarkException("malformed time '" + shown(text) + "': " + e.getMessage());
            }
        }
        if (instant.isBefore(MIN) || instant.isAfter(MAX)) {
            throw new BookmarkException("time '" + shown(text) + "' is outside 1970-01-01T00:00:00Z..9999-12-31T23:59:59Z");
        }
        return instant;
    }

    private static String shown(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
