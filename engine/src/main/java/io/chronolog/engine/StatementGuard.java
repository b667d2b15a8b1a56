package io.chronolog.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, before a write runs, whether it can be logged and replayed identically, and whether it
 * fits the limits in {@link Options}. Refusals are {@link RefusedStatementException}s whose message
 * says what was refused and why. Also classifies plain reads, which are not logged. Stateless and
 * thread-safe.
 */
final class StatementGuard {
    /** Prefix of the engine's own tables inside the SQLite file. */
    static final String ENGINE_TABLE_PREFIX = "_chronolog_";

    private static final Set<String> TRANSACTION_CONTROL = Set.of("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE");
    private static final Set<String> READ_KEYWORDS = Set.of("SELECT", "VALUES", "EXPLAIN");

    /** Shapes of SQL texts already checked; the lexing rules depend on the text alone. */
    private static final int CACHED_SHAPES = 1024;

    private final Options options;
    private final Map<String, Shape> shapes = new ConcurrentHashMap<>();

    StatementGuard(Options options) {
        this.options = options;
    }

    /** What kind of statement a checked statement is. */
    enum Shape {
        /** Starts with SELECT, VALUES or EXPLAIN: never changes the database. */
        READ,
        /** Starts with WITH: a read unless it changes rows. */
        MAYBE_READ,
        /** Anything else: logged. */
        WRITE
    }

    /** Checks a batch's size; each statement is checked by {@link #check}. */
    void checkBatch(List<Statement> statements) {
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("batch is empty: give at least one statement");
        }
        if (statements.size() > options.maxBatchStatements()) {
            throw new RefusedStatementException("batch refused: " + statements.size() + " statements is over the limit of "
                    + options.maxBatchStatements() + " (Options.maxBatchStatements)", statements.get(0));
        }
    }

    Shape check(Statement st) {
        byte[] utf8 = st.sql().getBytes(StandardCharsets.UTF_8);
        if (utf8.length > options.maxSqlBytes()) {
            throw refused(st, "SQL is " + utf8.length + " bytes, over the limit of " + options.maxSqlBytes()
                    + " (Options.maxSqlBytes)");
        }
        if (st.params().size() > options.maxParameters()) {
            throw refused(st, st.params().size() + " parameters is over the limit of " + options.maxParameters()
                    + " (Options.maxParameters)");
        }
        int nul = st.sql().indexOf('\0');
        if (nul >= 0) {
            throw refused(st, "the SQL text holds a NUL character at index " + nul + ": SQLite would ignore everything after it");
        }
        int surrogate = unpairedSurrogate(st.sql());
        if (surrogate >= 0) {
            throw refused(st, "the SQL text holds an unpaired UTF-16 surrogate at index " + surrogate
                    + ": it is not valid Unicode and cannot be logged as UTF-8");
        }
        for (int i = 0; i < st.params().size(); i++) {
            Object p = st.params().get(i);
            long size = p instanceof byte[] b ? b.length
                    : p instanceof String s ? s.getBytes(StandardCharsets.UTF_8).length : 0;
            if (size > options.maxValueBytes()) {
                throw refused(st, "parameter " + (i + 1) + " is " + size + " bytes, over the limit of "
                        + options.maxValueBytes() + " (Options.maxValueBytes)");
            }
            if (p instanceof String s && (surrogate = unpairedSurrogate(s)) >= 0) {
                throw refused(st, "parameter " + (i + 1) + " holds an unpaired UTF-16 surrogate at index " + surrogate
                        + ": it is not valid Unicode and cannot be logged as UTF-8 (pass bytes as byte[])");
            }
        }
        Shape known = shapes.get(st.sql());
        if (known != null) {
            return known;
        }
        Shape shape = shapeOf(st);
        if (shapes.size() >= CACHED_SHAPES) {
            shapes.clear();
        }
        shapes.put(st.sql(), shape);
        return shape;
    }

    private Shape shapeOf(Statement st) {
        List<SqlLexer.Token> tokens = SqlLexer.tokenize(st.sql());
        int end = tokens.size();
        while (end > 0 && tokens.get(end - 1).kind() == SqlLexer.Kind.SEMICOLON) {
            end--;
        }
        if (end == 0) {
            throw refused(st, "the SQL text holds no statement");
        }
        SqlLexer.Token first = tokens.get(0);
        // a trigger's body holds semicolons of its own: the statement ends after its last END
        int bodyEnd = -1;
        if (first.isWord("CREATE") && tokens.stream().limit(4).anyMatch(t -> t.isWord("TRIGGER"))) {
            for (int i = end - 1; i > 0; i--) {
                if (tokens.get(i).isWord("END")) {
                    bodyEnd = i;
                    break;
                }
            }
        }
        for (int i = bodyEnd + 1; i < end; i++) {
            if (tokens.get(i).kind() == SqlLexer.Kind.SEMICOLON) {
                throw refused(st, "more than one statement in one SQL text: pass each as its own Statement in a batch");
            }
        }
        String lead = first.kind() == SqlLexer.Kind.WORD ? first.text().toUpperCase(Locale.ROOT) : "";
        if (TRANSACTION_CONTROL.contains(lead)) {
            throw refused(st, "transaction control (" + lead + ") is refused: every statement already runs in its own "
                    + "transaction, and batch() runs several atomically");
        }
        if (lead.equals("PRAGMA")) {
            throw refused(st, "PRAGMA is refused in writes: it changes connection or storage state the log cannot replay "
                    + "(read-only PRAGMAs work through query())");
        }
        if (lead.equals("ATTACH") || lead.equals("DETACH")) {
            throw refused(st, lead + " is refused: another database file is outside the log and cannot be replayed");
        }
        if (lead.equals("VACUUM")) {
            throw refused(st, "VACUUM is refused: it cannot run inside the log's transaction, may renumber rowids "
                    + "that replay depends on, and VACUUM INTO writes outside the log (use backups or export)");
        }
        if (lead.equals("CREATE") && tokens.size() > 1
                && (tokens.get(1).isWord("TEMP") || tokens.get(1).isWord("TEMPORARY"))) {
            throw refused(st, "temporary objects are refused: they belong to one connection, not to the database's history");
        }
        for (int i = 0; i < end; i++) {
            SqlLexer.Token t = tokens.get(i);
            if (t.isIdentifierLike() && t.text().toLowerCase(Locale.ROOT).startsWith(ENGINE_TABLE_PREFIX)) {
                throw refused(st, "names starting with '" + ENGINE_TABLE_PREFIX + "' belong to the engine: '"
                        + t.text() + "' cannot be used");
            }
            if (t.isIdentifierLike() && (t.text().equalsIgnoreCase("temp") || t.text().equalsIgnoreCase("temporary"))
                    && i + 1 < end && tokens.get(i + 1).text().equals(".")) {
                throw refused(st, "the temp schema is refused: it belongs to one connection, not to the database's history");
            }
        }
        if (READ_KEYWORDS.contains(lead)) {
            return Shape.READ;
        }
        return lead.equals("WITH") ? Shape.MAYBE_READ : Shape.WRITE;
    }

    /** Index of the first high surrogate without a low one after it, or low one without a high one before it; -1 if none. */
    static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return i;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static RefusedStatementException refused(Statement st, String why) {
        return new RefusedStatementException("statement refused: " + why + " (sql: " + StatementRunner.abbreviate(st.sql()) + ")", st);
    }
}
