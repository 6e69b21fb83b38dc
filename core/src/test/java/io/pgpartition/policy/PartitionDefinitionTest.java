package io.pgpartition.policy;

import io.pgpartition.PartitionDefinitionException;
import io.pgpartition.annotations.Expiry;
import io.pgpartition.annotations.HashPartitions;
import io.pgpartition.annotations.ListPartition;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import io.pgpartition.model.PartitionStrategy;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionDefinitionTest {

    @PartitionedBy(range = "serviceDate")
    @RangePartitions(interval = "1 month", premake = 2, retention = "24 months", onExpiry = Expiry.ARCHIVE,
            naming = "{table}_y{yyyy}m{MM}", zone = "Europe/Berlin")
    static class ClaimLineItem {
    }

    @PartitionedBy(list = "sourceType")
    @ListPartition(name = "content_items", values = "items")
    @ListPartition(name = "{table}_{value}", values = {"auto", "autogen"})
    static class ContentItem {
    }

    @PartitionedBy(hash = "userId")
    @HashPartitions(modulus = 8)
    static class ChatSession {
    }

    @PartitionedBy(range = "id")
    @RangePartitions(interval = "100000", naming = "{table}_{value}")
    static class Ledger {
    }

    @Test
    void readsARangeEntity() {
        PartitionDefinition definition = PartitionDefinition.of(ClaimLineItem.class, "claim_line_items");
        assertThat(definition.strategy()).as("strategy").isEqualTo(PartitionStrategy.RANGE);
        assertThat(definition.keyAttributes()).as("key attributes").containsExactly("serviceDate");
        assertThat(definition.range()).as("the whole range policy")
                .contains(new RangePolicy(new TimeInterval(1, TimeUnit.MONTH), 2, Optional.of(new TimeInterval(24, TimeUnit.MONTH)),
                        Expiry.ARCHIVE, NamingPattern.parse("{table}_y{yyyy}m{MM}", "x", "y"), false, ZoneId.of("Europe/Berlin")));
        assertThat(definition.list()).as("no list policy").isEmpty();
    }

    @Test
    void readsListHashAndNumericEntities() {
        assertThat(PartitionDefinition.of(ContentItem.class, "content_items_all").list())
                .as("declared list partitions, {table} and {value} resolved")
                .contains(new ListPolicy(List.of(new ListPartitionSpec("content_items", List.of("items")),
                        new ListPartitionSpec("content_items_all_auto", List.of("auto", "autogen")))));
        HashPolicy hash = PartitionDefinition.of(ChatSession.class, "chat_sessions").hash().orElseThrow();
        assertThat(hash.modulus()).as("modulus").isEqualTo(8);
        assertThat(hash.partitionName("chat_sessions", 7)).as("default naming").isEqualTo("chat_sessions_h7");
        assertThat(PartitionDefinition.of(Ledger.class, "ledger").range().orElseThrow().interval())
                .as("a numeric step").isEqualTo(new NumericInterval(BigInteger.valueOf(100_000)));
    }

    @PartitionedBy
    static class NoKey {
    }

    @PartitionedBy(range = "a", list = "b")
    static class TwoStrategies {
    }

    @PartitionedBy(list = "sourceType")
    @RangePartitions(interval = "1 month")
    static class WrongPolicy {
    }

    @PartitionedBy(list = {"a", "b"})
    static class TwoListColumns {
    }

    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "1 month", zone = "Mars/Olympus")
    static class BadZone {
    }

    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "1 month", retention = "5000")
    static class MixedRetention {
    }

    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "1 month", premake = -1)
    static class NegativePremake {
    }

    @PartitionedBy(list = "sourceType")
    @ListPartition(name = "a", values = "x")
    @ListPartition(name = "b", values = "x")
    static class DuplicateValue {
    }

    @PartitionedBy(hash = "id")
    @HashPartitions(modulus = 0)
    static class ZeroModulus {
    }

    @Test
    void reportsEachMistakeWithItsAnnotationAttributeTextAndWayOut() {
        assertThatThrownBy(() -> PartitionDefinition.of(NoKey.class, "t"))
                .isInstanceOf(PartitionDefinitionException.class)
                .hasMessage("Invalid @PartitionedBy on NoKey(range/list/hash = \"nothing set\"): expected exactly one of range, list or hash, set to the key attribute name(s)");
        assertThatThrownBy(() -> PartitionDefinition.of(TwoStrategies.class, "t"))
                .hasMessage("Invalid @PartitionedBy on TwoStrategies(range/list/hash = \"set: [RANGE, LIST]\"): expected exactly one of range, list or hash, set to the key attribute name(s)");
        assertThatThrownBy(() -> PartitionDefinition.of(WrongPolicy.class, "t"))
                .hasMessage("Invalid @PartitionedBy on WrongPolicy(list = \"@RangePartitions\"): expected no @RangePartitions on an entity "
                        + "partitioned by list (it applies to range partitioning): remove it or change @PartitionedBy");
        assertThatThrownBy(() -> PartitionDefinition.of(TwoListColumns.class, "t"))
                .hasMessage("Invalid @PartitionedBy on TwoListColumns(list = \"a, b\"): expected one key attribute: PostgreSQL list partitioning takes exactly one");
        assertThatThrownBy(() -> PartitionDefinition.of(BadZone.class, "t"))
                .hasMessage("Invalid @RangePartitions(zone = \"Mars/Olympus\"): expected a time zone ID such as 'UTC', 'Europe/Berlin' or 'America/New_York'");
        assertThatThrownBy(() -> PartitionDefinition.of(MixedRetention.class, "t"))
                .hasMessage("Invalid @RangePartitions(retention = \"5000\"): expected a retention measured like the interval (1 month): "
                        + "a count of days, weeks, months, quarters or years");
        assertThatThrownBy(() -> PartitionDefinition.of(NegativePremake.class, "t"))
                .hasMessage("Invalid @RangePartitions(premake = \"-1\"): expected a premake from 0 to 1000 (partitions kept ahead of the current one)");
        assertThatThrownBy(() -> PartitionDefinition.of(DuplicateValue.class, "t"))
                .hasMessage("Invalid @ListPartition(values = \"x\"): expected each value in one partition only; it is declared for both a and b");
        assertThatThrownBy(() -> PartitionDefinition.of(ZeroModulus.class, "t"))
                .hasMessage("Invalid @HashPartitions(modulus = \"0\"): expected a modulus (the number of partitions) from 1 to 1024");
    }
}
