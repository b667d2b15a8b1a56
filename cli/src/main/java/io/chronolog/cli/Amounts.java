package io.chronolog.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Durations and byte counts as they are typed on the command line. A duration is a whole number
 * and a unit ({@code 500ms}, {@code 1s}, {@code 30m}, {@code 2h}, {@code 90d}) or ISO-8601
 * ({@code PT1S}); a byte count is a whole number, optionally with a binary unit ({@code 16MiB},
 * {@code 512KiB}, {@code 1GiB}; {@code K}, {@code M}, {@code G} mean the same). Pure; a malformed
 * value is a usage error naming the accepted forms.
 */
final class Amounts {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})\\s*(ms|s|m|h|d)");
    private static final Pattern BYTES = Pattern.compile("([0-9]{1,18})\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)");

    private Amounts() {
    }

    /** {@code text} as a duration; throws {@link IllegalArgumentException} with the accepted forms. */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (t.startsWith("p")) {
            try {
                return Duration.parse(text.strip());
            } catch (DateTimeParseException e) {
                // the message below names the accepted forms
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration: give a number and a unit (500ms, 1s, 30m, 2h, 90d)");
    }

    /** {@code text} as a byte count; throws {@link IllegalArgumentException} with the accepted forms. */
    static long bytes(String text) {
        Matcher m = BYTES.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            int shift = switch (m.group(2)) {
                case "", "b" -> 0;
                case "k", "kb", "kib" -> 10;
                case "m", "mb", "mib" -> 20;
                default -> 30;
            };
            if (n <= Long.MAX_VALUE >> shift) {
                return n << shift;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a byte count: give a number, optionally with a unit (1048576, 512KiB, 16MiB, 1GiB)");
    }

    /** A duration as typed back: the largest whole unit ({@code 1s}, {@code 90d}, {@code 1500ms}). */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms != 0 && ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms != 0 && ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }

    /** picocli's converter for {@link Duration} options. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return duration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** picocli's converter for byte-count options. */
    static final class BytesConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return bytes(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
