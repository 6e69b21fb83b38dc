package io.pgpartition.spring.boot.slice;

import org.springframework.data.jpa.repository.JpaRepository;

/** The visits, as Spring Data gives them. */
public interface VisitRepository extends JpaRepository<Visit, Long> {
}
