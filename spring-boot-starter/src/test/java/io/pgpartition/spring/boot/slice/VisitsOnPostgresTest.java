package io.pgpartition.spring.boot.slice;

import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.hibernate.PartitionLocator;
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
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The same slice on PostgreSQL (pgpartition-test's server): every guard is on. */
@DataJpaTest(properties = "spring.jpa.hibernate.ddl-auto=create")
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
class VisitsOnPostgresTest {

    static final TestDatabase DATABASE = PostgresServer.shared().createDatabase("visits_slice");

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
    void theSliceRoutesAndGuards() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Visit visit = visits.saveAndFlush(new Visit(1L, today, "rabies shot"));

        assertThat(PartitionLocator.partitionOf(entityManager, visit)).as("the row is in its year's partition")
                .isEqualTo("visits_" + today.getYear());
        visit.visitDate = today.minusYears(1);
        assertThatThrownBy(entityManager::flush).as("its key never changes")
                .isInstanceOf(PartitionKeyChangedException.class);
        assertThat(PartitionedPersistenceUnit.of(factory)).as("the unit is pgpartition's").isPresent();
    }
}
