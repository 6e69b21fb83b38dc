package io.pgpartition.catalog.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a shard's name is read: Citus names a shard {@code <table>_<shard id>}. */
class ShardNamesTest {

    @Test
    void theShardIdIsTheNumberAfterTheLastUnderscore() {
        assertThat(ShardNames.id("event_impressions_2026_12_102077")).contains(102077L);
        assertThat(ShardNames.id("t_0")).contains(0L);
        assertThat(ShardNames.id("event_impressions")).as("no number").isEmpty();
        assertThat(ShardNames.id("events_")).as("nothing after the underscore").isEmpty();
        assertThat(ShardNames.id("_102077")).as("no table before it").isEmpty();
        assertThat(ShardNames.id("102077")).as("no underscore").isEmpty();
        assertThat(ShardNames.id("events_12a")).as("not only digits").isEmpty();
        assertThat(ShardNames.id("events_١٢")).as("only ASCII digits").isEmpty();
        assertThat(ShardNames.id("events_123456789012345678")).contains(123456789012345678L);
        assertThat(ShardNames.id("events_1234567890123456789")).as("more digits than a shard id has").isEmpty();
    }

    @Test
    void aShardIsNamedAfterItsTableOrAShortenedNameAndAHashOfIt() {
        assertThat(ShardNames.isShardOf("events_2026_12_102077", "events_2026_12", 102077)).isTrue();
        assertThat(ShardNames.isShardOf("events_2026_12_102077", "events_2026_12", 102078)).as("another shard's id").isFalse();
        assertThat(ShardNames.isShardOf("visits_2026_12_102077", "events_2026_12", 102077)).as("another table").isFalse();
        assertThat(ShardNames.isShardOf("event_impressions_for_the_reporting_pipeline_of_a8d5ec56_125314",
                "event_impressions_for_the_reporting_pipeline_of_tenants_2026_12", 125314)).as("63 bytes: shortened and hashed").isTrue();
        assertThat(ShardNames.isShardOf("event_impressions_for_the_reporting_pipeline_of_a8d5ec56_125314",
                "event_impressions_for_the_reporting_2026_12", 125314)).as("the shortened name is not a prefix").isFalse();
        assertThat(ShardNames.isShardOf("events_a8d5ec56_125314", "events", 125314))
                .as("a hash needs a longer name before it").isFalse();
        assertThat(ShardNames.isShardOf("events_A8D5EC56_125314", "events_aaaa", 125314)).as("the hash is lower-case hex").isFalse();
        assertThat(ShardNames.isShardOf("events_a8d5ec5_125314", "events_aaaa", 125314)).as("eight digits").isFalse();
        assertThat(ShardNames.isShardOf("events_a8d5ec56_125314", "events_aaaa", 125314)).isTrue();
        assertThat(ShardNames.isShardOf("125314", "x", 125314)).as("nothing before the id").isFalse();
    }
}
