package io.chronolog.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a SQL text given to {@code execute} into statements at top-level semicolons. Quotes
 * ({@code '…'}, {@code "…"}, {@code `…`}, {@code […]}), comments ({@code --}, {@code /* *}{@code /})
 * and the {@code BEGIN … END} body of {@code CREATE TRIGGER} (with {@code CASE … END} inside it)
 * do not split. Statements that hold only whitespace and comments are dropped.
 *
 * <p>A pure function; it does not judge whether the SQL is valid: SQLite does that.
 */
final class SqlScript {
    private SqlScript() {
    }

    static List<String> split(String sql) {
        List<String> statements = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = sql.length();
        boolean meaningful = false;
        List<String> firstWords = new ArrayList<>();
        int depth = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`' || c == '[') {
                char close = c == '[' ? ']' : c;
                i++;
                while (i < n) {
                    if (sql.charAt(i) == close) {
                        if (close != ']' && i + 1 < n && sql.charAt(i + 1) == close) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i++;
                }
                i++;
                meaningful = true;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (Character.isLetter(c) || c == '_') {
                int from = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
                String word = sql.substring(from, i).toUpperCase(Locale.ROOT);
                if (firstWords.size() < 4) {
                    firstWords.add(word);
                }
                if (isTrigger(firstWords)) {
                    if (word.equals("BEGIN") || word.equals("CASE")) {
                        depth++;
                    } else if (word.equals("END") && depth > 0) {
                        depth--;
                    }
                }
                meaningful = true;
            } else if (c == ';' && depth == 0) {
                if (meaningful) {
                    statements.add(sql.substring(start, i + 1).strip());
                }
                i++;
                start = i;
                meaningful = false;
                firstWords.clear();
            } else {
                if (!Character.isWhitespace(c)) {
                    meaningful = true;
                }
                i++;
            }
        }
        if (meaningful) {
            statements.add(sql.substring(start, n).strip());
        }
        return statements;
    }

    private static boolean isTrigger(List<String> words) {
        if (words.size() < 2 || !words.get(0).equals("CREATE")) {
            return false;
        }
        String second = words.get(1);
        if (second.equals("TRIGGER")) {
            return true;
        }
        return (second.equals("TEMP") || second.equals("TEMPORARY")) && words.size() > 2 && words.get(2).equals("TRIGGER");
    }
}
