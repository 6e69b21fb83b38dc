package io.pgpartition.model;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the model can compute of a key part, and where it must leave routing to the server. */
class KeyPartTest {

    private static final ColumnType TEXT = ColumnType.of("text", ValueKind.TEXT);
    private static final ColumnType NUMERIC = ColumnType.of("numeric", ValueKind.NUMERIC);
    private static final ColumnType INTERVAL = ColumnType.of("interval", ValueKind.OTHER);

    private static KeyPart text(KeyPart.Comparison comparison) {
        return new KeyPart("region", null, TEXT, comparison);
    }

    @Test
    void aColumnOrAnExpressionShowsAsPostgresqlPrintsIt() {
        KeyPart column = KeyPart.column("created_at", TEXT);
        assertThat(column.column()).isEqualTo("created_at");
        assertThat(column.isExpression()).isFalse();
        assertThat(column).hasToString("created_at");
        KeyPart expression = KeyPart.expression("lower(region)", TEXT);
        assertThat(expression.isExpression()).isTrue();
        assertThat(expression.column()).isNull();
        assertThat(expression).hasToString("(lower(region))");
        assertThatThrownBy(() -> new KeyPart(null, null, TEXT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A key part is either a column or an expression");
    }

    @Test
    void whatTheModelComputesIsUnderstood() {
        assertThat(KeyPart.column("region", TEXT).unmodelled(PartitionStrategy.RANGE)).isEmpty();
        assertThat(KeyPart.column("region", TEXT).unmodelled(PartitionStrategy.HASH)).as("text hashes are computed").isEmpty();
        assertThat(KeyPart.column("amount", NUMERIC).unmodelled(PartitionStrategy.RANGE)).isEmpty();
        assertThat(text(new KeyPart.Comparison("de-x-icu", false, true, true)).unmodelled(PartitionStrategy.LIST))
                .as("a LIST key needs equality only, which a deterministic collation keeps").isEmpty();
    }

    @Test
    void whatItDoesNotIsNamed() {
        assertThat(text(new KeyPart.Comparison(null, true, true, false)).unmodelled(PartitionStrategy.LIST))
                .contains("key part region uses a non-default operator class");
        assertThat(KeyPart.column("span", INTERVAL).unmodelled(PartitionStrategy.RANGE))
                .contains("key part span is of type " + INTERVAL + ", whose comparison is not modelled");
        assertThat(text(new KeyPart.Comparison("und-x-icu-ks-level2", false, false, true)).unmodelled(PartitionStrategy.LIST))
                .contains("key part region uses the nondeterministic collation und-x-icu-ks-level2");
        assertThat(text(new KeyPart.Comparison("de-x-icu", false, true, true)).unmodelled(PartitionStrategy.RANGE))
                .contains("key part region is ordered by collation de-x-icu, not by code point");
        assertThat(KeyPart.column("amount", NUMERIC).unmodelled(PartitionStrategy.HASH))
                .contains("the hash of key part amount (type " + NUMERIC + ") is not computed here");
        assertThat(new KeyPart(null, "abs(amount)", NUMERIC, new KeyPart.Comparison(null, true, true, false))
                .unmodelled(PartitionStrategy.RANGE)).as("the operator class is looked at first")
                .contains("key part (abs(amount)) uses a non-default operator class");
    }

    @Test
    void aRouteGivesItsPartitionNoneOrTheReasonToAskTheServer() {
        Partition partition = new Partition(TableName.of("public", "visits_p1"), new DefaultBound(), false, 0);
        assertThat(new KeyRoute.Routed(partition).partition("visits")).contains(partition);
        assertThat(new KeyRoute.NoPartition().partition("visits")).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> new KeyRoute.AskServer("key part region uses a non-default operator class").partition("visits"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot compute which partition of visits: key part region uses a non-default operator class. Ask the "
                        + "server instead: tableoid::regclass of the stored row.");
    }
}
