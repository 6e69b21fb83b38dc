package io.pgpartition.spring.boot.slice;

import io.pgpartition.hibernate.ValidationMode;
import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit;
import io.pgpartition.spring.boot.PgPartitionProperties;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.dialect.H2Dialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PetClinic's pattern: a {@code @DataJpaTest} on the embedded H2 that replaces the application's PostgreSQL. The
 * partitioned entity runs as without pgpartition after one warning, and the starter's properties reach Hibernate in
 * the slice.
 */
@DataJpaTest(properties = "pgpartition.validation=warn")
@ExtendWith(OutputCaptureExtension.class)
class VisitsOnH2Test {

    @Autowired
    VisitRepository visits;

    @Autowired
    EntityManagerFactory factory;

    @Autowired
    PgPartitionProperties properties;

    @Test
    void theSliceRunsOnH2WithTheStarterInIt(CapturedOutput output) {
        assertThat(factory.unwrap(SessionFactoryImplementor.class).getJdbcServices().getDialect())
                .as("the slice replaced the data source with H2").isInstanceOf(H2Dialect.class);
        visits.saveAndFlush(new Visit(1L, LocalDate.of(2024, 5, 2), "rabies shot"));
        visits.findById(1L).orElseThrow().visitDate = LocalDate.of(2025, 5, 2);
        visits.flush();
        assertThat(visits.findById(1L).orElseThrow().visitDate).as("a key change is H2's business").isEqualTo(LocalDate.of(2025, 5, 2));

        assertThat(properties.getValidation()).as("the starter's properties are part of the slice").isEqualTo(ValidationMode.WARN);
        assertThat(factory.getProperties()).as("and reach Hibernate").containsEntry("pgpartition.validation", "warn");
        assertThat(PartitionedPersistenceUnit.of(factory)).as("pgpartition stepped aside").isEmpty();
        assertThat(output.getAll().lines().filter(line -> line.contains("pgpartition:"))).as("after one warning").singleElement()
                .asString().endsWith("pgpartition: this persistence unit maps 1 @PartitionedBy entity (Visit) with H2Dialect, not "
                        + "PostgreSQL: their partition keys are neither validated nor guarded here, and schema generation creates "
                        + "their tables unpartitioned. This suits tests on another database; set pgpartition.non_postgresql=fail to "
                        + "refuse it.");
    }
}
