package io.pgpartition.model;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Routing a row through every level of a sub-partitioned table, as PostgreSQL does. */
class PartitionTreeTest {

    private static final ColumnType DATE = ColumnType.of("date", ValueKind.DATE);
    private static final ColumnType TEXT = ColumnType.of("text", ValueKind.TEXT);
    private static final TableName CLAIMS = TableName.of("public", "claims");
    private static final TableName Y2024 = CLAIMS.sibling("claims_2024");
    private static final TableName Y2024_EU = CLAIMS.sibling("claims_2024_eu");

    private static final Partition P2024 = new Partition(Y2024, RangeBound.of(LocalDate.parse("2024-01-01"), LocalDate.parse("2025-01-01")),
            true, -1);
    private static final Partition P2025 = Partition.of(CLAIMS.sibling("claims_2025"),
            RangeBound.of(LocalDate.parse("2025-01-01"), LocalDate.parse("2026-01-01")));
    private static final PartitionedTable ROOT = new PartitionedTable(CLAIMS,
            PartitionKey.of(PartitionStrategy.RANGE, KeyPart.column("service_date", DATE)), List.of(P2024, P2025));

    private static final Partition EU = new Partition(Y2024_EU, ListBound.of("eu"), true, -1);
    private static final Partition US = Partition.of(CLAIMS.sibling("claims_2024_us"), ListBound.of("us"));
    private static final PartitionedTable BY_REGION = new PartitionedTable(Y2024,
            PartitionKey.of(PartitionStrategy.LIST, KeyPart.column("region", TEXT)), List.of(EU, US));

    private static final Partition GOLD = Partition.of(CLAIMS.sibling("claims_2024_eu_gold"), ListBound.of("gold"));
    private static final Partition OTHER_TIERS = Partition.of(CLAIMS.sibling("claims_2024_eu_rest"), DefaultBound.INSTANCE);
    private static final PartitionedTable BY_TIER = new PartitionedTable(Y2024_EU,
            PartitionKey.of(PartitionStrategy.LIST, KeyPart.column("tier", TEXT)), List.of(GOLD, OTHER_TIERS));

    private static final PartitionTree TREE = new PartitionTree(ROOT, Map.of(Y2024, BY_REGION, Y2024_EU, BY_TIER));

    private static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }

    @Test
    void aRowGoesThroughEveryLevelToItsLeaf() {
        Map<String, Object> gold = row("service_date", LocalDate.parse("2024-03-01"), "region", "eu", "tier", "gold");
        assertThat(TREE.route(gold)).as("three levels down").isEqualTo(new KeyRoute.Routed(GOLD));
        assertThat(TREE.answeredBy(gold)).as("answered by the last partitioned table").isEqualTo(BY_TIER);
        assertThat(TREE.route(row("service_date", LocalDate.parse("2024-03-01"), "region", "eu", "tier", "silver")))
                .as("a default partition at the third level").isEqualTo(new KeyRoute.Routed(OTHER_TIERS));
        Map<String, Object> us = row("service_date", LocalDate.parse("2024-12-31"), "region", "us");
        assertThat(TREE.route(us)).as("a leaf at the second level; the tier is not needed").isEqualTo(new KeyRoute.Routed(US));
        assertThat(TREE.answeredBy(us)).isEqualTo(BY_REGION);
        Map<String, Object> plain = row("service_date", LocalDate.parse("2025-06-01"));
        assertThat(TREE.route(plain)).as("a partition that is not partitioned is the leaf").isEqualTo(new KeyRoute.Routed(P2025));
        assertThat(TREE.answeredBy(plain)).isEqualTo(ROOT);
    }

    @Test
    void aRowNoLevelTakesIsRefusedAtThatLevel() {
        Map<String, Object> asia = row("service_date", LocalDate.parse("2024-03-01"), "region", "asia");
        assertThat(TREE.route(asia)).as("no region partition and no default").isEqualTo(new KeyRoute.NoPartition());
        assertThat(TREE.answeredBy(asia)).as("the level that refuses").isEqualTo(BY_REGION);
        Map<String, Object> nullRegion = row("service_date", LocalDate.parse("2024-03-01"), "region", null);
        assertThat(TREE.route(nullRegion)).as("NULL is in no list and there is no default").isEqualTo(new KeyRoute.NoPartition());
        Map<String, Object> future = row("service_date", LocalDate.parse("2026-02-01"), "region", "eu");
        assertThat(TREE.route(future)).as("no partition at the root").isEqualTo(new KeyRoute.NoPartition());
        assertThat(TREE.answeredBy(future)).isEqualTo(ROOT);
    }

    @Test
    void whatTheModelCannotTellIsLeftToTheServer() {
        Map<String, Object> noRegion = row("service_date", LocalDate.parse("2024-03-01"));
        assertThat(TREE.route(noRegion)).as("a key column of a lower level not given").isEqualTo(
                new KeyRoute.AskServer("the value of region, a key column of public.claims_2024, is not known"));
        assertThat(TREE.answeredBy(noRegion)).isEqualTo(BY_REGION);
        assertThat(TREE.route(row("region", "eu"))).as("the root's key not given").isEqualTo(
                new KeyRoute.AskServer("the value of service_date, a key column of public.claims, is not known"));

        PartitionTree unread = new PartitionTree(ROOT, Map.of(Y2024, BY_REGION));
        Map<String, Object> eu = row("service_date", LocalDate.parse("2024-03-01"), "region", "eu", "tier", "gold");
        assertThat(unread.route(eu)).as("a partitioned partition whose partitions were not read").isEqualTo(
                new KeyRoute.AskServer("the partitions of public.claims_2024_eu are not known"));
        assertThat(unread.answeredBy(eu)).isEqualTo(BY_REGION);

        PartitionedTable byExpression = new PartitionedTable(Y2024,
                PartitionKey.of(PartitionStrategy.LIST, KeyPart.expression("lower(region)", TEXT)), List.of(US));
        assertThat(new PartitionTree(ROOT, Map.of(Y2024, byExpression)).route(eu)).as("an expression key below").isEqualTo(
                new KeyRoute.AskServer("public.claims_2024 is partitioned by an expression"));
    }
}
