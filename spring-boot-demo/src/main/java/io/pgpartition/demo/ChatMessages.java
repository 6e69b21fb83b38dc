package io.pgpartition.demo;

import org.springframework.data.jpa.repository.JpaRepository;

import java.time.Instant;
import java.util.List;

/** A plain Spring Data repository: pgpartition needs nothing of it. */
public interface ChatMessages extends JpaRepository<ChatMessage, Long> {

    /** Messages with this text, in every month: the sentinel reports it (no partition key). */
    List<ChatMessage> findByBody(String body);

    /** Messages sent in a range: PostgreSQL reads the partitions of the range only. */
    List<ChatMessage> findBySentAtBetween(Instant from, Instant to);
}
