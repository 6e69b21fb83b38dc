package io.pgpartition.catalog;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.internal.sql.SqlLexer;

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

    private final SqlLexer lexer;

    private BoundParser(String text) {
        this.lexer = new SqlLexer(text, false);
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
        if (lexer.keyword("DEFAULT")) {
            end();
            return new Default();
        }
        expectKeyword("FOR");
        expectKeyword("VALUES");
        Parsed parsed;
        if (lexer.keyword("IN")) {
            parsed = new InList(datums());
        } else if (lexer.keyword("FROM")) {
            List<Datum> from = datums();
            expectKeyword("TO");
            parsed = new Range(from, datums());
        } else if (lexer.keyword("WITH")) {
            expect('(');
            expectKeyword("MODULUS");
            int modulus = Integer.parseInt(word());
            expect(',');
            expectKeyword("REMAINDER");
            int remainder = Integer.parseInt(word());
            expect(')');
            parsed = new Hash(modulus, remainder);
        } else {
            throw new IllegalArgumentException("expected IN, FROM or WITH at position " + lexer.position());
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
        lexer.skipTriviaAll();
        String literal = lexer.stringLiteral();
        Datum datum;
        if (literal != null) {
            datum = new Datum(Datum.Kind.LITERAL, literal);
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

    /** Skips a {@code ::type} decoration, which PostgreSQL may add to a constant, up to the next comma or closing parenthesis. */
    private void skipCast() {
        lexer.skipTriviaAll();
        if (!lexer.startsWith("::")) {
            return;
        }
        int depth = 0;
        while (!lexer.atEnd()) {
            int before = lexer.position();
            lexer.skipLiteral();
            if (lexer.position() != before) {
                continue;
            }
            char c = lexer.peek();
            if (c == ')' && depth == 0 || c == ',' && depth == 0) {
                return;
            }
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            lexer.advance();
        }
    }

    /** A bare value: the text up to a parenthesis, a comma, a quote, a space or a cast. */
    private String word() {
        lexer.skipTriviaAll();
        int start = lexer.position();
        while (!lexer.atEnd() && "(),' ".indexOf(lexer.peek()) < 0 && !lexer.startsWith("::")) {
            lexer.advance();
        }
        if (start == lexer.position()) {
            throw new IllegalArgumentException("expected a value at position " + start);
        }
        return lexer.textFrom(start);
    }

    private void expectKeyword(String word) {
        if (!lexer.keyword(word)) {
            throw new IllegalArgumentException("expected " + word + " at position " + lexer.position());
        }
    }

    private boolean accept(char c) {
        lexer.skipTriviaAll();
        return lexer.accept(c);
    }

    private void expect(char c) {
        if (!accept(c)) {
            throw new IllegalArgumentException("expected '" + c + "' at position " + lexer.position());
        }
    }

    private void end() {
        lexer.skipTriviaAll();
        if (!lexer.atEnd()) {
            throw new IllegalArgumentException("unexpected text at position " + lexer.position());
        }
    }
}
