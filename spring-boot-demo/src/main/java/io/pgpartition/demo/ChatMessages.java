package io.pgpartition.demo;

import org.springframework.data.jpa.repository.JpaRepository;

/** A plain Spring Data repository: pgpartition needs nothing of it. */
public interface ChatMessages extends JpaRepository<ChatMessage, Long> {
}
