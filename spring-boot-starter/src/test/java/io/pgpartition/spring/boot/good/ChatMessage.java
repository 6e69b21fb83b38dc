package io.pgpartition.spring.boot.good;

import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** Seed 002's chat messages: monthly by the time they were created, two months ahead. */
@Entity
@Table(name = "chat_messages")
@PartitionedBy(range = "createdAt")
@RangePartitions(interval = "1 month", premake = 2)
public class ChatMessage {

    @Id
    public Long id;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public String body;
}
