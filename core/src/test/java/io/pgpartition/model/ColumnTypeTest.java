package io.pgpartition.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the server does to a value before it routes it, as far as the model knows it: the built-in type a domain
 * stores its values as decides the length, the blank padding and the precision, never the domain's name.
 */
class ColumnTypeTest {

    private static ColumnType text(String sqlName, String storedAs) {
        return ColumnType.of(sqlName, ValueKind.TEXT, storedAs);
    }

    @ParameterizedTest(name = "{0} stored as {1}: ''{2}''")
    @CsvSource(delimiterString = " | ", quoteCharacter = '`', value = {
            "character varying(3) | character varying(3) | `abc` | ",
            "character varying(3) | character varying(3) | `abc ` | the column character varying(3) keeps at most 3 characters of 'abc '",
            "character varying(3) | character varying(3) | `ééé` | ",
            "character varying(3) | character varying(3) | `éééé` | the column character varying(3) keeps at most 3 characters of 'éééé'",
            "character(4) | character(4) | `a   ` | ",
            "character(4) | character(4) | `a    ` | the column character(4) keeps at most 4 characters of 'a    '",
            "d_char | character(2) | `ab ` | the column d_char keeps at most 2 characters of 'ab '",
            "d_varchar | CHARACTER VARYING(1) | `ab` | the column d_varchar keeps at most 1 characters of 'ab'",
            "character varying | character varying | `any length at all` | ",
            "text | text | `any length at all` | ",
            "bpchar | bpchar | `any length at all` | ",
            "d_text | text | `any length at all` | "})
    void aTextLongerThanItsColumnIsLeftToTheServer(String sqlName, String storedAs, String value, String reason) {
        assertThat(text(sqlName, storedAs).inexact(value)).as("%s '%s'", sqlName, value).isEqualTo(Optional.ofNullable(reason));
    }

    @Test
    void aDomainIsBlankPaddedWhenItsBaseTypeIs() {
        assertThat(text("d_char", "character(4)").isBlankPadded()).isTrue();
        assertThat(text("d_char", "bpchar").isBlankPadded()).isTrue();
        assertThat(text("character", "character").isBlankPadded()).isTrue();
        assertThat(text("character(4)", null).isBlankPadded()).as("storedAs defaults to the name").isTrue();
        assertThat(text("d_varchar", "character varying(4)").isBlankPadded()).isFalse();
        assertThat(text("character varying(4)", null).isBlankPadded()).isFalse();
        assertThat(text("d_char", "character(4)").coerce("a   ")).as("compared without its padding").isEqualTo("a");
        assertThat(text("d_char", "character(4)").parse("a   ")).isEqualTo("a");
        assertThat(text("d_varchar", "character varying(4)").coerce("a   ")).isEqualTo("a   ");
    }

    @Test
    void aDomainRoundsTimesToItsBaseTypesPrecision() {
        LocalDateTime fraction = LocalDateTime.of(2024, 1, 1, 23, 59, 59, 999_999_000);
        ColumnType ts0 = ColumnType.of("d_ts0", ValueKind.TIMESTAMP, "timestamp(0) without time zone");
        assertThat(ts0.inexact(fraction)).contains("the column d_ts0 rounds 2024-01-01T23:59:59.999999 to 0 fractional digits");
        assertThat(ts0.inexact(fraction.withNano(0))).isEmpty();
        ColumnType tstz3 = ColumnType.of("d_tstz3", ValueKind.TIMESTAMPTZ, "timestamp(3) with time zone");
        assertThat(tstz3.inexact(Instant.parse("2024-01-01T00:00:00.001Z"))).isEmpty();
        assertThat(tstz3.inexact(Instant.parse("2024-01-01T00:00:00.0015Z"))).isPresent();
        ColumnType unknown = ColumnType.of("d_unknown", ValueKind.TIMESTAMP);
        assertThat(unknown.inexact(fraction)).as("a precision not known: any fraction is left to the server")
                .contains("the column d_unknown rounds 2024-01-01T23:59:59.999999 to its precision");
        assertThat(unknown.inexact(fraction.withNano(0))).isEmpty();
        assertThat(ColumnType.of("timestamp without time zone", ValueKind.TIMESTAMP).inexact(fraction)).isEmpty();
        assertThat(ts0.inexact(java.time.OffsetDateTime.of(fraction, java.time.ZoneOffset.UTC))).as("an OffsetDateTime's fraction").isPresent();
        assertThat(ts0.inexact(java.time.ZonedDateTime.of(fraction, java.time.ZoneOffset.UTC))).as("a ZonedDateTime's fraction").isPresent();
        assertThat(ts0.inexact(java.time.ZonedDateTime.of(fraction.withNano(0), java.time.ZoneOffset.UTC))).isEmpty();
    }

    @Test
    void numbersFinerThanTheScaleAreLeftToTheServer() {
        ColumnType whole = ColumnType.of("d_whole", ValueKind.NUMERIC, "numeric(10)");
        assertThat(whole.inexact(new java.math.BigDecimal("15"))).isEmpty();
        assertThat(whole.inexact(new java.math.BigDecimal("1.5"))).contains("the column d_whole rounds 1.5 to 0 decimal digits");
        ColumnType cents = ColumnType.of("d_cents", ValueKind.NUMERIC, "numeric(10,2)");
        assertThat(cents.inexact(new java.math.BigDecimal("1.25"))).isEmpty();
        assertThat(cents.inexact(new java.math.BigDecimal("1.250"))).as("trailing zeros do not count").isEmpty();
        assertThat(cents.inexact(new java.math.BigDecimal("1.255"))).contains("the column d_cents rounds 1.255 to 2 decimal digits");
        assertThat(ColumnType.of("numeric", ValueKind.NUMERIC).inexact(new java.math.BigDecimal("1.2345678901"))).isEmpty();
    }

    @Test
    void aTypeThatIsNoDomainIsStoredAsItself() {
        assertThat(ColumnType.of("date", ValueKind.DATE).storedAs()).isEqualTo("date");
        assertThat(new ColumnType("t", ValueKind.ENUM, List.of("a")).storedAs()).isEqualTo("t");
        assertThat(ColumnType.of("d", ValueKind.DATE, "date")).isNotEqualTo(ColumnType.of("d", ValueKind.DATE));
    }
}
