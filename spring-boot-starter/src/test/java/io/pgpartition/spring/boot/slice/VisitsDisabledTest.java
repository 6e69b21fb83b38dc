package io.pgpartition.spring.boot.slice;

import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit;
import io.pgpartition.test.postgres.PostgresServer;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pgpartition.enabled=false} works in the slice: Hibernate as without the jar, on PostgreSQL too. */
@DataJpaTest(properties = {"spring.jpa.hibernate.ddl-auto=create", "pgpartition.enabled=false"})
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
class VisitsDisabledTest {

    static final TestDatabase DATABASE = PostgresServer.shared().createDatabase("visits_disabled");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DATABASE.springDataSource(registry::add);
    }

    @AfterAll
    static void dropDatabase() {
        DATABASE.close();
    }

    @Autowired
    VisitRepository visits;

    @Autowired
    EntityManager entityManager;

    @Autowired
    EntityManagerFactory factory;

    @Test
    void theSwitchTurnsPgpartitionOff() {
        Visit visit = visits.saveAndFlush(new Visit(1L, LocalDate.of(2024, 5, 2), "rabies shot"));
        visit.visitDate = LocalDate.of(2025, 5, 2);
        entityManager.flush();

        assertThat(PartitionedPersistenceUnit.of(factory)).as("no pgpartition unit").isEmpty();
        assertThat(entityManager.createNativeQuery("SELECT c.relkind::text FROM pg_catalog.pg_class c WHERE c.relname = 'visits'")
                .getSingleResult()).as("schema generation made a plain table").isEqualTo("r");
    }
}
