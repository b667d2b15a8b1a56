package io.chronolog.bench;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the generated blocks of {@code bench/RESULTS.md}. A block is the text between
 * {@code <!-- generated:<scenario>:begin -->} and {@code <!-- generated:<scenario>:end -->}, each
 * marker on a line of its own. {@link #rewrite} replaces the inside of the blocks it is given,
 * appends at the end the blocks that have no markers yet, and leaves every other character of the
 * document as it was (hand-written analysis, blocks of scenarios not in the run). Pure functions.
 */
final class ResultsMarkdown {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private ResultsMarkdown() {
    }

    static String begin(String scenario) {
        return "<!-- generated:" + scenario + ":begin -->";
    }

    static String end(String scenario) {
        return "<!-- generated:" + scenario + ":end -->";
    }

    /**
     * The document with each block of {@code blocks} (scenario to its new inside) put between its
     * markers, in place when the markers are there, else appended at the end in the map's order.
     *
     * @throws IllegalArgumentException a scenario name is not lower-case letters, digits and dashes,
     *     or the document holds a block's markers more than once, only one of them, or the end before the begin
     */
    static String rewrite(String document, Map<String, String> blocks) {
        String doc = document;
        StringBuilder appended = new StringBuilder();
        for (Map.Entry<String, String> e : blocks.entrySet()) {
            String scenario = e.getKey();
            if (!NAME.matcher(scenario).matches()) {
                throw new IllegalArgumentException("not a scenario name for a RESULTS.md block: '" + scenario + "'");
            }
            String inside = e.getValue().endsWith("\n") ? e.getValue() : e.getValue() + "\n";
            String b = begin(scenario);
            String en = end(scenario);
            int bi = markerLine(doc, b);
            int ei = markerLine(doc, en);
            if (bi < 0 && ei < 0) {
                appended.append('\n').append(b).append('\n').append(inside).append(en).append('\n');
                continue;
            }
            if (bi < 0 || ei < 0 || ei < bi) {
                throw new IllegalArgumentException("RESULTS.md: the block of '" + scenario + "' is damaged (" + (bi < 0 ? "no " + b
                        : ei < 0 ? "no " + en : en + " comes before " + b) + "): mend the markers by hand, then run again");
            }
            int from = doc.indexOf('\n', bi) + 1;
            doc = doc.substring(0, from) + inside + doc.substring(ei);
        }
        if (appended.length() == 0) {
            return doc;
        }
        return (doc.isEmpty() || doc.endsWith("\n") ? doc : doc + "\n") + appended;
    }

    /** Start of the one line that is exactly {@code marker} (surrounding blanks allowed); -1 if none. */
    private static int markerLine(String doc, String marker) {
        Matcher m = Pattern.compile("(?m)^[ \\t]*" + Pattern.quote(marker) + "[ \\t]*\\r?$").matcher(doc);
        if (!m.find()) {
            return -1;
        }
        int at = m.start();
        if (m.find()) {
            throw new IllegalArgumentException("RESULTS.md holds " + marker + " more than once: remove the extra copy, then run again");
        }
        return at;
    }
}
