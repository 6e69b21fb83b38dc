package io.pgpartition.sample;

import io.pgpartition.annotations.Expiry;
import io.pgpartition.annotations.ListPartition;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The seed domain as a Hibernate application maps it: each entity carries its partitioning, and schema generation
 * creates the tables partitioned.
 */
public final class SampleEntities {

    private SampleEntities() {
    }

    /** The persistence unit of the tour. */
    public static final List<Class<?>> ALL = List.of(ContentItem.class, ChatMessage.class, EventImpression.class,
            ClaimLineItem.class, ClaimProduction.class);

    /** Seed 001: content by where it came from, one partition per source. */
    @Entity(name = "ContentItem")
    @Table(name = "content_items_all")
    @PartitionedBy(list = "sourceType")
    @ListPartition(name = "content_items", values = "items")
    @ListPartition(name = "content_items_auto", values = "auto")
    public static class ContentItem {
        @Id public Long id;
        @Column(name = "source_type", nullable = false) public String sourceType;
        @Column(nullable = false) public String title;
    }

    /** The key of a chat message: its id and the time it was written, as seed 002's primary key (id, created_at). */
    public static class MessageKey implements Serializable {
        public UUID id;
        public LocalDateTime createdAt;

        @Override
        public boolean equals(Object other) {
            return other instanceof MessageKey key && Objects.equals(id, key.id) && Objects.equals(createdAt, key.createdAt);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, createdAt);
        }
    }

    /** Seed 002: chat messages by quarter, with the composite primary key and the message id unique per quarter. */
    @Entity(name = "ChatMessage")
    @Table(name = "chat_messages", uniqueConstraints = @UniqueConstraint(columnNames = {"message_id", "created_at"}))
    @IdClass(MessageKey.class)
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "3 months", premake = 1, naming = "{table}_{yyyy}_q{q}")
    public static class ChatMessage {
        @Id public UUID id;
        @Id @Column(name = "created_at") public LocalDateTime createdAt;
        @Column(name = "message_id", nullable = false) public String messageId;
        @Column(nullable = false) public String content;
    }

    /** Seed 002: event impressions by month; three months kept, older ones archived. */
    @Entity(name = "EventImpression")
    @Table(name = "event_impressions")
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "1 month", premake = 2, retention = "3 months", onExpiry = Expiry.ARCHIVE,
            naming = "{table}_{yyyy}_{MM}")
    public static class EventImpression {
        @Id public Long id;
        @Column(name = "event_id", nullable = false) public Long eventId;
        @Column(name = "created_at", nullable = false) public Instant createdAt;
    }

    /** Seed 004: claim line items by month of service, with a default partition for the unexpected. */
    @Entity(name = "ClaimLineItem")
    @Table(name = "claim_line_items")
    @PartitionedBy(range = "serviceDate")
    @RangePartitions(interval = "1 month", premake = 2, naming = "{table}_y{yyyy}m{MM}", defaultPartition = true)
    public static class ClaimLineItem {
        @Id public Long id;
        @Column(name = "service_date", nullable = false) public LocalDate serviceDate;
        @Column(name = "procedure_code", nullable = false) public String procedureCode;
    }

    /** Seed 004: production claims by year of service. */
    @Entity(name = "ClaimProduction")
    @Table(name = "claims_production")
    @PartitionedBy(range = "serviceFromDate")
    @RangePartitions(interval = "1 year", premake = 1, naming = "{table}_y{yyyy}")
    public static class ClaimProduction {
        @Id public Long id;
        @Column(name = "service_from_date", nullable = false) public LocalDate serviceFromDate;
        @Column(name = "patient_id", nullable = false) public Long patientId;
    }

    /** A mapping gone wrong: it names a partition of content_items_all instead of the parent. */
    @Entity(name = "AutoContent")
    @Table(name = "content_items_auto")
    @PartitionedBy(list = "sourceType")
    public static class AutoContent {
        @Id public Long id;
        @Column(name = "source_type", nullable = false) public String sourceType;
    }

    /** Another: the partition key may be null in the mapping, which no partition would take. */
    @Entity(name = "LooseImpression")
    @Table(name = "event_impressions")
    @PartitionedBy(range = "createdAt")
    public static class LooseImpression {
        @Id public Long id;
        @Column(name = "event_id", nullable = false) public Long eventId;
        @Column(name = "created_at") public Instant createdAt;
    }
}
