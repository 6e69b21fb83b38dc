package io.pgpartition.sample;

import io.pgpartition.annotations.PartitionedBy;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** Two mappings of the seed tables gone wrong, which the bootstrap refuses in one report. */
final class WrongMappings {

    private WrongMappings() {
    }

    /** Both, as one persistence unit. */
    static final List<Class<?>> ALL = List.of(AutoContent.class, LooseImpression.class);

    /** It names a partition of content_items_all instead of the parent. */
    @Entity(name = "AutoContent")
    @Table(name = "content_items_auto")
    @PartitionedBy(list = "sourceType")
    static class AutoContent {
        @Id Long id;
        @Column(name = "source_type", nullable = false) String sourceType;
    }

    /** The partition key may be null in the mapping, which no partition would take. */
    @Entity(name = "LooseImpression")
    @Table(name = "event_impressions")
    @PartitionedBy(range = "createdAt")
    static class LooseImpression {
        @Id Long id;
        @Column(name = "event_id", nullable = false) Long eventId;
        @Column(name = "created_at") Instant createdAt;
    }
}
