package io.pgpartition.internal;

import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tables that SQL text writes to: the targets of {@code INSERT INTO}, {@code UPDATE}, {@code DELETE FROM},
 * {@code MERGE INTO} and {@code COPY ... FROM}, in every statement of the text and in every data-modifying
 * {@code WITH} query; and the columns that each UPDATE, {@code INSERT ... ON CONFLICT ... DO UPDATE} and
 * {@code MERGE ... WHEN MATCHED THEN UPDATE} sets. Comments, string literals (plain, {@code E''}, {@code U&''},
 * dollar-quoted) and identifiers (quoted, {@code U&""} with its escapes) are read as PostgreSQL reads them; unquoted
 * names are folded to lower case. A text holding a backslash is read twice, once with
 * {@code standard_conforming_strings} on and once off, and what either reading finds is reported.
 */
public final class DmlTargets {

    /** An UPDATE statement's target and the columns its SET clause assigns (names as PostgreSQL reads them). */
    public record Assignment(TableName table, List<String> columns) {

        public Assignment {
            columns = List.copyOf(columns);
        }
    }

    private final String sql;
    /** Whether backslashes escape in plain string literals ({@code standard_conforming_strings = off}). */
    private final boolean backslashStrings;
    private int pos;
    private final List<Assignment> assignments = new ArrayList<>();

    private DmlTargets(String sql, boolean backslashStrings) {
        this.sql = sql;
        this.backslashStrings = backslashStrings;
    }

    /** The write targets of the text; empty for reads and for text with no data-changing keyword at all. */
    public static List<TableName> of(String sql) {
        return writes(sql).targets();
    }

    /** The UPDATE statements of the text (data-modifying {@code WITH} queries included) with the columns each sets. */
    public static List<Assignment> assignments(String sql) {
        return writes(sql).assignments();
    }

    /** What a text writes: its targets (as {@link #of}) and its UPDATEs' assignments (as {@link #assignments}). */
    public record Writes(List<TableName> targets, List<Assignment> assignments) {

        public Writes {
            targets = List.copyOf(targets);
            assignments = List.copyOf(assignments);
        }
    }

    private static final Writes NOTHING = new Writes(List.of(), List.of());

    /** The targets and assignments of the text, read in one pass. */
    public static Writes writes(String sql) {
        if (sql == null || !mayWrite(sql)) {
            return NOTHING;
        }
        DmlTargets parser = new DmlTargets(sql, false);
        List<TableName> targets = new ArrayList<>();
        parser.scan(targets);
        List<Assignment> assignments = new ArrayList<>(parser.assignments);
        if (sql.contains("\\")) {
            DmlTargets other = new DmlTargets(sql, true);
            List<TableName> otherTargets = new ArrayList<>();
            other.scan(otherTargets);
            otherTargets.stream().filter(t -> !targets.contains(t)).forEach(targets::add);
            other.assignments.stream().filter(a -> !assignments.contains(a)).forEach(assignments::add);
        }
        return new Writes(targets, assignments);
    }

    /** A cheap first look: text without any data-changing keyword writes nothing. */
    static boolean mayWrite(String sql) {
        for (int i = 0; i + 4 <= sql.length(); i++) {
            char c = (char) (sql.charAt(i) | 0x20);
            if ((c == 'i' || c == 'u' || c == 'd' || c == 'm' || c == 'c')
                    && (sql.regionMatches(true, i, "insert", 0, 6) || sql.regionMatches(true, i, "update", 0, 6)
                    || sql.regionMatches(true, i, "delete", 0, 6) || sql.regionMatches(true, i, "merge", 0, 5)
                    || sql.regionMatches(true, i, "copy", 0, 4))) {
                return true;
            }
        }
        return false;
    }

    /** Reads words in order; after each data-changing keyword, reads its target. */
    private void scan(List<TableName> targets) {
        String previous = "";
        TableName inserted = null;
        TableName merged = null;
        while (true) {
            String word = nextWord();
            if (word == null) {
                return;
            }
            switch (word) {
                case "insert" -> {
                    if (keyword("into")) {
                        inserted = name().orElse(null);
                        if (inserted != null) {
                            targets.add(inserted);
                        }
                    }
                }
                case "merge" -> {
                    if (keyword("into")) {
                        keyword("only");
                        merged = name().orElse(null);
                        if (merged != null) {
                            targets.add(merged);
                        }
                    }
                }
                case "update" -> {
                    if (previous.equals("do") && inserted != null) {
                        assignments.add(new Assignment(inserted, setColumns())); // INSERT ... ON CONFLICT ... DO UPDATE
                    } else if (previous.equals("then") && merged != null) {
                        assignments.add(new Assignment(merged, setColumns())); // MERGE ... WHEN MATCHED THEN UPDATE
                    } else if (!previous.equals("do") && !previous.equals("for") && !previous.equals("key")
                            && !previous.equals("then")) {
                        java.util.Optional<TableName> table = relation();
                        table.ifPresent(targets::add);
                        if (table.isPresent()) {
                            assignments.add(new Assignment(table.get(), setColumns()));
                        }
                    }
                }
                case "delete" -> {
                    if (keyword("from")) {
                        relation().ifPresent(targets::add);
                    }
                }
                case "copy" -> {
                    int start = pos;
                    java.util.Optional<TableName> table = name();
                    if (table.isEmpty()) {
                        pos = start; // COPY (query) TO ...: the query is read as any statement, a data-modifying one too
                    } else {
                        skipColumnList();
                        if (keyword("from")) {
                            targets.add(table.get());
                        }
                    }
                }
                default -> {
                }
            }
            previous = word;
        }
    }

    /** A table to update or delete from: {@code name}, {@code name *}, {@code ONLY name} or {@code ONLY (name)}. */
    private java.util.Optional<TableName> relation() {
        boolean only = keyword("only");
        skipTriviaAll();
        boolean parenthesized = only && pos < sql.length() && sql.charAt(pos) == '(';
        if (parenthesized) {
            pos++;
        }
        java.util.Optional<TableName> table = name();
        skipTriviaAll();
        if (parenthesized && pos < sql.length() && sql.charAt(pos) == ')') {
            pos++;
        } else if (!only && pos < sql.length() && sql.charAt(pos) == '*') {
            pos++;
        }
        return table;
    }

    private void skipTriviaAll() {
        while (skipTrivia()) {
            // skip whitespace and comments
        }
    }

    /**
     * After an UPDATE target: skips an alias, then reads the SET list's target columns up to WHERE, FROM, RETURNING
     * or the end of the statement: {@code a = ..., (b, c) = (...)}; expressions are skipped with their parentheses,
     * literals and comments.
     */
    private List<String> setColumns() {
        List<String> columns = new ArrayList<>();
        keyword("as");
        if (!keyword("set")) {
            int saved = pos;
            while (skipTrivia()) {
                // skip whitespace and comments
            }
            if (identifier() == null || !keyword("set")) {
                pos = saved;
                return columns;
            }
        }
        boolean expectTarget = true;
        int depth = 0;
        while (pos < sql.length()) {
            if (skipTrivia()) {
                continue;
            }
            char c = sql.charAt(pos);
            if (expectTarget) {
                if (c == '(') {
                    pos++;
                    targetList(columns);
                } else {
                    String column = identifier();
                    if (column != null) {
                        columns.add(column);
                    }
                }
                expectTarget = false;
                continue;
            }
            int before = pos;
            skipLiteral();
            if (pos != before) {
                continue;
            }
            if (c == '(') {
                depth++;
                pos++;
            } else if (c == ')') {
                if (depth == 0) {
                    return columns;
                }
                depth--;
                pos++;
            } else if (c == ';') {
                return columns;
            } else if (c == ',' && depth == 0) {
                expectTarget = true;
                pos++;
            } else if (depth == 0 && (keywordAhead("where") || keywordAhead("returning")
                    || keywordAhead("from") && !afterDistinct())) {
                return columns;
            } else if (isIdentifierPart(c)) {
                while (pos < sql.length() && isIdentifierPart(sql.charAt(pos))) {
                    pos++; // a whole word, so that a keyword is only seen where a word starts
                }
            } else {
                pos++;
            }
        }
        return columns;
    }

    /**
     * Reads a parenthesized list of target columns, {@code a, b)}, after its opening parenthesis, through its closing
     * one, so that the SET list goes on after it: {@code (a, b) = (1, 2), c = 3}.
     */
    private void targetList(List<String> columns) {
        while (true) {
            skipTriviaAll();
            String column = identifier();
            if (column == null) {
                return;
            }
            columns.add(column);
            skipTriviaAll();
            if (pos < sql.length() && sql.charAt(pos) == ',') {
                pos++;
            } else {
                if (pos < sql.length() && sql.charAt(pos) == ')') {
                    pos++;
                }
                return;
            }
        }
    }

    /** {@code DISTINCT} ending the text before a position, as in {@code IS DISTINCT FROM}. */
    private static final java.util.regex.Pattern DISTINCT_BEFORE =
            java.util.regex.Pattern.compile("(?:^|[^\\p{L}\\p{N}_$])distinct\\s*$", java.util.regex.Pattern.CASE_INSENSITIVE);

    /** Whether the word before {@code pos} is {@code DISTINCT}: the {@code FROM} at {@code pos} is then no FROM clause. */
    private boolean afterDistinct() {
        return DISTINCT_BEFORE.matcher(sql).region(0, pos).find();
    }

    /**
     * Skips one literal or quoted identifier starting at {@code pos}: {@code '...'}, {@code E'...'}, {@code U&'...'},
     * {@code "..."}, {@code U&"..."}, a dollar-quoted string; {@code pos} stays where it is before anything else.
     * Called before the end of the text only.
     */
    private void skipLiteral() {
        char c = sql.charAt(pos);
        if (c == '\'') {
            skipString(backslashStrings);
            return;
        }
        if ((c == 'e' || c == 'E') && pos + 1 < sql.length() && sql.charAt(pos + 1) == '\''
                && (pos == 0 || !isIdentifierPart(sql.charAt(pos - 1)))) {
            pos++;
            skipString(true);
            return;
        }
        if (unicodePrefix()) {
            pos += 2;
            if (sql.charAt(pos) == '\'') {
                skipString(false);
            } else {
                quotedIdentifier();
            }
            skipUescape();
            return;
        }
        if (c == '"') {
            quotedIdentifier();
            return;
        }
        if (c == '$') {
            dollarTag().ifPresent(this::skipDollarQuoted);
        }
    }

    /** Whether {@code U&'} or {@code U&"} starts at {@code pos}. */
    private boolean unicodePrefix() {
        return pos + 2 < sql.length() && (sql.charAt(pos) == 'u' || sql.charAt(pos) == 'U') && sql.charAt(pos + 1) == '&'
                && (sql.charAt(pos + 2) == '\'' || sql.charAt(pos + 2) == '"')
                && (pos == 0 || !isIdentifierPart(sql.charAt(pos - 1)));
    }

    /** Skips {@code UESCAPE 'c'} after a {@code U&} literal or identifier; returns the escape character. */
    private char skipUescape() {
        int saved = pos;
        if (keyword("uescape")) {
            skipTriviaAll();
            if (pos + 2 < sql.length() && sql.charAt(pos) == '\'' && sql.charAt(pos + 2) == '\'') {
                char escape = sql.charAt(pos + 1);
                pos += 3;
                return escape;
            }
        }
        pos = saved;
        return '\\';
    }

    /**
     * Whether {@code word} starts at {@code pos} and ends there: called where a word starts (after punctuation, a
     * literal or a comment, never inside a word), so that {@code $$x$$FROM} is a FROM as PostgreSQL reads it.
     */
    private boolean keywordAhead(String word) {
        return sql.regionMatches(true, pos, word, 0, word.length())
                && (pos + word.length() == sql.length() || !isIdentifierPart(sql.charAt(pos + word.length())));
    }

    /** The next word (lower-cased), skipping comments, literals, quoted identifiers and punctuation; null at the end. */
    private String nextWord() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (skipTrivia()) {
                continue;
            }
            int before = pos;
            skipLiteral();
            if (pos != before) {
                continue;
            }
            if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '_' || sql.charAt(pos) == '$')) {
                    pos++;
                }
                return sql.substring(start, pos).toLowerCase(Locale.ROOT);
            } else {
                pos++;
            }
        }
        return null;
    }

    private boolean keyword(String word) {
        int saved = pos;
        while (skipTrivia()) {
            // skip whitespace and comments
        }
        if (sql.regionMatches(true, pos, word, 0, word.length())
                && (pos + word.length() == sql.length() || !isIdentifierPart(sql.charAt(pos + word.length())))) {
            pos += word.length();
            return true;
        }
        pos = saved;
        return false;
    }

    /** A possibly schema-qualified, possibly quoted name. */
    private java.util.Optional<TableName> name() {
        while (skipTrivia()) {
            // skip whitespace and comments
        }
        String first = identifier();
        if (first == null) {
            return java.util.Optional.empty();
        }
        int saved = pos;
        while (skipTrivia()) {
            // skip whitespace and comments
        }
        if (pos < sql.length() && sql.charAt(pos) == '.') {
            pos++;
            while (skipTrivia()) {
                // skip whitespace and comments
            }
            String second = identifier();
            if (second != null) {
                return java.util.Optional.of(TableName.of(first, second));
            }
        }
        pos = saved;
        return java.util.Optional.of(TableName.of(first));
    }

    private String identifier() {
        if (pos >= sql.length()) {
            return null;
        }
        char c = sql.charAt(pos);
        if (c == '"') {
            return quotedIdentifier();
        }
        if (unicodePrefix() && sql.charAt(pos + 2) == '"') {
            pos += 2;
            String raw = quotedIdentifier();
            return unescapeUnicode(raw, skipUescape());
        }
        if (!Character.isLetter(c) && c != '_') {
            return null;
        }
        int start = pos;
        while (pos < sql.length() && isIdentifierPart(sql.charAt(pos))) {
            pos++;
        }
        return sql.substring(start, pos).toLowerCase(Locale.ROOT);
    }

    /** The text of a {@code U&"..."} identifier: {@code \XXXX} and {@code \+XXXXXX} code points, a doubled escape. */
    private static String unescapeUnicode(String raw, char escape) {
        try {
            return unescape(raw, escape);
        } catch (NumberFormatException invalidEscape) {
            return raw; // PostgreSQL refuses the statement itself
        }
    }

    private static String unescape(String raw, char escape) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != escape || i + 1 >= raw.length()) {
                text.append(c);
            } else if (raw.charAt(i + 1) == escape) {
                text.append(escape);
                i++;
            } else if (raw.charAt(i + 1) == '+' && i + 8 <= raw.length()) {
                text.appendCodePoint(Integer.parseInt(raw.substring(i + 2, i + 8), 16));
                i += 7;
            } else if (i + 5 <= raw.length()) {
                text.appendCodePoint(Integer.parseInt(raw.substring(i + 1, i + 5), 16));
                i += 4;
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private String quotedIdentifier() {
        StringBuilder name = new StringBuilder();
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos++);
            if (c == '"') {
                if (pos < sql.length() && sql.charAt(pos) == '"') {
                    name.append('"');
                    pos++;
                } else {
                    return name.toString();
                }
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }

    private void skipColumnList() {
        int saved = pos;
        while (skipTrivia()) {
            // skip whitespace and comments
        }
        if (pos < sql.length() && sql.charAt(pos) == '(') {
            int depth = 0;
            while (pos < sql.length()) {
                char c = sql.charAt(pos++);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    return;
                }
            }
        }
        pos = saved;
    }

    /** Skips whitespace or one comment; true if something was skipped. */
    private boolean skipTrivia() {
        if (pos >= sql.length()) {
            return false;
        }
        char c = sql.charAt(pos);
        if (Character.isWhitespace(c)) {
            pos++;
            return true;
        }
        if (c == '-' && pos + 1 < sql.length() && sql.charAt(pos + 1) == '-') {
            int end = sql.indexOf('\n', pos);
            pos = end == -1 ? sql.length() : end + 1;
            return true;
        }
        if (c == '/' && pos + 1 < sql.length() && sql.charAt(pos + 1) == '*') {
            int depth = 0;
            while (pos < sql.length()) {
                if (sql.startsWith("/*", pos)) {
                    depth++;
                    pos += 2;
                } else if (sql.startsWith("*/", pos)) {
                    depth--;
                    pos += 2;
                    if (depth == 0) {
                        break;
                    }
                } else {
                    pos++;
                }
            }
            return true;
        }
        return false;
    }

    private void skipString(boolean backslashEscapes) {
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos++);
            if (c == '\\' && backslashEscapes) {
                pos++;
            } else if (c == '\'') {
                if (pos < sql.length() && sql.charAt(pos) == '\'') {
                    pos++;
                } else {
                    return;
                }
            }
        }
    }

    /** The tag of a dollar quote starting at {@code pos} ({@code $$}, {@code $tag$}); empty for a {@code $1} or a lone {@code $}. */
    private java.util.Optional<String> dollarTag() {
        int end = pos + 1;
        while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
            end++;
        }
        if (end < sql.length() && sql.charAt(end) == '$' && !Character.isDigit(sql.charAt(pos + 1))) {
            return java.util.Optional.of(sql.substring(pos, end + 1));
        }
        return java.util.Optional.empty();
    }

    private void skipDollarQuoted(String tag) {
        int close = sql.indexOf(tag, pos + tag.length());
        pos = close == -1 ? sql.length() : close + tag.length();
    }
}
