package io.pgpartition.hibernate;

import io.pgpartition.PartitioningException;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.hibernate.internal.event.StatelessWrites;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.SessionFactory;
import org.hibernate.StaleObjectStateException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code StatelessSession} on a partitioned entity: every write either works, touching one partition, or is refused
 * with a message that says what to use; never a {@code NullPointerException} from Hibernate.
 */
@PostgresTest
class StatelessSessionTest {

    @Entity(name = "Line")
    @Table(name = "ss_lines")
    @PartitionedBy(range = "serviceDate")
    static class Line {
        @Id Long id;
        @Column(name = "service_date", nullable = false) LocalDate serviceDate;
        String code;
        @Version int version;
    }

    private static SessionFactory factory;

    @BeforeAll
    static void boot(TestDatabase db) {
        db.execute("CREATE TABLE ss_lines (id bigint NOT NULL, service_date date NOT NULL, code text, version int NOT NULL, "
                        + "PRIMARY KEY (id, service_date)) PARTITION BY RANGE (service_date)",
                "CREATE TABLE ss_lines_2024 PARTITION OF ss_lines FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE ss_lines_later PARTITION OF ss_lines FOR VALUES FROM ('2025-01-01') TO (MAXVALUE)");
        factory = Bootstrap.sessionFactory(db, Line.class);
    }

    @AfterAll
    static void close() {
        factory.close();
    }

    @BeforeEach
    void empty(TestDatabase db) {
        db.execute("DELETE FROM ss_lines");
    }

    private static Line line(long id, LocalDate date, String code) {
        Line line = new Line();
        line.id = id;
        line.serviceDate = date;
        line.code = code;
        return line;
    }

    private static List<String> rows() {
        return factory.fromStatelessTransaction(s -> s.createNativeQuery(
                "select id || ' ' || service_date || ' ' || code || ' v' || version from ss_lines order by id", String.class).getResultList());
    }

    @Test
    void insertUpdateAndDeleteWork() {
        factory.inStatelessTransaction(s -> {
            s.insert(line(1, LocalDate.of(2024, 5, 1), "a"));
            s.insert(line(2, LocalDate.of(2024, 5, 1), "b"));
            s.insert(line(3, LocalDate.of(2026, 5, 1), "c"));
        });
        if (StatelessWrites.STATELESS_UPDATE_BROKEN) {
            assertThatThrownBy(() -> factory.inStatelessTransaction(s -> {
                Line line = s.get(Line.class, 1L);
                line.code = "a2";
                s.update(line);
            })).isInstanceOf(PartitioningException.class).hasMessage("Cannot update Line with id 1 through a StatelessSession on "
                    + "Hibernate " + org.hibernate.Version.getVersionString() + ": that version fails on the partition key's flag (a "
                    + "NullPointerException in AbstractMutationCoordinator), 7.4 runs it. Update it through a Session, or with a query "
                    + "naming the partition key: update Line set ... where id = :id and serviceDate = :key, or move to Hibernate 7.4.");
        } else {
            factory.inStatelessTransaction(s -> {
                Line line = s.get(Line.class, 1L);
                line.code = "a2";
                s.update(line);
            });
        }
        factory.inStatelessTransaction(s -> s.delete(s.get(Line.class, 2L)));
        factory.inStatelessTransaction(s -> s.deleteMultiple(List.of(s.get(Line.class, 3L))));
        assertThat(rows()).as("updated by id and key, the others deleted by id, key and version")
                .containsExactly(StatelessWrites.STATELESS_UPDATE_BROKEN ? "1 2024-05-01 a v0" : "1 2024-05-01 a2 v1");
    }

    @Test
    void aDeleteThatMatchesNoRowIsStale() {
        factory.inStatelessTransaction(s -> s.insert(line(1, LocalDate.of(2024, 5, 1), "a")));
        Line wrongKey = line(1, LocalDate.of(2024, 6, 1), "a");
        assertThatThrownBy(() -> factory.inStatelessTransaction(s -> s.delete(wrongKey)))
                .as("another key names another row").isInstanceOf(StaleObjectStateException.class);
        Line oldVersion = line(1, LocalDate.of(2024, 5, 1), "a");
        oldVersion.version = 7;
        assertThatThrownBy(() -> factory.inStatelessTransaction(s -> s.delete(oldVersion)))
                .as("another version").isInstanceOf(StaleObjectStateException.class);
        assertThat(rows()).as("the row is still there").containsExactly("1 2024-05-01 a v0");
    }

    @Test
    void anUpdateWithAnotherKeyChangesNothing() {
        factory.inStatelessTransaction(s -> s.insert(line(1, LocalDate.of(2024, 5, 1), "a")));
        assertThatThrownBy(() -> factory.inStatelessTransaction(s -> s.update(line(1, LocalDate.of(2024, 6, 1), "moved"))))
                .as("the key is in the WHERE clause, so no row matches (refused where Hibernate cannot run it)")
                .isInstanceOf(StatelessWrites.STATELESS_UPDATE_BROKEN ? PartitioningException.class : StaleObjectStateException.class);
        assertThat(rows()).as("the row kept its key").containsExactly("1 2024-05-01 a v0");
    }

    @Test
    void upsertIsRefusedWithWhatToUseInstead() {
        assertThatThrownBy(() -> factory.inStatelessTransaction(s -> s.upsert(line(1, LocalDate.of(2024, 5, 1), "a"))))
                .isInstanceOf(PartitioningException.class)
                .hasMessage("Cannot upsert Line with id 1 through a StatelessSession: Hibernate names partition key column "
                        + "service_date of ss_lines twice in the statement it builds, which PostgreSQL refuses. Use insert() "
                        + "for a new row and update() for a stored one, or a native INSERT ... ON CONFLICT (...) DO UPDATE that "
                        + "leaves the key column out of its SET list.");
        assertThat(rows()).as("nothing written").isEmpty();
    }
}
