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
import java.util.Map;
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
        return h2(childPartitionDml, Map.of(), entities);
    }

    private static SessionFactory h2(String childPartitionDml, Map<String, String> settings, Class<?>... entities) {
        Configuration configuration = new Configuration();
        settings.forEach(configuration::setProperty);
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
    void partitionedEntitiesOnAnotherDatabaseRunAsWithoutTheJarAfterOneWarning() {
        String log = StandardError.during(() -> {
            try (SessionFactory factory = h2(null, Visit.class, PartitionedVisit.class)) {
                PartitionedVisit visit = new PartitionedVisit();
                visit.id = 1L;
                visit.visitDate = LocalDate.of(2024, 5, 2);
                factory.inTransaction(session -> session.persist(visit));
                factory.inTransaction(session -> session.find(PartitionedVisit.class, 1L).visitDate = LocalDate.of(2025, 1, 1));
                factory.inTransaction(session -> session.createMutationQuery("update PartitionedVisit set visitDate = :d")
                        .setParameter("d", LocalDate.of(2026, 1, 1)).executeUpdate());
                factory.inTransaction(session -> {
                    assertThat(session.find(PartitionedVisit.class, 1L).visitDate).as("key changes are H2's business here")
                            .isEqualTo(LocalDate.of(2026, 1, 1));
                    assertThat((boolean) session.doReturningWork(connection -> Proxy.isProxyClass(connection.getClass())))
                            .as("connections are handed out unwrapped").isFalse();
                });
            }
        });
        assertThat(log.lines().filter(line -> line.contains("pgpartition"))).as("one warning, naming the way to refuse")
                .containsExactly("[main] WARN io.pgpartition.hibernate.internal.boot.PartitioningIntegrator - pgpartition: this "
                        + "persistence unit maps 1 @PartitionedBy entity (PartitionedVisit) with H2Dialect, not PostgreSQL: their "
                        + "partition keys are neither validated nor guarded here, and schema generation creates their tables "
                        + "unpartitioned. This suits tests on another database; set pgpartition.non_postgresql=fail to refuse it.");
    }

    @Test
    void underFailPartitionedEntitiesOnAnotherDatabaseAreRefusedClearly() {
        assertThatThrownBy(() -> h2(null, Map.of(PartitioningSettings.NON_POSTGRESQL, "fail"), Visit.class, PartitionedVisit.class).close())
                .isInstanceOf(PartitioningException.class)
                .hasMessage("pgpartition works with PostgreSQL only, but this persistence unit maps 1 @PartitionedBy entity "
                        + "(PartitionedVisit) with H2Dialect (pgpartition.non_postgresql=fail). Use a PostgreSQL 14+ database with "
                        + "org.hibernate.dialect.PostgreSQLDialect, or set pgpartition.non_postgresql=warn to run them unguarded on "
                        + "this database.");
    }
}
