package io.pgpartition.demo;

import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A chat message, in monthly partitions of {@code chat_messages} by the time it was sent; three months ahead, a year kept. */
@Entity
@Table(name = "chat_messages")
@PartitionedBy(range = "sentAt")
@RangePartitions(interval = "1 month", premake = 3, retention = "12 months", naming = "{table}_p{yyyy}{MM}")
public class ChatMessage {

    @Id
    @GeneratedValue
    private Long id;

    @Column(name = "sent_at", nullable = false)
    private Instant sentAt;

    @Column(nullable = false)
    private String body;

    protected ChatMessage() {
    }

    public ChatMessage(Instant sentAt, String body) {
        this.sentAt = sentAt;
        this.body = body;
    }

    public Long getId() {
        return id;
    }

    public Instant getSentAt() {
        return sentAt;
    }

    public void setSentAt(Instant sentAt) {
        this.sentAt = sentAt;
    }

    public String getBody() {
        return body;
    }
}
