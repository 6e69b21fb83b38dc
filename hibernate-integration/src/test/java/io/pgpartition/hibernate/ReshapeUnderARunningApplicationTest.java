package io.pgpartition.hibernate;

import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.conversion.ConversionProgress;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.model.TableName;
import io.pgpartition.reshape.PartitionReshape;
import io.pgpartition.reshape.ReshapeSpec;
import io.pgpartition.reshape.ReshapeStatus;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Partitions reshaped while a session factory is open: the running application routes to the new partitions, keeps
 * its guards, and needs no restart.
 */
@HibernateTest(entities = ReshapeUnderARunningApplicationTest.Reading.class)
class ReshapeUnderARunningApplicationTest {

    @Entity(name = "Reading")
    @Table(name = "readings")
    @PartitionedBy(range = "takenOn")
    static class Reading {
        @Id
        Long id;

        @Column(name = "taken_on", nullable = false)
        LocalDate takenOn;

        int value;
    }

    @BeforeAll
    static void tables(TestDatabase db) {
        db.execute("CREATE TABLE readings (id bigint NOT NULL, taken_on date NOT NULL, value int NOT NULL, PRIMARY KEY (id, taken_on)) "
                        + "PARTITION BY RANGE (taken_on)",
                "CREATE TABLE readings_p202401 PARTITION OF readings FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')",
                "CREATE TABLE readings_p202402 PARTITION OF readings FOR VALUES FROM ('2024-02-01') TO ('2024-03-01')",
                "CREATE TABLE readings_default PARTITION OF readings DEFAULT");
    }

    private static Reading reading(long id, LocalDate on) {
        Reading reading = new Reading();
        reading.id = id;
        reading.takenOn = on;
        reading.value = 1;
        return reading;
    }

    @Test
    void splitAndDrainedPartitionsAreUsedByTheOpenSessionFactory(TestDatabase db, SessionFactoryScope scope) throws Exception {
        scope.inTransaction(session -> {
            session.persist(reading(1, LocalDate.of(2024, 2, 10)));
            session.persist(reading(2, LocalDate.of(2024, 5, 3)));
        });
        String before = scope.fromTransaction(session -> PartitionLocator.partitionOf(session, session.find(Reading.class, 2L)));
        assertThat(before).as("May has no partition yet").isEqualTo("readings_default");
        try (Connection connection = db.connection()) {
            assertThat(new PartitionReshape(ReshapeSpec.split(TableName.of("readings"), TableName.of("readings_p202402"), "1 day"))
                    .run(connection, ConversionProgress.NONE).phase()).isEqualTo(ReshapeStatus.Phase.SWAPPED);
            PartitionReshape.cleanup(connection, TableName.of("readings"), ConversionSpec.DEFAULT_OPTIONS, ConversionProgress.NONE);
            assertThat(new PartitionReshape(ReshapeSpec.drain(TableName.of("readings"), "1 month"))
                    .run(connection, ConversionProgress.NONE).phase()).isEqualTo(ReshapeStatus.Phase.SWAPPED);
            PartitionReshape.cleanup(connection, TableName.of("readings"), ConversionSpec.DEFAULT_OPTIONS, ConversionProgress.NONE);
        }
        scope.inTransaction(session -> {
            Reading february = session.find(Reading.class, 1L);
            assertThat(PartitionLocator.partitionOf(session, february)).as("the row moved into its day").isEqualTo("readings_p20240210");
            february.value = 5;
            Reading may = reading(3, LocalDate.of(2024, 5, 20));
            session.persist(may);
            session.flush();
            assertThat(PartitionLocator.partitionOf(session, may)).as("a new row of May lands in the drained month")
                    .isEqualTo("readings_p20240501");
            Reading day = reading(4, LocalDate.of(2024, 2, 11));
            session.persist(day);
            session.flush();
            assertThat(PartitionLocator.partitionOf(session, day)).isEqualTo("readings_p20240211");
        });
        int value = scope.fromTransaction(session -> session.find(Reading.class, 1L).value);
        assertThat(value).as("the update reached the day partition").isEqualTo(5);
        assertThatThrownBy(() -> scope.inTransaction(session -> session.find(Reading.class, 4L).takenOn = LocalDate.of(2024, 2, 12)))
                .as("the key guard holds on the new partitions").isInstanceOf(PartitionKeyChangedException.class);
    }
}
