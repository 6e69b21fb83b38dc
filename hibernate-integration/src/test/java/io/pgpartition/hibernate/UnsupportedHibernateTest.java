package io.pgpartition.hibernate;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.hibernate.internal.HibernateVersion;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On a Hibernate ORM older than 7.2 (run by the profile unsupported-hibernate, e.g. on 6.6, which Spring Boot 3.5
 * manages): a persistence unit with partitioned entities is refused naming both versions; one without them, on
 * PostgreSQL or H2, works exactly as without pgpartition.
 */
@Tag("unsupported-hibernate")
@HibernateTest
class UnsupportedHibernateTest {

    @Entity(name = "Impression")
    @Table(name = "old_impressions")
    @PartitionedBy(range = "shownOn")
    static class Impression {
        @Id Long id;
        @Column(name = "shown_on", nullable = false) LocalDate shownOn;
    }

    @Entity(name = "Note")
    @Table(name = "old_notes")
    static class Note {
        @Id Long id;
        String text;
    }

    @BeforeAll
    static void runsOnAnOlderHibernate() {
        assertThat(HibernateVersion.SUPPORTED).as("this test needs Hibernate older than 7.2; found " + HibernateVersion.RUNNING)
                .isFalse();
    }

    @Test
    void partitionedEntitiesAreRefusedNamingBothVersions(SessionFactoryScope scope) {
        assertThatThrownBy(() -> scope.build(Map.of("hibernate.hbm2ddl.auto", "create"), Impression.class, Note.class))
                .isInstanceOfSatisfying(PartitioningException.class, e -> assertThat(e.getCode()).isEqualTo(ErrorCode.HIBERNATE_UNSUPPORTED))
                .hasMessage("pgpartition needs Hibernate ORM 7.2 or newer, but this application runs Hibernate ORM "
                        + HibernateVersion.RUNNING + " and maps @PartitionedBy entity Impression, whose partition keys it "
                        + "would not guard. Fix: move to Hibernate ORM 7.2 or newer (Spring Boot 4.0 manages 7.2), or set "
                        + "pgpartition.enabled=false to run without pgpartition.");
    }

    @Test
    void withoutPartitionedEntitiesPostgresqlWorksAsWithoutPgpartition(SessionFactoryScope scope) {
        try (SessionFactory factory = scope.build(Map.of("hibernate.hbm2ddl.auto", "create"), Note.class)) {
            factory.inTransaction(session -> session.persist(note(1L, "kept")));
            assertThat((String) factory.fromTransaction(session -> session.find(Note.class, 1L).text)).isEqualTo("kept");
        }
    }

    @Test
    void withoutPartitionedEntitiesH2WorksAsWithoutPgpartition() {
        Configuration configuration = new Configuration()
                .setProperty("hibernate.connection.url", "jdbc:h2:mem:unsupported;DB_CLOSE_DELAY=-1")
                .setProperty("hibernate.hbm2ddl.auto", "create-drop")
                .addAnnotatedClass(Note.class);
        try (SessionFactory factory = configuration.buildSessionFactory()) {
            factory.inTransaction(session -> session.persist(note(2L, "on h2")));
            assertThat((String) factory.fromTransaction(session -> session.find(Note.class, 2L).text)).isEqualTo("on h2");
        }
    }

    private static Note note(Long id, String text) {
        Note note = new Note();
        note.id = id;
        note.text = text;
        return note;
    }
}
