package io.pgpartition.test.seeds;

import io.pgpartition.annotations.Expiry;
import io.pgpartition.annotations.HashPartitions;
import io.pgpartition.annotations.ListPartition;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinColumns;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The partitioned tables of {@link SeedSchema} as a Hibernate application maps them, each entity with its partitioning
 * and its maintenance policy. They validate against {@link SeedSchema}'s tables, and schema generation creates their
 * tables partitioned. Needs Hibernate ORM on the class path.
 */
public final class SeedEntities {

    private SeedEntities() {
    }

    /** Every seed entity. */
    public static final List<Class<?>> ALL = List.of(ContentItem.class, ChatMessage.class, EventImpression.class,
            GeneratedImage.class, CreditTransaction.class, ClaimsProduction.class, ClaimLineItem.class, ChatSession.class);

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
        @Column(name = "created_at", nullable = false) public LocalDateTime createdAt;
        @Column(name = "updated_at", nullable = false) public LocalDateTime updatedAt;
    }

    /** The roles of a chat message, a PostgreSQL enum type ({@code messagerole}) in seed 002. */
    public enum MessageRole { user, assistant, system }

    /** The key of a chat message: its id and the time it was written, as seed 002's primary key (id, created_at). */
    public static class MessageId implements Serializable {
        public UUID id;
        public LocalDateTime createdAt;

        @Override
        public boolean equals(Object o) {
            return o instanceof MessageId m && Objects.equals(id, m.id) && Objects.equals(createdAt, m.createdAt);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, createdAt);
        }
    }

    /** Seed 002: chat messages by quarter, with the composite primary key and the message id unique per quarter. */
    @Entity(name = "ChatMessage")
    @Table(name = "chat_messages", uniqueConstraints = @UniqueConstraint(columnNames = {"message_id", "created_at"}))
    @IdClass(MessageId.class)
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "3 months", premake = 1, naming = "{table}_{yyyy}_q{q}")
    public static class ChatMessage {
        @Id public UUID id;
        @Id @Column(name = "created_at") public LocalDateTime createdAt;
        @Column(name = "user_id", nullable = false) public UUID userId;
        @Column(name = "session_id", nullable = false) public UUID sessionId;
        @Column(name = "message_id", length = 36) public String messageId;
        @Enumerated(EnumType.STRING) @JdbcTypeCode(SqlTypes.NAMED_ENUM) @Column(columnDefinition = "messagerole")
        public MessageRole role;
        @Column(nullable = false) public String content;
        @Column(name = "updated_at", nullable = false) public LocalDateTime updatedAt;
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

    /** Seed 003: generated images by month, with a default partition. */
    @Entity(name = "GeneratedImage")
    @Table(name = "generated_images")
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "1 month", naming = "{table}_{yyyy}_{MM}", defaultPartition = true)
    public static class GeneratedImage {
        @Id public UUID id;
        @Column(name = "generation_type", nullable = false) public String generationType;
        @Column(name = "created_at", nullable = false) public LocalDateTime createdAt;
    }

    /** Seed 003: credit transactions by month, with a default partition. */
    @Entity(name = "CreditTransaction")
    @Table(name = "credit_transactions")
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "1 month", naming = "{table}_{yyyy}_{MM}", defaultPartition = true)
    public static class CreditTransaction {
        @Id public Long id;
        @Column(nullable = false) public BigDecimal amount;
        @Column(name = "created_at", nullable = false) public LocalDateTime createdAt;
    }

    /** The key of a production claim: its id and the first day of service, as seed 004's primary key. */
    public static class ClaimId implements Serializable {
        public Long id;
        public LocalDate serviceFromDate;

        @Override
        public boolean equals(Object o) {
            return o instanceof ClaimId c && Objects.equals(id, c.id) && Objects.equals(serviceFromDate, c.serviceFromDate);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, serviceFromDate);
        }
    }

    /** Seed 004: production claims by year of service. */
    @Entity(name = "ClaimsProduction")
    @Table(name = "claims_production")
    @IdClass(ClaimId.class)
    @PartitionedBy(range = "serviceFromDate")
    @RangePartitions(interval = "1 year", premake = 1, naming = "{table}_y{yyyy}")
    public static class ClaimsProduction {
        @Id public Long id;
        @Id @Column(name = "service_from_date") public LocalDate serviceFromDate;
        @Column(name = "patient_id", nullable = false) public Long patientId;
    }

    /** Seed 004: claim line items by month of service, each pointing at its claim with the claim's whole key. */
    @Entity(name = "ClaimLineItem")
    @Table(name = "claim_line_items")
    @PartitionedBy(range = "serviceDate")
    @RangePartitions(interval = "1 month", premake = 2, naming = "{table}_y{yyyy}m{MM}")
    public static class ClaimLineItem {
        @Id public Long id;
        @Column(name = "service_date", nullable = false) public LocalDate serviceDate;
        @ManyToOne(optional = false)
        @JoinColumns({@JoinColumn(name = "claim_id", referencedColumnName = "id"),
                @JoinColumn(name = "claim_service_from_date", referencedColumnName = "service_from_date")})
        public ClaimsProduction claim;
        @Column(name = "procedure_code", nullable = false) public String procedureCode;
    }

    /** Chat sessions spread over four hash partitions by user. */
    @Entity(name = "ChatSession")
    @Table(name = "chat_sessions")
    @PartitionedBy(hash = "userId")
    @HashPartitions(modulus = 4)
    public static class ChatSession {
        @Id public Long id;
        @Column(name = "user_id", nullable = false) public UUID userId;
        @Column(name = "started_at", nullable = false) public Instant startedAt;
    }
}
