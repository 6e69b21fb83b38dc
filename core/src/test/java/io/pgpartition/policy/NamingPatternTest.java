package io.pgpartition.policy;

import io.pgpartition.PartitionDefinitionException;
import io.pgpartition.model.PartitionStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamingPatternTest {

    private static NamingPattern pattern(String text) {
        return NamingPattern.parse(text, "@RangePartitions", "naming");
    }

    @ParameterizedTest
    @CsvSource({
            "'{table}_y{yyyy}m{MM}', claim_line_items, 2024-04-01, claim_line_items_y2024m04",
            "'{table}_y{yyyy}', claims_production, 2026-01-01, claims_production_y2026",
            "'{table}_{yyyy}_q{q}', chat_messages, 2024-10-01, chat_messages_2024_q4",
            "'{table}_{yyyy}_{MM}', generated_images, 2024-01-01, generated_images_2024_01",
            "'{table}_p{yyyy}{MM}{dd}', events, 2024-02-29, events_p20240229",
            "'{table}_{yyyy}w{ww}', events, 2024-12-30, events_2025w01"})
    void namesTimePartitionsLikeTheSeeds(String naming, String table, LocalDate start, String expected) {
        assertThat(pattern(naming).format(table, start)).as("%s for %s", naming, start).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0, 2", "7, 2", "12, 2", "123, 2", "5, 4", "987, 4", "2026, 4", "12345, 4", "-5, 4", "-2026, 4", "-12345, 4"})
    void padsDigitsAsPercentZeroDDoes(int value, int width) {
        assertThat(NamingPattern.padded(value, width)).isEqualTo(String.format("%0" + width + "d", value));
    }

    @Test
    void namesYearsBeforeTheFirstThousand() {
        assertThat(pattern("{table}_y{yyyy}m{MM}").format("ledger", LocalDate.of(987, 3, 1))).isEqualTo("ledger_y0987m03");
    }

    @Test
    void namesListNumericAndHashPartitions() {
        assertThat(NamingPattern.parse("{table}_{value}", "@ListPartition", "name").format("content_items", NamingPattern.Token.VALUE, "auto"))
                .as("list by value").isEqualTo("content_items_auto");
        assertThat(NamingPattern.parse("{table}_h{remainder}", "@HashPartitions", "naming")
                .format("chat_sessions", NamingPattern.Token.REMAINDER, "3"))
                .as("hash by remainder").isEqualTo("chat_sessions_h3");
    }

    @Test
    void refusesUnknownAndUnbalancedTokens() {
        assertThatThrownBy(() -> pattern("{table}_{month}"))
                .isInstanceOf(PartitionDefinitionException.class)
                .hasMessage("Invalid @RangePartitions(naming = \"{table}_{month}\"): expected one of the tokens {table}, {yyyy}, "
                        + "{MM}, {dd}, {q}, {ww}, {remainder}, {value} instead of {month}");
        assertThatThrownBy(() -> pattern("{table}_{yyyy"))
                .hasMessage("Invalid @RangePartitions(naming = \"{table}_{yyyy\"): expected a '}' closing the '{' at position 8; "
                        + "tokens are {table}, {yyyy}, {MM}, {dd}, {q}, {ww}, {remainder}, {value}");
        assertThatThrownBy(() -> pattern("{table}}"))
                .hasMessage("Invalid @RangePartitions(naming = \"{table}}\"): expected no '}' without a '{' (position 7); "
                        + "tokens are {table}, {yyyy}, {MM}, {dd}, {q}, {ww}, {remainder}, {value}");
        assertThatThrownBy(() -> pattern(" "))
                .hasMessage("Invalid @RangePartitions(naming = \" \"): expected a pattern of text and tokens "
                        + "{table}, {yyyy}, {MM}, {dd}, {q}, {ww}, {remainder}, {value}");
    }

    @Test
    void refusesPatternsWhoseNamesWouldCollide() {
        TimeInterval monthly = new TimeInterval(1, TimeUnit.MONTH);
        assertThatThrownBy(() -> pattern("{table}_{yyyy}").requireDistinctNames(PartitionStrategy.RANGE, monthly, "@RangePartitions", "naming"))
                .as("monthly partitions named by year alone")
                .hasMessage("Invalid @RangePartitions(naming = \"{table}_{yyyy}\"): expected {MM} in the pattern: without it, "
                        + "names of partitions of 1 month collide");
        assertThatThrownBy(() -> pattern("{table}_{yyyy}").requireDistinctNames(PartitionStrategy.RANGE,
                new TimeInterval(3, TimeUnit.MONTH), "@RangePartitions", "naming"))
                .as("quarterly partitions accept {q} too")
                .hasMessageEndingWith("expected {MM} or {q} in the pattern: without it, names of partitions of 3 months collide");
        assertThatThrownBy(() -> pattern("{table}_{MM}").requireDistinctNames(PartitionStrategy.RANGE, monthly, "@RangePartitions", "naming"))
                .as("without the year")
                .hasMessageEndingWith("expected {yyyy} in the pattern: without it, names of partitions of 1 month collide");
        assertThatThrownBy(() -> NamingPattern.parse("{table}_h", "@HashPartitions", "naming")
                .requireDistinctNames(PartitionStrategy.HASH, null, "@HashPartitions", "naming"))
                .hasMessage("Invalid @HashPartitions(naming = \"{table}_h\"): expected {remainder} in the pattern: without it, names of hash partitions collide");
        assertThatThrownBy(() -> pattern("{table}_{yyyy}{MM}_{remainder}").requireDistinctNames(PartitionStrategy.RANGE, monthly,
                "@RangePartitions", "naming"))
                .as("a token of another strategy")
                .hasMessage("Invalid @RangePartitions(naming = \"{table}_{yyyy}{MM}_{remainder}\"): expected no token {remainder}, which has no meaning for partitions of 1 month");
        assertThat(pattern("{table}_{yyyy}_q{q}").requireDistinctNames(PartitionStrategy.RANGE, new TimeInterval(3, TimeUnit.MONTH),
                "@RangePartitions", "naming")).as("quarterly by {q} is fine").isNotNull();
    }
}
