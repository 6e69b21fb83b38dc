package io.pgpartition.hibernate;

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
 * Correct mappings of every partitioned seed table (see {@code SeedSchema}).
 */
final class SeedEntities {

    private SeedEntities() {
    }

    static final List<Class<?>> ALL = List.of(ContentItem.class, ChatMessage.class, EventImpression.class, GeneratedImage.class,
            CreditTransaction.class, ClaimsProduction.class, ClaimLineItem.class, ChatSession.class);

    @Entity(name = "ContentItem")
    @Table(name = "content_items_all")
    @PartitionedBy(list = "sourceType")
    @ListPartition(name = "content_items", values = "items")
    @ListPartition(name = "content_items_auto", values = "auto")
    static class ContentItem {
        @Id Long id;
        @Column(name = "source_type", nullable = false) String sourceType;
        @Column(nullable = false) String title;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
        @Column(name = "updated_at", nullable = false) LocalDateTime updatedAt;
    }

    enum MessageRole { user, assistant, system }

    static class MessageId implements Serializable {
        UUID id;
        LocalDateTime createdAt;

        @Override
        public boolean equals(Object o) {
            return o instanceof MessageId m && Objects.equals(id, m.id) && Objects.equals(createdAt, m.createdAt);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, createdAt);
        }
    }

    @Entity(name = "ChatMessage")
    @Table(name = "chat_messages", uniqueConstraints = @UniqueConstraint(columnNames = {"message_id", "created_at"}))
    @IdClass(MessageId.class)
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "3 months", naming = "{table}_{yyyy}_q{q}")
    static class ChatMessage {
        @Id UUID id;
        @Id @Column(name = "created_at") LocalDateTime createdAt;
        @Column(name = "user_id", nullable = false) UUID userId;
        @Column(name = "session_id", nullable = false) UUID sessionId;
        @Column(name = "message_id") String messageId;
        @Enumerated(EnumType.STRING) @JdbcTypeCode(SqlTypes.NAMED_ENUM) @Column(columnDefinition = "messagerole") MessageRole role;
        String content;
        @Column(name = "updated_at", nullable = false) LocalDateTime updatedAt;
    }

    @Entity(name = "EventImpression")
    @Table(name = "event_impressions")
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "1 month", naming = "{table}_{yyyy}_{MM}")
    static class EventImpression {
        @Id Long id;
        @Column(name = "event_id", nullable = false) Long eventId;
        @Column(name = "created_at", nullable = false) Instant createdAt;
    }

    @Entity(name = "GeneratedImage")
    @Table(name = "generated_images")
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "1 month", naming = "{table}_{yyyy}_{MM}", defaultPartition = true)
    static class GeneratedImage {
        @Id UUID id;
        @Column(name = "generation_type", nullable = false) String generationType;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
    }

    @Entity(name = "CreditTransaction")
    @Table(name = "credit_transactions")
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "1 month", naming = "{table}_{yyyy}_{MM}", defaultPartition = true)
    static class CreditTransaction {
        @Id Long id;
        @Column(nullable = false) BigDecimal amount;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
    }

    static class ClaimId implements Serializable {
        Long id;
        LocalDate serviceFromDate;

        @Override
        public boolean equals(Object o) {
            return o instanceof ClaimId c && Objects.equals(id, c.id) && Objects.equals(serviceFromDate, c.serviceFromDate);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, serviceFromDate);
        }
    }

    @Entity(name = "ClaimsProduction")
    @Table(name = "claims_production")
    @IdClass(ClaimId.class)
    @PartitionedBy(range = "serviceFromDate")
    @RangePartitions(interval = "1 year", naming = "{table}_y{yyyy}")
    static class ClaimsProduction {
        @Id Long id;
        @Id @Column(name = "service_from_date") LocalDate serviceFromDate;
        @Column(name = "patient_id", nullable = false) Long patientId;
    }

    @Entity(name = "ClaimLineItem")
    @Table(name = "claim_line_items")
    @PartitionedBy(range = "serviceDate")
    @RangePartitions(interval = "1 month", naming = "{table}_y{yyyy}m{MM}")
    static class ClaimLineItem {
        @Id Long id;
        @Column(name = "service_date", nullable = false) LocalDate serviceDate;
        @ManyToOne(optional = false)
        @JoinColumns({@JoinColumn(name = "claim_id", referencedColumnName = "id"),
                @JoinColumn(name = "claim_service_from_date", referencedColumnName = "service_from_date")})
        ClaimsProduction claim;
        @Column(name = "procedure_code", nullable = false) String procedureCode;
    }

    @Entity(name = "ChatSession")
    @Table(name = "chat_sessions")
    @PartitionedBy(hash = "userId")
    @HashPartitions(modulus = 4)
    static class ChatSession {
        @Id Long id;
        @Column(name = "user_id", nullable = false) UUID userId;
        @Column(name = "started_at", nullable = false) Instant startedAt;
    }
}
