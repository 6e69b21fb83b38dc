package io.pgpartition.hibernate;

import io.pgpartition.PartitioningException;
import io.pgpartition.annotations.PartitionedBy;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.LocalDate;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Do no harm: an application that merely has the jar and runs on another database (H2, as many applications do in
 * their tests) behaves exactly as without it.
 */
class NonPostgresDatabaseTest {

    @Entity(name = "Visit")
    @Table(name = "visits")
    static class Visit {
        @Id @GeneratedValue Long id;
        @Column(name = "visit_date") LocalDate visitDate;
        String description;
    }

    @Entity(name = "PartitionedVisit")
    @Table(name = "partitioned_visits")
    @PartitionedBy(range = "visitDate")
    static class PartitionedVisit {
        @Id Long id;
        @Column(name = "visit_date", nullable = false) LocalDate visitDate;
    }

    private static SessionFactory h2(String childPartitionDml, Class<?>... entities) {
        Configuration configuration = new Configuration();
        configuration.setProperty("hibernate.connection.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        configuration.setProperty("hibernate.hbm2ddl.auto", "create-drop");
        if (childPartitionDml != null) {
            configuration.setProperty(PartitioningSettings.CHILD_PARTITION_DML, childPartitionDml);
        }
        for (Class<?> entity : entities) {
            configuration.addAnnotatedClass(entity);
        }
        return configuration.buildSessionFactory();
    }

    @Test
    void everyKindOfWriteWorksAsWithoutTheJar() {
        for (String mode : new String[]{null, "reject", "warn", "allow"}) {
            try (SessionFactory factory = h2(mode, Visit.class)) {
                Visit visit = new Visit();
                visit.visitDate = LocalDate.of(2024, 5, 2);
                visit.description = "rabies shot";
                factory.inTransaction(session -> session.persist(visit));
                factory.inTransaction(session -> session.find(Visit.class, visit.id).description = "rabies shot, booster");
                factory.inTransaction(session -> {
                    session.createNativeMutationQuery("insert into visits (id, visit_date, description) values (1000, date '2024-05-03', 'x')")
                            .executeUpdate();
                    session.createNativeMutationQuery("update visits set description = 'y' where id = 1000").executeUpdate();
                    session.createMutationQuery("update Visit set visitDate = :d where id = :id")
                            .setParameter("d", LocalDate.of(2024, 5, 4)).setParameter("id", 1000L).executeUpdate();
                });
                factory.inTransaction(session -> {
                    assertThat(session.find(Visit.class, visit.id).description).as("entity update under %s", mode)
                            .isEqualTo("rabies shot, booster");
                    assertThat(session.find(Visit.class, 1000L).visitDate).as("native and bulk writes under %s", mode)
                            .isEqualTo(LocalDate.of(2024, 5, 4));
                    assertThat((boolean) session.doReturningWork(connection -> Proxy.isProxyClass(connection.getClass())))
                            .as("connections are handed out unwrapped under %s", mode).isFalse();
                });
            }
        }
    }

    @Test
    void partitionedEntitiesOnAnotherDatabaseAreStillRefusedClearly() {
        assertThatThrownBy(() -> h2(null, Visit.class, PartitionedVisit.class).close())
                .isInstanceOf(PartitioningException.class)
                .hasMessage("pgpartition works with PostgreSQL only, but this persistence unit maps 1 @PartitionedBy entity "
                        + "(PartitionedVisit) with H2Dialect. Use a PostgreSQL 14+ database with org.hibernate.dialect.PostgreSQLDialect.");
    }
}
