package io.pgpartition.hibernate;

import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.PartitioningException;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.hibernate.internal.event.StatelessWrites;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.SessionFactory;
import org.hibernate.StaleObjectStateException;
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
@HibernateTest(entities = {StatelessSessionTest.Line.class, StatelessSessionTest.Tagged.class})
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

    @Entity(name = "Tagged")
    @Table(name = "ss_tagged")
    @PartitionedBy(range = "serviceDate")
    static class Tagged {
        @Id Long id;
        @Column(name = "service_date", nullable = false) LocalDate serviceDate;
        String label;
        @jakarta.persistence.ElementCollection
        @jakarta.persistence.CollectionTable(name = "ss_tagged_tags", joinColumns = @jakarta.persistence.JoinColumn(name = "tagged_id"),
                foreignKey = @jakarta.persistence.ForeignKey(jakarta.persistence.ConstraintMode.NO_CONSTRAINT))
        @Column(name = "tag")
        java.util.Set<String> tags = new java.util.HashSet<>();
    }

    private static SessionFactory factory;

    @BeforeAll
    static void boot(TestDatabase db, SessionFactoryScope scope) {
        db.execute("CREATE TABLE ss_lines (id bigint NOT NULL, service_date date NOT NULL, code text, version int NOT NULL, "
                        + "PRIMARY KEY (id, service_date)) PARTITION BY RANGE (service_date)",
                "CREATE TABLE ss_lines_2024 PARTITION OF ss_lines FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE ss_lines_later PARTITION OF ss_lines FOR VALUES FROM ('2025-01-01') TO (MAXVALUE)",
                "CREATE TABLE ss_tagged (id bigint NOT NULL, service_date date NOT NULL, label text, PRIMARY KEY (id, service_date)) "
                        + "PARTITION BY RANGE (service_date)",
                "CREATE TABLE ss_tagged_all PARTITION OF ss_tagged FOR VALUES FROM (MINVALUE) TO (MAXVALUE)",
                "CREATE TABLE ss_tagged_tags (tagged_id bigint NOT NULL, tag text NOT NULL)");
        factory = scope.sessionFactory();
    }


    @BeforeEach
    void empty(TestDatabase db) {
        db.execute("DELETE FROM ss_lines", "DELETE FROM ss_tagged", "DELETE FROM ss_tagged_tags");
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

    private static List<String> tags() {
        return factory.fromStatelessTransaction(s -> s.createNativeQuery("select tag from ss_tagged_tags order by tag", String.class)
                .getResultList());
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
    void anUpdateWithAnotherKeyIsRefusedAsAKeyChange() {
        factory.inStatelessTransaction(s -> s.insert(line(1, LocalDate.of(2024, 5, 1), "a")));
        if (StatelessWrites.STATELESS_UPDATE_BROKEN) {
            assertThatThrownBy(() -> factory.inStatelessTransaction(s -> s.update(line(1, LocalDate.of(2024, 6, 1), "moved"))))
                    .as("refused where Hibernate cannot run it").isInstanceOf(PartitioningException.class);
        } else {
            assertThatThrownBy(() -> factory.inStatelessTransaction(s -> s.update(line(1, LocalDate.of(2026, 6, 1), "moved"))))
                    .as("the row is stored under another key: a key change, with the stored and the new value")
                    .isInstanceOf(PartitionKeyChangedException.class)
                    .hasMessage("Cannot update Line with id 1: partition key attribute 'serviceDate' would change from 2024-05-01 "
                            + "to 2026-06-01. The partition key of a stored row never changes: delete the row and insert a new one instead.")
                    .satisfies(e -> assertThat(((PartitionKeyChangedException) e).getOldValue()).as("the stored value, typed")
                            .isEqualTo(LocalDate.of(2024, 5, 1)));
        }
        assertThat(rows()).as("the row kept its key").containsExactly("1 2024-05-01 a v0");
    }

    @Test
    void aKeyChangeInsideABatchIsRefusedAsAKeyChange() {
        org.junit.jupiter.api.Assumptions.assumeFalse(StatelessWrites.STATELESS_UPDATE_BROKEN, "Hibernate runs stateless updates");
        factory.inStatelessTransaction(s -> {
            for (long id = 1; id <= 5; id++) {
                s.insert(line(id, LocalDate.of(2024, 5, 1), "a"));
            }
        });
        List<Line> lines = factory.fromStatelessTransaction(s -> s.createSelectionQuery("from Line order by id", Line.class).getResultList());
        lines.forEach(line -> line.code = "b");
        lines.get(3).serviceDate = LocalDate.of(2024, 7, 1);
        assertThatThrownBy(() -> factory.inStatelessTransaction(s -> s.updateMultiple(lines)))
                .as("one batch of five updates, the fourth with another key")
                .isInstanceOf(PartitionKeyChangedException.class)
                .hasMessage("Cannot update Line with id 4: partition key attribute 'serviceDate' would change from 2024-05-01 "
                        + "to 2024-07-01. The partition key of a stored row never changes: delete the row and insert a new one instead.");
        assertThat(rows()).as("the transaction rolled back, every row kept its key")
                .containsExactly("1 2024-05-01 a v0", "2 2024-05-01 a v0", "3 2024-05-01 a v0", "4 2024-05-01 a v0", "5 2024-05-01 a v0");
    }

    @Test
    void anEntityWithItsOwnCollectionIsAskedBeforeHibernateRewritesTheCollection(TestDatabase db) {
        org.junit.jupiter.api.Assumptions.assumeFalse(StatelessWrites.STATELESS_UPDATE_BROKEN, "Hibernate runs stateless updates");
        db.execute("INSERT INTO ss_tagged VALUES (1, '2024-05-01', 'a')", "INSERT INTO ss_tagged_tags VALUES (1, 'kept')");
        Tagged moved = new Tagged();
        moved.id = 1L;
        moved.serviceDate = LocalDate.of(2024, 9, 1);
        moved.tags.add("replaced");
        assertThatThrownBy(() -> factory.inStatelessSession(s -> s.update(moved)))
                .as("refused before any statement of the update, outside a transaction too")
                .isInstanceOf(PartitionKeyChangedException.class)
                .hasMessage("Cannot update Tagged with id 1: partition key attribute 'serviceDate' would change from 2024-05-01 "
                        + "to 2024-09-01. The partition key of a stored row never changes: delete the row and insert a new one instead.");
        assertThat(tags()).as("the collection was not rewritten").containsExactly("kept");
        Tagged same = new Tagged();
        same.id = 1L;
        same.serviceDate = LocalDate.of(2024, 5, 1);
        same.tags.add("new");
        factory.inStatelessTransaction(s -> s.update(same));
        assertThat(tags()).as("an update under the stored key runs").containsExactly("new");
    }

    @Test
    void anUpdateOfAMissingOrOlderRowStaysStale() {
        org.junit.jupiter.api.Assumptions.assumeFalse(StatelessWrites.STATELESS_UPDATE_BROKEN, "Hibernate runs stateless updates");
        factory.inStatelessTransaction(s -> s.insert(line(1, LocalDate.of(2024, 5, 1), "a")));
        Line older = line(1, LocalDate.of(2024, 5, 1), "b");
        older.version = 3;
        assertThatThrownBy(() -> factory.inStatelessTransaction(s -> s.update(older)))
                .as("same key, another version: stale, not a key change").isInstanceOf(StaleObjectStateException.class);
        assertThatThrownBy(() -> factory.inStatelessTransaction(s -> s.update(line(9, LocalDate.of(2024, 6, 1), "c"))))
                .as("no row with that identifier at all").isInstanceOf(StaleObjectStateException.class);
        Line moved = line(1, LocalDate.of(2024, 8, 1), "d");
        moved.version = 3;
        assertThatThrownBy(() -> factory.inStatelessTransaction(s -> s.update(moved)))
                .as("another key and another version: the key change is named").isInstanceOf(PartitionKeyChangedException.class);
        assertThat(rows()).as("untouched").containsExactly("1 2024-05-01 a v0");
    }

    @Test
    void aSessionUpdateAfterAStatelessKeyChangeOnTheSameThreadIsJudgedOnItsOwn() {
        org.junit.jupiter.api.Assumptions.assumeFalse(StatelessWrites.STATELESS_UPDATE_BROKEN, "Hibernate runs stateless updates");
        factory.inStatelessTransaction(s -> {
            s.insert(line(1, LocalDate.of(2024, 5, 1), "a"));
            s.insert(line(2, LocalDate.of(2024, 5, 1), "b"));
        });
        assertThatThrownBy(() -> factory.inStatelessTransaction(s -> s.update(line(1, LocalDate.of(2024, 6, 1), "x"))))
                .isInstanceOf(PartitionKeyChangedException.class);
        factory.inTransaction(session -> session.find(Line.class, 2L).code = "b2");
        assertThatThrownBy(() -> factory.inTransaction(session -> {
            Line stale = session.find(Line.class, 2L);
            session.createNativeMutationQuery("update ss_lines set version = version + 1 where id = 2").executeUpdate();
            stale.code = "b3";
        })).as("a stale Session update is stale, not about the earlier stateless update")
                .isInstanceOf(jakarta.persistence.OptimisticLockException.class);
        assertThat(rows()).as("the stale transaction rolled back whole").containsExactly("1 2024-05-01 a v0", "2 2024-05-01 b2 v1");
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
