package io.pgpartition.catalog;

import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.BoundParser.Datum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundParserTest {

    private static Datum literal(String text) {
        return new Datum(Datum.Kind.LITERAL, text);
    }

    @Test
    void readsEveryBoundForm() {
        assertThat(BoundParser.parse("DEFAULT")).as("default").isEqualTo(new BoundParser.Default());
        assertThat(BoundParser.parse("FOR VALUES IN ('items', NULL, 5)")).as("list with null and a bare number")
                .isEqualTo(new BoundParser.InList(List.of(literal("items"), new Datum(Datum.Kind.NULL, null), literal("5"))));
        assertThat(BoundParser.parse("FOR VALUES FROM ('a', MINVALUE) TO (MAXVALUE, MAXVALUE)")).as("range with infinite values")
                .isEqualTo(new BoundParser.Range(List.of(literal("a"), new Datum(Datum.Kind.MINVALUE, null)),
                        List.of(new Datum(Datum.Kind.MAXVALUE, null), new Datum(Datum.Kind.MAXVALUE, null))));
        assertThat(BoundParser.parse("FOR VALUES WITH (modulus 8, remainder 3)")).as("hash")
                .isEqualTo(new BoundParser.Hash(8, 3));
    }

    @Test
    void unquotesLiteralsExactly() {
        assertThat(BoundParser.parse("FOR VALUES IN ('O''Brien', 'a,b)', 'back\\slash', E'e\\\\scaped', '-5'::integer)"))
                .as("doubled quotes, commas and parentheses inside quotes, plain and E'' backslashes, casts skipped")
                .isEqualTo(new BoundParser.InList(List.of(literal("O'Brien"), literal("a,b)"), literal("back\\slash"),
                        literal("e\\scaped"), literal("-5"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "FOR VALUES", "FOR VALUES IN ('a'", "FOR VALUES IN ('a') extra", "FOR VALUES BETWEEN (1) AND (2)",
            "FOR VALUES WITH (modulus x, remainder 1)", "FOR VALUES IN ('unterminated)"})
    void refusesTextItDoesNotUnderstand(String text) {
        assertThatThrownBy(() -> BoundParser.parse(text))
                .as("malformed bound text is a clear catalog error, never a wrong model")
                .isInstanceOf(PartitioningException.class)
                .hasMessageStartingWith("Cannot read partition bound '" + text + "': ");
    }

    @Test
    void splitsExpressionKeysAtTopLevelCommas() {
        assertThat(CatalogReader.expressionAt("RANGE (a, lower((b)::text), date_trunc('day'::text, c))", 1))
                .as("second element").isEqualTo("lower((b)::text)");
        assertThat(CatalogReader.expressionAt("RANGE (a, lower((b)::text), date_trunc('day'::text, c))", 2))
                .as("a comma inside parentheses does not split").isEqualTo("date_trunc('day'::text, c)");
        assertThat(CatalogReader.expressionAt("LIST (((x + 1)))", 0)).as("outer parentheses are removed").isEqualTo("(x + 1)");
        assertThat(CatalogReader.expressionAt("LIST ((a || '\"'::text), b)", 1))
                .as("a double quote inside a string literal opens no quoted identifier").isEqualTo("b");
        assertThat(CatalogReader.expressionAt("RANGE (\"a,b\", lower(('x,'::text || c)))", 1))
                .as("commas inside a quoted identifier and a literal do not split").isEqualTo("lower(('x,'::text || c))");
    }

    @Test
    void readsLiteralsAndCastsAsTheLexerReadsThem() {
        assertThat(BoundParser.parse("FOR VALUES FROM ('2024-01-01 00:00:00+00'::timestamp with time zone) "
                + "TO ('a\"b'::\"my type\"(3))")).as("a cast with spaces, a quoted type name and a modifier is skipped whole")
                .isEqualTo(new BoundParser.Range(List.of(literal("2024-01-01 00:00:00+00")), List.of(literal("a\"b"))));
    }
}
