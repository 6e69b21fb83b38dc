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
}
