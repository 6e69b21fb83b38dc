package io.pgpartition.internal.sql;

import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A cursor over SQL text that reads it as PostgreSQL's lexer does: whitespace and comments (nested block comments
 * included), string literals (plain, {@code E''}, {@code U&''} with {@code UESCAPE}, dollar-quoted), identifiers
 * (unquoted ones folded to lower case, quoted, {@code U&""} with their escapes) and words. With
 * {@code backslashStrings}, a backslash escapes in plain string literals ({@code standard_conforming_strings = off}).
 */
public final class SqlLexer {

    /** {@code DISTINCT} ending the text before a position, as in {@code IS DISTINCT FROM}. */
    private static final Pattern DISTINCT_BEFORE = Pattern.compile("(?:^|[^\\p{L}\\p{N}_$])distinct\\s*$", Pattern.CASE_INSENSITIVE);

    private final String sql;
    private final boolean backslashStrings;
    private int pos;

    public SqlLexer(String sql, boolean backslashStrings) {
        this.sql = sql;
        this.backslashStrings = backslashStrings;
    }

    /** Where the cursor is, to come back to with {@link #reset}. */
    public int position() {
        return pos;
    }

    public void reset(int position) {
        pos = position;
    }

    public boolean atEnd() {
        return pos >= sql.length();
    }

    /** Whether the character at the cursor is {@code c}. */
    public boolean at(char c) {
        return pos < sql.length() && sql.charAt(pos) == c;
    }

    /** The character at the cursor; called before the end only. */
    public char peek() {
        return sql.charAt(pos);
    }

    /** Moves past one character. */
    public void advance() {
        pos++;
    }

    /** Moves past {@code c} if it is at the cursor. */
    public boolean accept(char c) {
        if (at(c)) {
            pos++;
            return true;
        }
        return false;
    }

    /** Moves past a whole word of identifier characters, so that a keyword is only seen where a word starts. */
    public void skipWord() {
        while (pos < sql.length() && isIdentifierPart(sql.charAt(pos))) {
            pos++;
        }
    }

    /** Skips whitespace or one comment; true if something was skipped. */
    public boolean skipTrivia() {
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

    /**
     * Skips whitespace, one comment, or one literal or quoted identifier at the cursor; true if something was skipped.
     * Called before the end of the text only.
     */
    private boolean skipTriviaOrLiteral() {
        if (skipTrivia()) {
            return true;
        }
        int before = pos;
        skipLiteral();
        return pos != before;
    }

    /** Skips all whitespace and comments at the cursor. */
    public void skipTriviaAll() {
        while (skipTrivia()) {
            // skip whitespace and comments
        }
    }

    /**
     * Skips one literal or quoted identifier starting at the cursor: {@code '...'}, {@code E'...'}, {@code U&'...'},
     * {@code "..."}, {@code U&"..."}, a dollar-quoted string; the cursor stays where it is before anything else.
     * Called before the end of the text only.
     */
    public void skipLiteral() {
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

    /** Whether the text at the cursor starts with {@code prefix}. */
    public boolean startsWith(String prefix) {
        return sql.startsWith(prefix, pos);
    }

    /** The text from {@code from} to the cursor. */
    public String textFrom(int from) {
        return sql.substring(from, pos);
    }

    /**
     * The value of the string literal at the cursor, {@code '...'} or {@code E'...'}, moving past it: doubled quotes
     * read as one, backslashes escaping the next character in {@code E''} (and in {@code ''} with
     * {@code backslashStrings}); null, the cursor unmoved, when none starts there.
     *
     * @throws IllegalArgumentException when the literal is not closed
     */
    public String stringLiteral() {
        if (pos >= sql.length()) {
            return null;
        }
        boolean escaped = (sql.charAt(pos) == 'E' || sql.charAt(pos) == 'e') && pos + 1 < sql.length() && sql.charAt(pos + 1) == '\''
                && (pos == 0 || !isIdentifierPart(sql.charAt(pos - 1)));
        if (!escaped && sql.charAt(pos) != '\'') {
            return null;
        }
        boolean backslashes = escaped || backslashStrings;
        pos += escaped ? 2 : 1;
        StringBuilder value = new StringBuilder();
        if (!readQuoted('\'', backslashes, value)) {
            throw new IllegalArgumentException("unterminated quoted value");
        }
        return value.toString();
    }

    /**
     * Reads up to and past the closing {@code quote} from just after the opening one: a doubled quote is one quote
     * character, and with {@code backslashes} a backslash takes the next character as it is. Appends what is read to
     * {@code value} when given.
     *
     * @return false when the text ended before the closing quote
     */
    private boolean readQuoted(char quote, boolean backslashes, StringBuilder value) {
        while (pos < sql.length()) {
            char c = sql.charAt(pos++);
            if (c == quote) {
                if (pos < sql.length() && sql.charAt(pos) == quote) {
                    pos++;
                } else {
                    return true;
                }
            } else if (c == '\\' && backslashes && pos < sql.length()) {
                c = sql.charAt(pos++);
            }
            if (value != null) {
                value.append(c);
            }
        }
        return false;
    }

    /**
     * The rest of the text cut at each {@code separator} that stands outside parentheses, literals, quoted
     * identifiers and comments, each piece trimmed; the cursor ends at the end of the text.
     */
    public List<String> splitTopLevel(char separator) {
        List<String> pieces = new ArrayList<>();
        int start = pos;
        int depth = 0;
        while (pos < sql.length()) {
            if (skipTriviaOrLiteral()) {
                continue;
            }
            char c = sql.charAt(pos);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == separator && depth == 0) {
                pieces.add(sql.substring(start, pos).trim());
                start = pos + 1;
            }
            pos++;
        }
        pieces.add(sql.substring(start).trim());
        return pieces;
    }

    /** Whether {@code U&'} or {@code U&"} starts at the cursor. */
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
     * Whether {@code word} starts at the cursor and ends there: called where a word starts (after punctuation, a
     * literal or a comment, never inside a word), so that {@code $$x$$FROM} is a FROM as PostgreSQL reads it.
     */
    public boolean keywordAhead(String word) {
        return sql.regionMatches(true, pos, word, 0, word.length())
                && (pos + word.length() == sql.length() || !isIdentifierPart(sql.charAt(pos + word.length())));
    }

    /** Whether the word before the cursor is {@code DISTINCT}: a {@code FROM} at the cursor is then no FROM clause. */
    public boolean afterDistinct() {
        return DISTINCT_BEFORE.matcher(sql).region(0, pos).find();
    }

    /** The next word (lower-cased), skipping comments, literals, quoted identifiers and punctuation; null at the end. */
    public String nextWord() {
        while (pos < sql.length()) {
            if (skipTriviaOrLiteral()) {
                continue;
            }
            char c = sql.charAt(pos);
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

    /** Moves past {@code word} (after whitespace and comments) if it is the next word; otherwise stays. */
    public boolean keyword(String word) {
        int saved = pos;
        skipTriviaAll();
        if (sql.regionMatches(true, pos, word, 0, word.length())
                && (pos + word.length() == sql.length() || !isIdentifierPart(sql.charAt(pos + word.length())))) {
            pos += word.length();
            return true;
        }
        pos = saved;
        return false;
    }

    /** A possibly schema-qualified, possibly quoted name, after whitespace and comments. */
    public Optional<TableName> name() {
        skipTriviaAll();
        String first = identifier();
        if (first == null) {
            return Optional.empty();
        }
        int saved = pos;
        skipTriviaAll();
        if (pos < sql.length() && sql.charAt(pos) == '.') {
            pos++;
            skipTriviaAll();
            String second = identifier();
            if (second != null) {
                return Optional.of(TableName.of(first, second));
            }
        }
        pos = saved;
        return Optional.of(TableName.of(first));
    }

    /** The identifier at the cursor as PostgreSQL names it, or null (the cursor unmoved) when none starts there. */
    public String identifier() {
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
            return UnicodeEscapes.decode(raw, skipUescape());
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

    /** Whether a character continues an unquoted identifier. */
    public static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private String quotedIdentifier() {
        StringBuilder name = new StringBuilder();
        pos++;
        readQuoted('"', false, name);
        return name.toString();
    }

    /** Skips a parenthesized list after whitespace and comments, {@code (a, b)}; stays when none is there. */
    public void skipParenthesized() {
        int saved = pos;
        skipTriviaAll();
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

    private void skipString(boolean backslashEscapes) {
        pos++;
        readQuoted('\'', backslashEscapes, null);
    }

    /** The tag of a dollar quote starting at the cursor ({@code $$}, {@code $tag$}); empty for a {@code $1} or a lone {@code $}. */
    private Optional<String> dollarTag() {
        int end = pos + 1;
        while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
            end++;
        }
        if (end < sql.length() && sql.charAt(end) == '$' && !Character.isDigit(sql.charAt(pos + 1))) {
            return Optional.of(sql.substring(pos, end + 1));
        }
        return Optional.empty();
    }

    private void skipDollarQuoted(String tag) {
        int close = sql.indexOf(tag, pos + tag.length());
        pos = close == -1 ? sql.length() : close + tag.length();
    }
}
