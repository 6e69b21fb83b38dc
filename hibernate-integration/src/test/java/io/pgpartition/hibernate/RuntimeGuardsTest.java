package io.pgpartition.hibernate;

import io.pgpartition.NoPartitionForKeyException;
import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.PartitionKeyMissingException;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The key guards on entity inserts and updates, through the entity API.
 */
@HibernateTest
class RuntimeGuardsTest {

    @Entity(name = "ClaimLine")
    @Table(name = "rg_claim_lines")
    @PartitionedBy(range = "serviceDate")
    static class ClaimLine {
        @Id Long id;
        @Column(name = "service_date", nullable = false) LocalDate serviceDate;
        @Column(name = "procedure_code") String procedureCode;

        ClaimLine() {
        }

        ClaimLine(Long id, LocalDate serviceDate, String procedureCode) {
            this.id = id;
            this.serviceDate = serviceDate;
            this.procedureCode = procedureCode;
        }
    }

    private static SessionFactory factory;
    private static CatalogStatementCounter counter;

    @BeforeAll
    static void boot(TestDatabase db, SessionFactoryScope scope) {
        db.execute("CREATE TABLE rg_claim_lines (id bigint NOT NULL, service_date date NOT NULL, procedure_code text, "
                        + "PRIMARY KEY (id, service_date)) PARTITION BY RANGE (service_date)",
                "CREATE TABLE rg_claim_lines_y2024m04 PARTITION OF rg_claim_lines FOR VALUES FROM ('2024-04-01') TO ('2024-05-01')",
                "CREATE TABLE rg_claim_lines_y2024m05 PARTITION OF rg_claim_lines FOR VALUES FROM ('2024-05-01') TO ('2024-06-01')",
                "CREATE TABLE rg_claim_lines_y2024m08 PARTITION OF rg_claim_lines FOR VALUES FROM ('2024-08-01') TO ('2024-09-01')",
                "CREATE TABLE rg_claim_lines_rest PARTITION OF rg_claim_lines FOR VALUES FROM ('2025-01-01') TO (MAXVALUE)");
        counter = new CatalogStatementCounter(db.dataSource());
        factory = scope.build(Map.of("hibernate.connection.datasource", counter.dataSource()), ClaimLine.class);
    }


    @BeforeEach
    void emptyTable(TestDatabase db) {
        db.execute("DELETE FROM rg_claim_lines", "DROP TABLE IF EXISTS rg_claim_lines_y2024m06");
    }

    private static long rows(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM rg_claim_lines")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void insertWithoutAKeyFailsBeforeAnySql(TestDatabase db) throws SQLException {
        assertThatThrownBy(() -> factory.inTransaction(session -> session.persist(new ClaimLine(1L, null, "99213"))))
                .isInstanceOf(PartitionKeyMissingException.class)
                .hasMessage("Cannot insert ClaimLine: partition key attribute 'serviceDate' (column service_date of table "
                        + "rg_claim_lines, partitioned by RANGE) is null. Set ClaimLine.serviceDate before persisting: "
                        + "PostgreSQL needs it to choose the partition.");
        assertThat(rows(db)).as("nothing was inserted").isZero();
    }

    @Test
    void insertWhoseKeyNoPartitionTakesNamesTheNearestPartitions(TestDatabase db) throws SQLException {
        assertThatThrownBy(() -> factory.inTransaction(session -> session.persist(new ClaimLine(2L, LocalDate.of(2024, 6, 15), "99213"))))
                .isInstanceOf(NoPartitionForKeyException.class)
                .hasMessage("No partition of table rg_claim_lines accepts partition key value '2024-06-15'; nearest partitions: "
                        + "rg_claim_lines_y2024m05, rg_claim_lines_y2024m08. Create a partition for this value or run partition maintenance.");
        assertThat(rows(db)).as("nothing was inserted").isZero();
    }

    @Test
    void aPartitionCreatedByAnotherProcessIsSeenOnTheNextMiss(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE rg_claim_lines_y2024m06 PARTITION OF rg_claim_lines FOR VALUES FROM ('2024-06-01') TO ('2024-07-01')");
        factory.inTransaction(session -> session.persist(new ClaimLine(3L, LocalDate.of(2024, 6, 15), "99213")));
        assertThat(rows(db)).as("the row went into the new partition").isEqualTo(1);
    }

    @Test
    void aPoolOfOneConnectionIsEnough(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        try (SessionFactory single = scope.build(Map.of("hibernate.connection.pool_size", "1"), ClaimLine.class)) {
            single.inTransaction(session -> {
                session.persist(new ClaimLine(60L, LocalDate.of(2024, 4, 2), "known partition"));
                session.createNativeMutationQuery("insert into rg_claim_lines (id, service_date) values (61, '2024-05-02')")
                        .executeUpdate();
            });
            assertThatThrownBy(() -> single.inTransaction(session -> session.createNativeMutationQuery(
                    "insert into rg_claim_lines_y2024m04 (id, service_date) values (62, '2024-04-03')").executeUpdate()))
                    .as("the first sight of a partition name is looked up on the session's connection")
                    .isInstanceOf(io.pgpartition.ChildPartitionWriteException.class);
            assertThatThrownBy(() -> single.inTransaction(session -> session.persist(new ClaimLine(63L, LocalDate.of(2024, 6, 15), "miss"))))
                    .as("a miss reads the catalog again on the session's connection")
                    .isInstanceOf(NoPartitionForKeyException.class)
                    .hasMessage("No partition of table rg_claim_lines accepts partition key value '2024-06-15'; nearest partitions: "
                            + "rg_claim_lines_y2024m05, rg_claim_lines_y2024m08. Create a partition for this value or run partition maintenance.");
            db.execute("CREATE TABLE rg_claim_lines_y2024m06 PARTITION OF rg_claim_lines FOR VALUES FROM ('2024-06-01') TO ('2024-07-01')");
            single.inTransaction(session -> session.persist(new ClaimLine(64L, LocalDate.of(2024, 6, 15), "new partition")));
        }
        assertThat(rows(db)).as("three rows in, the refused ones out").isEqualTo(3);
    }

    @Test
    void aPartitionCreatedAfterARepeatableReadSnapshotIsLeftToTheServer(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        try (SessionFactory repeatable = scope.build(Map.of("hibernate.connection.isolation", "4"), ClaimLine.class)) {
            repeatable.inTransaction(session -> {
                session.createNativeQuery("select 1", Integer.class).getSingleResult();
                db.execute("CREATE TABLE rg_claim_lines_y2024m06 PARTITION OF rg_claim_lines FOR VALUES FROM ('2024-06-01') TO ('2024-07-01')");
                session.persist(new ClaimLine(70L, LocalDate.of(2024, 6, 15), "routed by the server"));
            });
        }
        assertThat(rows(db)).as("the snapshot's catalog lacks the partition, PostgreSQL routes the row to it").isEqualTo(1);
    }

    @Test
    void insertsWithKnownPartitionsCostNoCatalogQuery() {
        factory.inTransaction(session -> session.persist(new ClaimLine(10L, LocalDate.of(2024, 4, 2), "warm-up")));
        counter.reset();
        factory.inTransaction(session -> {
            for (long id = 11; id < 111; id++) {
                session.persist(new ClaimLine(id, LocalDate.of(2024, 4, 1).plusDays(id % 50), "99213"));
            }
        });
        assertThat(counter.count()).as("100 inserts into known partitions read the catalog zero times").isZero();
    }

    @Test
    void changingTheKeyOfAManagedEntityIsRefused() {
        factory.inTransaction(session -> session.persist(new ClaimLine(20L, LocalDate.of(2024, 4, 10), "99213")));
        assertThatThrownBy(() -> factory.inTransaction(session -> {
            ClaimLine line = session.find(ClaimLine.class, 20L);
            line.serviceDate = LocalDate.of(2024, 5, 10);
        }))
                .isInstanceOf(PartitionKeyChangedException.class)
                .hasMessage("Cannot update ClaimLine with id 20: partition key attribute 'serviceDate' would change from "
                        + "2024-04-10 to 2024-05-10. The partition key of a stored row never changes: delete the row and insert a new one instead.");
        LocalDate stored = factory.fromTransaction(session -> session.find(ClaimLine.class, 20L).serviceDate);
        assertThat(stored).as("the row kept its key").isEqualTo(LocalDate.of(2024, 4, 10));
    }

    @Test
    void mergingADetachedCopyWithAnotherKeyIsRefused() {
        factory.inTransaction(session -> session.persist(new ClaimLine(30L, LocalDate.of(2024, 4, 10), "99213")));
        ClaimLine detached = new ClaimLine(30L, LocalDate.of(2024, 8, 10), "99214");
        assertThatThrownBy(() -> factory.inTransaction(session -> session.merge(detached)))
                .isInstanceOf(PartitionKeyChangedException.class)
                .hasMessageContaining("would change from 2024-04-10 to 2024-08-10");
    }

    @Test
    void bulkUpdatesThatSetTheKeyAreRefused() {
        factory.inTransaction(session -> session.persist(new ClaimLine(50L, LocalDate.of(2024, 4, 10), "99213")));
        assertThatThrownBy(() -> factory.inTransaction(session -> session.createMutationQuery(
                "update ClaimLine set serviceDate = :day where id = :id")
                .setParameter("day", LocalDate.of(2024, 5, 1)).setParameter("id", 50L).executeUpdate()))
                .as("a JPQL bulk update")
                .isInstanceOf(PartitionKeyChangedException.class)
                .hasMessageStartingWith("Cannot run update rg_claim_lines")
                .hasMessageEndingWith(": it sets partition key attribute 'serviceDate' (column service_date) of ClaimLine, which "
                        + "would move rows between partitions. The partition key of a stored row never changes: delete the rows and "
                        + "insert new ones instead.");
        assertThatThrownBy(() -> factory.inTransaction(session -> {
            var builder = session.getCriteriaBuilder();
            var update = builder.createCriteriaUpdate(ClaimLine.class);
            var root = update.from(ClaimLine.class);
            update.set(root.<LocalDate>get("serviceDate"), LocalDate.of(2024, 5, 2)).where(builder.equal(root.get("id"), 50L));
            session.createMutationQuery(update).executeUpdate();
        })).as("a criteria update").isInstanceOf(PartitionKeyChangedException.class);
        assertThatThrownBy(() -> factory.inTransaction(session -> session.createNativeMutationQuery(
                "UPDATE rg_claim_lines SET service_date = service_date + 30 WHERE id = 50").executeUpdate()))
                .as("a native update through the parent").isInstanceOf(PartitionKeyChangedException.class);
        for (String sql : new String[]{
                "MERGE INTO rg_claim_lines t USING (SELECT 50 AS id) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET service_date = '2024-05-05'",
                "UPDATE rg_claim_lines * SET service_date = '2024-05-05'",
                "UPDATE ONLY (rg_claim_lines) SET service_date = '2024-05-05'",
                "UPDATE rg_claim_lines SET procedure_code = (a IS DISTINCT FROM b)::text, service_date = '2024-05-05'",
                "UPDATE rg_claim_lines SET procedure_code = E'\\'', service_date = '2024-05-05'",
                "UPDATE U&\"rg\\005fclaim\\005flines\" SET service_date = '2024-05-05'",
                "INSERT INTO rg_claim_lines (id, service_date) VALUES (50, '2024-04-10') "
                        + "ON CONFLICT (id, service_date) DO UPDATE SET service_date = '2024-05-05'"}) {
            assertThatThrownBy(() -> factory.inTransaction(session -> session.createNativeMutationQuery(sql).executeUpdate()))
                    .as("native: %s", sql).isInstanceOf(PartitionKeyChangedException.class);
        }
        assertThatThrownBy(() -> factory.inTransaction(session -> session.createMutationQuery(
                "insert into ClaimLine (id, serviceDate, procedureCode) values (50, :day, 'x') "
                        + "on conflict (id, serviceDate) do update set serviceDate = :later")
                .setParameter("day", LocalDate.of(2024, 4, 10)).setParameter("later", LocalDate.of(2024, 5, 5)).executeUpdate()))
                .as("an HQL insert ... on conflict do update of the key").isInstanceOf(PartitionKeyChangedException.class);
        int updated = factory.fromTransaction(session -> session.createMutationQuery(
                "update ClaimLine set procedureCode = 'bulk' where serviceDate = :day")
                .setParameter("day", LocalDate.of(2024, 4, 10)).executeUpdate());
        assertThat(updated).as("a bulk update of other attributes runs").isEqualTo(1);
        LocalDate stored = factory.fromTransaction(session -> session.find(ClaimLine.class, 50L).serviceDate);
        assertThat(stored).as("the key never moved").isEqualTo(LocalDate.of(2024, 4, 10));
    }

    @Test
    void updatesThatLeaveTheKeyEqualPass() {
        factory.inTransaction(session -> session.persist(new ClaimLine(40L, LocalDate.of(2024, 4, 10), "99213")));
        factory.inTransaction(session -> session.find(ClaimLine.class, 40L).procedureCode = "99215");
        factory.inTransaction(session -> session.merge(new ClaimLine(40L, LocalDate.of(2024, 4, 10), "99216")));
        String code = factory.fromTransaction(session -> session.find(ClaimLine.class, 40L).procedureCode);
        assertThat(code).as("both updates went through").isEqualTo("99216");
    }

}
