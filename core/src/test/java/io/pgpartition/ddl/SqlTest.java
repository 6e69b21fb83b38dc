package io.pgpartition.ddl;

import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.model.TableName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "chat_messages | \"chat_messages\"",
            "MixedCase | \"MixedCase\"",
            "with space | \"with space\"",
            "weird\"name | \"weird\"\"name\"",
            "\"\" | \"\"\"\"\"\"",
            "`semi;colon -- x` | `\"semi;colon -- x\"`",
            "ünï ✓ | \"ünï ✓\""})
    void quotesEveryIdentifier(String name, String quoted) {
        assertThat(Sql.identifier(name)).as("identifier %s", name).isEqualTo(quoted);
    }

    @Test
    void quotesSchemaAndTableSeparately() {
        assertThat(Sql.table(TableName.of("Sales Data", "Orders.2024"))).as("the dot inside a name is not a separator")
                .isEqualTo("\"Sales Data\".\"Orders.2024\"");
        assertThat(Sql.table(TableName.of("orders"))).as("unqualified").isEqualTo("\"orders\"");
    }

    @Test
    void acceptsSixtyThreeBytesAndRefusesSixtyFour() {
        assertThat(Sql.identifier("a".repeat(63))).as("63 ASCII bytes").isEqualTo("\"" + "a".repeat(63) + "\"");
        assertThat(Sql.identifier("€".repeat(21))).as("21 three-byte characters are 63 bytes").hasSize(23);
        assertThatThrownBy(() -> Sql.identifier("a".repeat(64)))
                .as("64 bytes would be truncated silently by PostgreSQL")
                .isInstanceOf(PartitioningException.class)
                .hasMessage("Name \"" + "a".repeat(64) + "\" is 64 bytes long in UTF-8; PostgreSQL keeps at most 63 bytes and would "
                        + "silently truncate it. Choose a shorter table name or naming pattern.")
                .extracting(e -> ((PartitioningException) e).getCode()).isEqualTo(ErrorCode.IDENTIFIER_INVALID);
        assertThatThrownBy(() -> Sql.identifier("€".repeat(22)))
                .as("bytes are counted in UTF-8, not characters")
                .hasMessageContaining("is 66 bytes long in UTF-8");
        assertThat(Sql.identifier("\uD83D\uDCC5".repeat(15))).as("15 four-byte characters (surrogate pairs) are 60 bytes").hasSize(32);
        assertThatThrownBy(() -> Sql.identifier("\uD83D\uDCC5".repeat(16)))
                .as("16 four-byte characters are 64 bytes")
                .hasMessageContaining("is 64 bytes long in UTF-8");
    }

    @Test
    void refusesEmptyAndNulIdentifiers() {
        assertThatThrownBy(() -> Sql.identifier(""))
                .hasMessage("An empty name cannot be used as a PostgreSQL identifier. Give the table, partition or schema a name.");
        assertThatThrownBy(() -> Sql.identifier("a\0b"))
                .hasMessage("Name \"a\\0b\" contains a NUL character, which PostgreSQL identifiers cannot hold. Remove it.");
    }

    @Test
    void rendersLiterals() {
        assertThat(Sql.literal(null)).as("null").isEqualTo("NULL");
        assertThat(Sql.literal(true)).as("true").isEqualTo("TRUE");
        assertThat(Sql.literal(-5_000_000_000L)).as("long").isEqualTo("-5000000000");
        assertThat(Sql.literal(new BigDecimal("1E+3"))).as("BigDecimal in plain notation").isEqualTo("1000");
        assertThat(Sql.literal(0.25d)).as("double").isEqualTo("0.25");
        assertThat(Sql.literal("O'Brien")).as("quotes doubled").isEqualTo("'O''Brien'");
        assertThat(Sql.literal("a\\b")).as("backslash: E form, doubled").isEqualTo("E'a\\\\b'");
        assertThat(Sql.literal("$$; DROP TABLE x; --")).as("dollar quotes are plain text inside a literal")
                .isEqualTo("'$$; DROP TABLE x; --'");
        assertThat(Sql.literal(LocalDate.of(2024, 4, 1))).as("date").isEqualTo("'2024-04-01'");
        assertThat(Sql.literal(LocalDate.MAX)).as("infinite date").isEqualTo("'infinity'");
        assertThat(Sql.literal(LocalDate.of(-43, 3, 15))).as("BC date").isEqualTo("'0044-03-15 BC'");
        assertThat(Sql.literal(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 500_000_000))).as("timestamp with fraction")
                .isEqualTo("'2024-01-01 00:00:00.5'");
        assertThat(Sql.literal(Instant.parse("2025-03-30T01:00:00Z"))).as("instant in UTC").isEqualTo("'2025-03-30 01:00:00+00'");
        assertThat(Sql.literal(OffsetDateTime.of(2025, 3, 30, 3, 0, 0, 0, ZoneOffset.ofHours(2))))
                .as("offset date-time as its instant").isEqualTo("'2025-03-30 01:00:00+00'");
        assertThat(Sql.literal(UUID.fromString("0e37df36-f698-11e6-8dd4-cb9ced3df976"))).as("uuid")
                .isEqualTo("'0e37df36-f698-11e6-8dd4-cb9ced3df976'");
        assertThat(Sql.literal(ErrorCode.MAPPING_INVALID)).as("enum constant by name").isEqualTo("'MAPPING_INVALID'");
    }

    @Test
    void refusesValuesWithoutAnExactLiteral() {
        assertThatThrownBy(() -> Sql.literal("a\0b"))
                .hasMessage("Text 'a\\0b' contains a NUL character, which PostgreSQL text cannot hold. Remove it.");
        assertThatThrownBy(() -> Sql.literal(Double.NaN))
                .hasMessage("Value NaN has no exact SQL literal. Use a finite number or BigDecimal.");
        assertThatThrownBy(() -> Sql.literal(new Object() {
            @Override
            public String toString() {
                return "thing";
            }
        })).hasMessageStartingWith("Cannot render a io.pgpartition.ddl.SqlTest$").hasMessageEndingWith(
                " as a SQL literal: thing. Pass text, a number, a boolean, a UUID or a java.time date/time.");
    }
}
