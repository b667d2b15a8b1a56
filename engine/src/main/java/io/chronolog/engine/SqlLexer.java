package io.chronolog.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into the tokens the {@link StatementGuard} reasons about: words (keywords and
 * identifiers, quoted or not, with quotes removed), string and blob literals, punctuation and
 * semicolons. Comments and white space are dropped. It does not parse SQL; SQLite does that.
 */
final class SqlLexer {

    enum Kind { WORD, QUOTED_WORD, STRING, NUMBER, PUNCT, SEMICOLON, PARAM }

    record Token(Kind kind, String text) {
        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isIdentifierLike() {
            return kind == Kind.WORD || kind == Kind.QUOTED_WORD;
        }
    }

    private SqlLexer() {
    }

    /** Tokens of {@code sql}; an unterminated quote or comment runs to the end, as SQLite would report. */
    static List<Token> tokenize(String sql) {
        List<Token> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '\'') {
                int end = quoted(sql, i, '\'');
                out.add(new Token(Kind.STRING, sql.substring(i + 1, Math.max(i + 1, end - 1)).replace("''", "'")));
                i = end;
            } else if ((c == 'x' || c == 'X') && i + 1 < n && sql.charAt(i + 1) == '\'') {
                int end = quoted(sql, i + 1, '\'');
                out.add(new Token(Kind.STRING, sql.substring(i, end)));
                i = end;
            } else if (c == '"' || c == '`') {
                int end = quoted(sql, i, c);
                out.add(new Token(Kind.QUOTED_WORD,
                        sql.substring(i + 1, Math.max(i + 1, end - 1)).replace(String.valueOf(c) + c, String.valueOf(c))));
                i = end;
            } else if (c == '[') {
                int end = sql.indexOf(']', i + 1);
                end = end < 0 ? n : end + 1;
                out.add(new Token(Kind.QUOTED_WORD, sql.substring(i + 1, Math.max(i + 1, end - 1))));
                i = end;
            } else if (c == ';') {
                out.add(new Token(Kind.SEMICOLON, ";"));
                i++;
            } else if (c == '?' || c == ':' || c == '@' || c == '$') {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Token(Kind.PARAM, sql.substring(i, j)));
                i = j;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '.')) {
                    j++;
                }
                out.add(new Token(Kind.NUMBER, sql.substring(i, j)));
                i = j;
            } else if (Character.isLetter(c) || c == '_' || c > 127) {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_'
                        || sql.charAt(j) == '$' || sql.charAt(j) > 127)) {
                    j++;
                }
                out.add(new Token(Kind.WORD, sql.substring(i, j)));
                i = j;
            } else {
                out.add(new Token(Kind.PUNCT, String.valueOf(c)));
                i++;
            }
        }
        return out;
    }

    /** Index just past the closing quote of the literal opening at {@code start}, or the end of the text. */
    private static int quoted(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }
}
