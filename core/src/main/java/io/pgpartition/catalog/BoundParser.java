package io.pgpartition.catalog;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the text of {@code pg_get_expr(relpartbound, oid)} into untyped values: {@code DEFAULT},
 * {@code FOR VALUES IN (...)}, {@code FOR VALUES FROM (...) TO (...)} and
 * {@code FOR VALUES WITH (modulus m, remainder r)}. Values stay text until the key's types give them meaning.
 */
final class BoundParser {

    /** One value as PostgreSQL wrote it. */
    record Datum(Kind kind, String text) {
        enum Kind { LITERAL, NULL, MINVALUE, MAXVALUE }
    }

    sealed interface Parsed permits Range, InList, Hash, Default {
    }

    record Range(List<Datum> from, List<Datum> to) implements Parsed {
    }

    record InList(List<Datum> values) implements Parsed {
    }

    record Hash(int modulus, int remainder) implements Parsed {
    }

    record Default() implements Parsed {
    }

    private final String text;
    private int pos;

    private BoundParser(String text) {
        this.text = text;
    }

    static Parsed parse(String text) {
        try {
            return new BoundParser(text).bound();
        } catch (RuntimeException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE,
                    "Cannot read partition bound '" + text + "': " + e.getMessage(), e);
        }
    }

    private Parsed bound() {
        if (keyword("DEFAULT")) {
            end();
            return new Default();
        }
        expectKeyword("FOR");
        expectKeyword("VALUES");
        Parsed parsed;
        if (keyword("IN")) {
            parsed = new InList(datums());
        } else if (keyword("FROM")) {
            List<Datum> from = datums();
            expectKeyword("TO");
            parsed = new Range(from, datums());
        } else if (keyword("WITH")) {
            expect('(');
            expectKeyword("MODULUS");
            int modulus = Integer.parseInt(word());
            expect(',');
            expectKeyword("REMAINDER");
            int remainder = Integer.parseInt(word());
            expect(')');
            parsed = new Hash(modulus, remainder);
        } else {
            throw new IllegalArgumentException("expected IN, FROM or WITH at position " + pos);
        }
        end();
        return parsed;
    }

    private List<Datum> datums() {
        expect('(');
        List<Datum> values = new ArrayList<>();
        do {
            values.add(datum());
        } while (accept(','));
        expect(')');
        return values;
    }

    private Datum datum() {
        skipSpace();
        Datum datum;
        if (peek() == '\'' || ((peek() == 'E' || peek() == 'e') && pos + 1 < text.length() && text.charAt(pos + 1) == '\'')) {
            datum = new Datum(Datum.Kind.LITERAL, quoted());
        } else {
            String word = word();
            datum = switch (word.toUpperCase(Locale.ROOT)) {
                case "NULL" -> new Datum(Datum.Kind.NULL, null);
                case "MINVALUE" -> new Datum(Datum.Kind.MINVALUE, null);
                case "MAXVALUE" -> new Datum(Datum.Kind.MAXVALUE, null);
                default -> new Datum(Datum.Kind.LITERAL, word);
            };
        }
        skipCast();
        return datum;
    }

    /** Skips a {@code ::type} decoration, which PostgreSQL may add to a constant. */
    private void skipCast() {
        skipSpace();
        if (!text.startsWith("::", pos)) {
            return;
        }
        int depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (depth == 0) {
                    return;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return;
            } else if (c == '"') {
                pos = text.indexOf('"', pos + 1);
            }
            pos++;
        }
    }

    private String quoted() {
        boolean escapes = peek() != '\'';
        if (escapes) {
            pos++;
        }
        pos++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unterminated quoted value");
            }
            char c = text.charAt(pos++);
            if (c == '\'') {
                if (pos < text.length() && text.charAt(pos) == '\'') {
                    value.append('\'');
                    pos++;
                } else {
                    return value.toString();
                }
            } else if (c == '\\' && escapes && pos < text.length()) {
                value.append(text.charAt(pos++));
            } else {
                value.append(c);
            }
        }
    }

    private String word() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && "(),' ".indexOf(text.charAt(pos)) < 0 && !text.startsWith("::", pos)) {
            pos++;
        }
        if (start == pos) {
            throw new IllegalArgumentException("expected a value at position " + pos);
        }
        return text.substring(start, pos);
    }

    private boolean keyword(String word) {
        skipSpace();
        int end = pos + word.length();
        if (text.regionMatches(true, pos, word, 0, word.length())
                && (end == text.length() || !Character.isLetter(text.charAt(end)))) {
            pos = end;
            return true;
        }
        return false;
    }

    private void expectKeyword(String word) {
        if (!keyword(word)) {
            throw new IllegalArgumentException("expected " + word + " at position " + pos);
        }
    }

    private boolean accept(char c) {
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!accept(c)) {
            throw new IllegalArgumentException("expected '" + c + "' at position " + pos);
        }
    }

    private void end() {
        skipSpace();
        if (pos != text.length()) {
            throw new IllegalArgumentException("unexpected text at position " + pos);
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
