package io.chronolog.bench;

import java.util.Locale;

/** Number formatting for the markdown tables: medians with their min-max. Pure functions. */
final class Fmt {
    private Fmt() {
    }

    /** "median (min-max)" with {@code decimals} digits after the point, thousands separated. */
    static String medianRange(double[] values, int decimals) {
        if (values.length == 0) {
            return "n/a";
        }
        return number(Stats.median(values), decimals) + " (" + number(Stats.min(values), decimals) + "-"
                + number(Stats.max(values), decimals) + ")";
    }

    static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** A size in MB (10^6 bytes) with one decimal. */
    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%,.1f MB", bytes / 1e6);
    }

    static String verdict(boolean met) {
        return met ? "MET" : "MISSED";
    }
}
