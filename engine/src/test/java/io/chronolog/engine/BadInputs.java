package io.chronolog.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A seeded generator of inputs an operator or application may get wrong: malformed bookmarks
 * (mutations of a real one), times no bookmark answers, invalid database names and backup ids.
 * Every input it returns must be refused; none is a valid way to name anything. Shared by the
 * engine's and the CLI's bad-input corpus tests (the CLI reads it from the engine's test jar).
 *
 * <p>Pure: the same seed and the same real values give the same inputs, in the same order. Not
 * thread-safe (it draws from one {@link SplittableRandom}).
 */
public final class BadInputs {
    /** What a bad input claims to name; each error message must mention {@link #word()}. */
    public enum Kind {
        BOOKMARK("bookmark"),
        TIME("time"),
        NAME("name"),
        BACKUP_ID("backup id"),
        OUTPUT("refused"),
        SQL("sql");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        /** The word an error about this kind of input must contain (case-insensitive). */
        public String word() {
            return word;
        }
    }

    /**
     * One bad input.
     *
     * @param kind     what it claims to name
     * @param mutation how it was made, for reports ({@code "truncated"}, {@code "future"}, ...)
     * @param text     the input itself
     */
    public record BadInput(Kind kind, String mutation, String text) {
        @Override
        public String toString() {
            return kind + "/" + mutation + " " + escaped(text);
        }
    }

    /** Characters that look like hex digits or dashes and are not. */
    private static final char[] LOOK_ALIKES = {
        '\u0430', '\u0435', '\u0441', '\u0431', '\u0410', '\uFF10', '\uFF11', '\uFF41', '\u2010', '\u2011', '\u2013',
        '\u2212', '\u00AD', '\u0660', '\u0966', '\u200B', '\u200D', '\uFEFF', '\u202E', '\u00E9', '\u0101', '\u00A0',
    };
    private static final char[] WHITESPACE = {' ', '\t', '\n', '\r', '\u000B', '\f', '\u00A0', '\u2003', '\u3000', '\u2028'};
    private static final char[] SEPARATORS = {'_', ':', '.', '/', ' ', '+', '\u2010', '\u2013', '\u2014', '\u2212', '\\'};
    private static final String PUNCTUATION = "./\\:*?\"<>|!@#$%^&()=+[]{};,'`~ ";
    private static final String[] ZONE_NAMES = {"[UTC]", "[Europe/Paris]", " UTC", " GMT", "CET", "EST", "[Z]", " Z",
        "America/New_York", "+01:00[Europe/Paris]", " PST", "Z[Etc/UTC]"};

    private final SplittableRandom random;

    public BadInputs(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The seed for this run: {@code -Dchronolog.badinput.seed=S} if given, else a fresh one. */
    public static long seed() {
        return Long.getLong("chronolog.badinput.seed", System.nanoTime());
    }

    /** How many inputs of each kind to make: more under {@code -Dchronolog.soak=true}. */
    public static int scaled(int ci) {
        return Boolean.getBoolean("chronolog.soak") ? ci * 20 : ci;
    }

    /** {@code count} malformed or mismatching variants of {@code real}, a bookmark of the database; none equals it. */
    public List<BadInput> bookmarks(String real, int count) {
        List<BadInput> out = new ArrayList<>();
        out.add(new BadInput(Kind.BOOKMARK, "empty", ""));
        out.add(new BadInput(Kind.BOOKMARK, "all zeros but the hash", real.substring(0, 27) + "0".repeat(32)));
        out.add(new BadInput(Kind.BOOKMARK, "upper-case", real.toUpperCase()));
        out.add(new BadInput(Kind.BOOKMARK, "epoch beyond any", "ffffffff" + real.substring(8)));
        out.add(new BadInput(Kind.BOOKMARK, "offset beyond any", real.substring(0, 18) + "ffffffff" + real.substring(26)));
        out.add(new BadInput(Kind.BOOKMARK, "checkpoint beyond any", real.substring(0, 9) + "7fffffff" + real.substring(17)));
        while (out.size() < count) {
            String mutation;
            StringBuilder b = new StringBuilder(real);
            int at = random.nextInt(real.length());
            switch (random.nextInt(12)) {
                case 0 -> {
                    mutation = "truncated";
                    b.setLength(random.nextInt(real.length()));
                }
                case 1 -> {
                    mutation = "extra characters";
                    b.insert(random.nextBoolean() ? b.length() : at, randomText(1 + random.nextInt(6)));
                }
                case 2 -> {
                    mutation = "bad hex digit";
                    b.setCharAt(hexIndex(real), "ghijklmnopqrstuvwxyzGXZ!#%&*?@^~".charAt(random.nextInt(32)));
                }
                case 3 -> {
                    mutation = "wrong separator";
                    b.setCharAt(new int[] {8, 17, 26}[random.nextInt(3)], SEPARATORS[random.nextInt(SEPARATORS.length)]);
                }
                case 4 -> {
                    mutation = "missing separator";
                    b.deleteCharAt(new int[] {26, 17, 8}[random.nextInt(3)]);
                }
                case 5 -> {
                    mutation = "upper-case digit";
                    int i = hexIndex(real);
                    b.setCharAt(i, "ABCDEF".charAt(random.nextInt(6)));
                }
                case 6 -> {
                    mutation = "look-alike character";
                    b.setCharAt(at, LOOK_ALIKES[random.nextInt(LOOK_ALIKES.length)]);
                }
                case 7 -> {
                    mutation = "whitespace";
                    int where = random.nextInt(3);
                    b.insert(where == 0 ? 0 : where == 1 ? b.length() : at, WHITESPACE[random.nextInt(WHITESPACE.length)]);
                }
                case 8 -> {
                    mutation = "other hex digit";
                    int i = hexIndex(real);
                    char c;
                    do {
                        c = "0123456789abcdef".charAt(random.nextInt(16));
                    } while (c == real.charAt(i));
                    b.setCharAt(i, c);
                }
                case 9 -> {
                    mutation = "control character";
                    b.insert(at, (char) (random.nextBoolean() ? random.nextInt(32) : 0x7f));
                }
                case 10 -> {
                    mutation = "parts swapped";
                    String[] p = real.split("-");
                    b = new StringBuilder(p[1] + "-" + p[0] + "-" + p[2] + "-" + p[3]);
                    if (b.toString().equals(real)) {
                        b.setCharAt(0, 'g');
                    }
                }
                default -> {
                    mutation = "garbage";
                    b = new StringBuilder(randomText(1 + random.nextInt(80)));
                }
            }
            if (!b.toString().equals(real)) {
                out.add(new BadInput(Kind.BOOKMARK, mutation, b.toString()));
            }
        }
        return out;
    }

    /**
     * {@code count} times that name no restorable moment of a database whose history runs from
     * {@code firstWrite} to {@code now} under a {@code retention} window that starts before
     * {@code firstWrite}: in the future, before the window, before the history, before 1970,
     * beyond 9999, leap seconds, zone names, no zone, garbage, milliseconds.
     */
    public List<BadInput> times(Instant firstWrite, Instant now, Duration retention, int count) {
        Instant windowStart = now.minus(retention);
        if (!windowStart.isBefore(firstWrite)) {
            throw new IllegalArgumentException("the window must start before the first write");
        }
        Instant inHistory = firstWrite.plus(Duration.between(firstWrite, now).dividedBy(2));
        String plain = LocalDateTime.ofInstant(inHistory, ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        List<BadInput> out = new ArrayList<>();
        out.add(new BadInput(Kind.TIME, "empty", ""));
        out.add(new BadInput(Kind.TIME, "blank", " \t "));
        out.add(new BadInput(Kind.TIME, "pre-1970", "1969-12-31T23:59:59Z"));
        out.add(new BadInput(Kind.TIME, "year 0", "0000-01-01T00:00:00Z"));
        out.add(new BadInput(Kind.TIME, "negative year", "-0001-01-01T00:00:00Z"));
        out.add(new BadInput(Kind.TIME, "year 9999", "9999-12-31T23:59:59Z"));
        out.add(new BadInput(Kind.TIME, "year 10000", "+10000-01-01T00:00:00Z"));
        out.add(new BadInput(Kind.TIME, "year 10000 unsigned", "10000-01-01T00:00:00Z"));
        out.add(new BadInput(Kind.TIME, "huge year", "+999999999-12-31T23:59:59Z"));
        out.add(new BadInput(Kind.TIME, "leap second", "2016-12-31T23:59:60Z"));
        out.add(new BadInput(Kind.TIME, "leap second in history", plain.substring(0, 17) + "60Z"));
        out.add(new BadInput(Kind.TIME, "no zone", plain));
        out.add(new BadInput(Kind.TIME, "space instead of T", plain.replace('T', ' ') + "Z"));
        out.add(new BadInput(Kind.TIME, "date only", plain.substring(0, 10)));
        out.add(new BadInput(Kind.TIME, "time only", plain.substring(11) + "Z"));
        out.add(new BadInput(Kind.TIME, "negative Unix seconds", "-1"));
        out.add(new BadInput(Kind.TIME, "Unix milliseconds", Long.toString(inHistory.toEpochMilli())));
        out.add(new BadInput(Kind.TIME, "Unix seconds with a fraction", inHistory.getEpochSecond() + ".5"));
        out.add(new BadInput(Kind.TIME, "Unix seconds with a sign", "+" + inHistory.getEpochSecond()));
        out.add(new BadInput(Kind.TIME, "Unix seconds in hex", "0x" + Long.toHexString(inHistory.getEpochSecond())));
        out.add(new BadInput(Kind.TIME, "Unix seconds in exponent form", "1.7e9"));
        out.add(new BadInput(Kind.TIME, "long overflow", "9223372036854775808"));
        out.add(new BadInput(Kind.TIME, "full-width digits", toFullWidth(Long.toString(inHistory.getEpochSecond()))));
        out.add(new BadInput(Kind.TIME, "offset out of range", plain + "+19:00"));
        out.add(new BadInput(Kind.TIME, "hour 24", plain.substring(0, 11) + "24:00:00Z"));
        out.add(new BadInput(Kind.TIME, "February 30", plain.substring(0, 5) + "02-30T10:00:00Z"));
        out.add(new BadInput(Kind.TIME, "words", "now"));
        out.add(new BadInput(Kind.TIME, "words", "yesterday"));
        while (out.size() < count) {
            switch (random.nextInt(10)) {
                case 0 -> out.add(new BadInput(Kind.TIME, "future", formatted(now.plus(randomSpan(Duration.ofSeconds(2), 100 * 365)))));
                case 1 -> {
                    Instant before = windowStart.minus(randomSpan(Duration.ofSeconds(2), 40 * 365));
                    if (before.isAfter(Instant.EPOCH)) {
                        out.add(new BadInput(Kind.TIME, "before retention", formatted(before)));
                    }
                }
                case 2 -> {
                    long span = Duration.between(windowStart, firstWrite).toMillis();
                    Instant before = windowStart.plusMillis(1 + random.nextLong(Math.max(1, span - 1)));
                    if (before.isBefore(firstWrite)) {
                        out.add(new BadInput(Kind.TIME, "before the history", formatted(before)));
                    }
                }
                case 3 -> out.add(new BadInput(Kind.TIME, "pre-1970", random.nextBoolean()
                        ? Long.toString(-1 - random.nextLong(1L << 40))
                        : String.format("%04d-%02d-%02dT%02d:00:00Z", random.nextInt(1970), 1 + random.nextInt(12),
                                1 + random.nextInt(28), random.nextInt(24))));
                case 4 -> out.add(new BadInput(Kind.TIME, "zone name", formattedPlain(inHistory)
                        + ZONE_NAMES[random.nextInt(ZONE_NAMES.length)]));
                case 5 -> out.add(new BadInput(Kind.TIME, "no zone", formattedPlain(inHistory.plusSeconds(random.nextInt(60)))));
                case 6 -> out.add(new BadInput(Kind.TIME, "leap second", formattedPlain(inHistory).substring(0, 17) + "60"
                        + (random.nextBoolean() ? "Z" : "+00:00")));
                case 7 -> out.add(new BadInput(Kind.TIME, "garbage", randomText(1 + random.nextInt(40))));
                case 8 -> {
                    // strictly inside: a time with blanks around it is read without them
                    String t = formatted(inHistory);
                    int at = 1 + random.nextInt(t.length() - 1);
                    out.add(new BadInput(Kind.TIME, "whitespace inside", t.substring(0, at)
                            + WHITESPACE[random.nextInt(WHITESPACE.length)] + t.substring(at)));
                }
                default -> out.add(new BadInput(Kind.TIME, "far beyond 9999", (random.nextBoolean() ? "+" : "")
                        + (10_000 + random.nextInt(1_000_000)) + "-06-01T00:00:00Z"));
            }
        }
        return out;
    }

    /** {@code count} strings that are not database names: {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}} refuses each. */
    public List<BadInput> names(int count) {
        List<BadInput> out = new ArrayList<>();
        for (String fixed : new String[] {"", ".", "..", "/", "../x", "a/b", "a\\b", "..\\x", "\0", "a\0b", " ", "a b", "-",
            "_", "-rf", "_x", "a.b", "shop.sqlite3", "~", "$HOME", "*", "a:b", "a\nb", "café", "\u0441hop", "\uFF41", "名前",
            "a".repeat(65), "x".repeat(300), "a\u200Bb", "a\u202Eb", "\t", "a\r"}) {
            out.add(new BadInput(Kind.NAME, "fixed", fixed));
        }
        while (out.size() < count) {
            String base = "db" + Integer.toString(random.nextInt(1 << 20), 36);
            switch (random.nextInt(7)) {
                case 0 -> out.add(new BadInput(Kind.NAME, "control character", insertAt(base, (char) random.nextInt(32))));
                case 1 -> out.add(new BadInput(Kind.NAME, "too long", base + "a".repeat(65 - base.length() + random.nextInt(200))));
                case 2 -> out.add(new BadInput(Kind.NAME, "path", random.nextBoolean() ? "../" + base : base + "/" + base));
                case 3 -> out.add(new BadInput(Kind.NAME, "unicode", insertAt(base, LOOK_ALIKES[random.nextInt(LOOK_ALIKES.length)])));
                case 4 -> out.add(new BadInput(Kind.NAME, "punctuation", insertAt(base, PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length())))));
                case 5 -> out.add(new BadInput(Kind.NAME, "leading - or _", (random.nextBoolean() ? "-" : "_") + base));
                default -> out.add(new BadInput(Kind.NAME, "whitespace", insertAt(base, WHITESPACE[random.nextInt(WHITESPACE.length)])));
            }
        }
        return out;
    }

    /** {@code count} ids that name no backup of a database whose one backup is {@code real}: unknown UUIDs and malformed ids. */
    public List<BadInput> backupIds(String real, int count) {
        List<BadInput> out = new ArrayList<>();
        out.add(new BadInput(Kind.BACKUP_ID, "empty", ""));
        out.add(new BadInput(Kind.BACKUP_ID, "upper-case", real.toUpperCase()));
        out.add(new BadInput(Kind.BACKUP_ID, "braces", "{" + real + "}"));
        out.add(new BadInput(Kind.BACKUP_ID, "urn", "urn:uuid:" + real));
        out.add(new BadInput(Kind.BACKUP_ID, "no dashes", real.replace("-", "")));
        out.add(new BadInput(Kind.BACKUP_ID, "path", "../../etc/passwd"));
        out.add(new BadInput(Kind.BACKUP_ID, "nil uuid", "00000000-0000-0000-0000-000000000000"));
        Set<String> seen = new LinkedHashSet<>();
        while (out.size() < count) {
            StringBuilder b = new StringBuilder(real);
            String mutation;
            switch (random.nextInt(7)) {
                case 0, 1 -> {
                    mutation = "unknown";
                    b = new StringBuilder(new UUID(random.nextLong(), random.nextLong()).toString());
                }
                case 2 -> {
                    mutation = "truncated";
                    b.setLength(random.nextInt(real.length()));
                }
                case 3 -> {
                    mutation = "extra characters";
                    b.insert(random.nextInt(b.length() + 1), randomText(1 + random.nextInt(4)));
                }
                case 4 -> {
                    mutation = "look-alike character";
                    b.setCharAt(random.nextInt(b.length()), LOOK_ALIKES[random.nextInt(LOOK_ALIKES.length)]);
                }
                case 5 -> {
                    mutation = "whitespace";
                    b.insert(random.nextBoolean() ? 0 : b.length(), WHITESPACE[random.nextInt(WHITESPACE.length)]);
                }
                default -> {
                    mutation = "bad digit";
                    int i;
                    do {
                        i = random.nextInt(b.length());
                    } while (b.charAt(i) == '-');
                    b.setCharAt(i, "ghxyzGXZ!_.".charAt(random.nextInt(11)));
                }
            }
            if (!b.toString().equals(real) && seen.add(b.toString())) {
                out.add(new BadInput(Kind.BACKUP_ID, mutation, b.toString()));
            }
        }
        return out;
    }

    /** Picks one of {@code choices}. */
    public <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** Draws a value in {@code [0, bound)}. */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Runs one of {@code actions}. */
    @SafeVarargs
    public final <T> T oneOf(Supplier<T>... actions) {
        return actions[random.nextInt(actions.length)].get();
    }

    /** {@code s} with control, format and non-ASCII characters escaped as a backslash, {@code u} and four hex digits: safe to print in a report. */
    public static String escaped(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private int hexIndex(String real) {
        int i;
        do {
            i = random.nextInt(real.length());
        } while (real.charAt(i) == '-');
        return i;
    }

    private Duration randomSpan(Duration min, int maxDays) {
        long max = Duration.ofDays(maxDays).toMillis();
        return min.plusMillis(random.nextLong(max));
    }

    /** One of the accepted spellings of {@code t}: Unix seconds, RFC 3339 in UTC, or with an offset. */
    private String formatted(Instant t) {
        return switch (random.nextInt(4)) {
            case 0 -> Long.toString(t.getEpochSecond());
            case 1 -> t.toString();
            case 2 -> t.atOffset(ZoneOffset.ofHoursMinutes(random.nextInt(-12, 15), 0)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            default -> t.atOffset(ZoneOffset.ofHoursMinutes(-3, -30)).toString();
        };
    }

    private static String formattedPlain(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    }

    private String insertAt(String s, char c) {
        int at = random.nextInt(s.length() + 1);
        return s.substring(0, at) + c + s.substring(at);
    }

    /** Printable ASCII mixed with look-alikes, control characters and the odd surrogate pair. */
    private String randomText(int length) {
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            int r = random.nextInt(20);
            if (r < 14) {
                b.append((char) (0x21 + random.nextInt(0x5e)));
            } else if (r < 17) {
                b.append(LOOK_ALIKES[random.nextInt(LOOK_ALIKES.length)]);
            } else if (r < 19) {
                b.append((char) random.nextInt(32));
            } else {
                b.appendCodePoint(0x1F600 + random.nextInt(64));
            }
        }
        return b.toString();
    }

    private static String toFullWidth(String digits) {
        StringBuilder b = new StringBuilder();
        for (char c : digits.toCharArray()) {
            b.append((char) ('\uFF10' + (c - '0')));
        }
        return b.toString();
    }
}
