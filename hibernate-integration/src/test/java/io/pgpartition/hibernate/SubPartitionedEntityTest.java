package io.pgpartition.hibernate;

import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.PartitionKeyMissingException;
import io.pgpartition.PartitionMappingException;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.SubPartitionedBy;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.hibernate.resource.jdbc.spi.StatementInspector;
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
 * A table whose yearly partitions are partitioned by region: the region is a partition key too, and no entity path
 * moves a row from one region's partition to another's.
 */
@HibernateTest
class SubPartitionedEntityTest {

    @Entity(name = "RegionalClaim")
    @Table(name = "sp_claims")
    @PartitionedBy(range = "serviceDate")
    @SubPartitionedBy(list = "region")
    static class RegionalClaim {
        @Id Long id;
        @Column(name = "service_date", nullable = false) LocalDate serviceDate;
        @Column(nullable = false) String region;
        String note;

        RegionalClaim() {
        }

        RegionalClaim(Long id, LocalDate serviceDate, String region) {
            this.id = id;
            this.serviceDate = serviceDate;
            this.region = region;
        }
    }

    @Entity(name = "UndeclaredClaim")
    @Table(name = "sp_claims")
    @PartitionedBy(range = "serviceDate")
    static class UndeclaredClaim {
        @Id Long id;
        @Column(name = "service_date", nullable = false) LocalDate serviceDate;
        @Column(nullable = false) String region;
        String note;
    }

    @Entity(name = "MisdeclaredClaim")
    @Table(name = "sp_claims")
    @PartitionedBy(range = "serviceDate")
    @SubPartitionedBy(hash = "note")
    static class MisdeclaredClaim {
        @Id Long id;
        @Column(name = "service_date", nullable = false) LocalDate serviceDate;
        @Column(nullable = false) String region;
        String note;
    }

    @Entity(name = "FocusedClaim")
    @Table(name = "sp_focus")
    @PartitionedBy(range = "serviceDate")
    @io.pgpartition.annotations.RangePartitions(interval = "1 year", naming = "{table}_y{yyyy}")
    static class FocusedClaim {
        @Id Long id;
        @Column(name = "service_date", nullable = false) LocalDate serviceDate;
        @Column(nullable = false) String region;
    }

    private static SessionFactory factory;

    @BeforeAll
    static void boot(TestDatabase db, SessionFactoryScope scope) {
        db.execute("CREATE TABLE sp_claims (id bigint NOT NULL, service_date date NOT NULL, region text NOT NULL, note text, "
                        + "PRIMARY KEY (id, service_date, region)) PARTITION BY RANGE (service_date)",
                "CREATE TABLE sp_claims_2024 PARTITION OF sp_claims FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (region)",
                "CREATE TABLE sp_claims_2024_eu PARTITION OF sp_claims_2024 FOR VALUES IN ('eu')",
                "CREATE TABLE sp_claims_2024_us PARTITION OF sp_claims_2024 FOR VALUES IN ('us')",
                "CREATE TABLE sp_claims_rest PARTITION OF sp_claims FOR VALUES FROM ('2025-01-01') TO (MAXVALUE) PARTITION BY LIST (region)",
                "CREATE TABLE sp_claims_rest_eu PARTITION OF sp_claims_rest FOR VALUES IN ('eu')",
                "CREATE TABLE sp_claims_rest_us PARTITION OF sp_claims_rest FOR VALUES IN ('us')");
        factory = factory(scope, RegionalClaim.class);
    }

    /** The SQL Hibernate sends, for the pruning check. */
    static final java.util.List<String> SENT = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    private static SessionFactory factory(SessionFactoryScope scope, Class<?> entity) {
        StatementInspector recorder = sql -> {
            SENT.add(sql);
            return sql;
        };
        return scope.build(Map.of("hibernate.connection.datasource", scope.database().dataSource(),
                "hibernate.session_factory.statement_inspector", recorder), entity);
    }

    @BeforeEach
    void emptyTable(TestDatabase db) {
        db.execute("DELETE FROM sp_claims");
    }

    private static String where(TestDatabase db, long id) throws SQLException {
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT region || ' ' || tableoid::regclass FROM sp_claims WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : "gone";
        }
    }

    @Test
    void anUndeclaredSubPartitionKeyOfAnOldPartitionIsReportedWhenValidationReadsOnlyTheCurrentOne(TestDatabase db, SessionFactoryScope scope) {
        int year = LocalDate.now(java.time.ZoneOffset.UTC).getYear();
        db.execute("CREATE TABLE sp_focus (id bigint NOT NULL, service_date date NOT NULL, region text NOT NULL, "
                        + "PRIMARY KEY (id, service_date, region)) PARTITION BY RANGE (service_date)",
                "CREATE TABLE sp_focus_y" + year + " PARTITION OF sp_focus FOR VALUES FROM ('" + year + "-01-01') TO ('"
                        + (year + 1) + "-01-01')",
                "CREATE TABLE sp_focus_y2020 PARTITION OF sp_focus FOR VALUES FROM ('2020-01-01') TO ('2021-01-01') "
                        + "PARTITION BY LIST (region)",
                "CREATE TABLE sp_focus_y2020_eu PARTITION OF sp_focus_y2020 FOR VALUES IN ('eu')");
        try {
            assertThatThrownBy(() -> factory(scope, FocusedClaim.class).close())
                    .as("the current year's partition answers validation's time question; the old one is partitioned by region")
                    .isInstanceOf(PartitionMappingException.class)
                    .hasMessageContaining("[KEY_MISMATCH] FocusedClaim -> sp_focus: partition public.sp_focus_y2020 is partitioned by "
                            + "LIST (region), which the entity does not declare, so a change of it would move the row; found "
                            + "sub-partition key LIST (region), expected it declared. Fix: declare @SubPartitionedBy(list = \"region\") "
                            + "on FocusedClaim (one per level, in order), so that it is guarded as a partition key: required on insert, "
                            + "never changed");
        } finally {
            db.execute("DROP TABLE sp_focus");
        }
    }

    @Test
    void anUndeclaredSubPartitionKeyIsReportedAtBootstrap(SessionFactoryScope scope) {
        assertThatThrownBy(() -> factory(scope, UndeclaredClaim.class).close())
                .isInstanceOf(PartitionMappingException.class)
                .hasMessageContaining("[KEY_MISMATCH] UndeclaredClaim -> sp_claims: partition public.sp_claims_2024 (and 1 more) is "
                        + "partitioned by LIST (region), which the entity does not declare, so a change of it would move the row; found "
                        + "sub-partition key LIST (region), expected it declared. Fix: declare @SubPartitionedBy(list = \"region\") on "
                        + "UndeclaredClaim (one per level, in order), so that it is guarded as a partition key: required on insert, "
                        + "never changed");
        assertThatThrownBy(() -> factory(scope, MisdeclaredClaim.class).close())
                .isInstanceOf(PartitionMappingException.class)
                .hasMessageContaining("[KEY_MISMATCH] MisdeclaredClaim -> sp_claims: partition public.sp_claims_2024 (and 1 more) is "
                        + "partitioned by LIST (region), but the entity declares @SubPartitionedBy(hash = \"note\"); found sub-partition "
                        + "key LIST (region), expected HASH (note). Fix: declare @SubPartitionedBy(list = \"region\") on MisdeclaredClaim "
                        + "to match the table (the order counts)");
    }

    @Test
    void theRegionIsRequiredOnInsertAndNeverChanges(TestDatabase db) throws SQLException {
        factory.inTransaction(session -> session.persist(new RegionalClaim(1L, LocalDate.parse("2024-03-01"), "eu")));
        assertThat(where(db, 1)).isEqualTo("eu sp_claims_2024_eu");

        assertThatThrownBy(() -> factory.inTransaction(session -> session.persist(new RegionalClaim(2L, LocalDate.parse("2024-03-01"), null))))
                .as("a null region").isInstanceOf(PartitionKeyMissingException.class)
                .hasMessage("Cannot insert RegionalClaim: sub-partition key attribute 'region' (column region; the partitions of table "
                        + "sp_claims are partitioned by LIST on it) is null. Set RegionalClaim.region before persisting: PostgreSQL needs "
                        + "it to choose the partition.");

        assertThatThrownBy(() -> factory.inTransaction(session -> session.find(RegionalClaim.class, 1L).region = "us"))
                .as("a managed entity's region").isInstanceOf(PartitionKeyChangedException.class)
                .hasMessage("Cannot update RegionalClaim with id 1: partition key attribute 'region' would change from eu to us. "
                        + "The partition key of a stored row never changes: delete the row and insert a new one instead.");
        RegionalClaim detached = factory.fromTransaction(session -> session.find(RegionalClaim.class, 1L));
        detached.region = "us";
        assertThatThrownBy(() -> factory.inTransaction(session -> session.merge(detached))).as("merged from a detached copy")
                .isInstanceOf(PartitionKeyChangedException.class);
        assertThatThrownBy(() -> factory.inTransaction(session -> session.createMutationQuery(
                "update RegionalClaim set region = 'us' where id = 1").executeUpdate())).as("a bulk update")
                .isInstanceOf(PartitionKeyChangedException.class)
                .hasMessage("Cannot run update sp_claims rc1_0 set region='us' where rc1_0.id=1: it sets partition key attribute "
                        + "'region' (column region) of RegionalClaim, which would move rows between partitions. The partition key of a "
                        + "stored row never changes: delete the rows and insert new ones instead.");

        SENT.clear();
        assertThatThrownBy(() -> factory.inTransaction(session -> session.persist(new RegionalClaim(3L, LocalDate.parse("2024-03-01"),
                "asia")))).as("a region no partition of 2024 takes, refused before any SQL")
                .isInstanceOf(io.pgpartition.NoPartitionForKeyException.class)
                .hasMessage("No partition of table public.sp_claims_2024 (a partition of sp_claims, partitioned again) accepts "
                        + "partition key value ('2024-03-01', 'asia'); nearest partitions: sp_claims_2024_eu, sp_claims_2024_us. "
                        + "Create a partition of public.sp_claims_2024 for this value, or a DEFAULT partition of it; partition "
                        + "maintenance does not manage the partitions of a sub-partitioned table.");
        assertThat(SENT).as("no INSERT was sent").noneMatch(sql -> sql.startsWith("insert"));
        factory.inTransaction(session -> session.find(RegionalClaim.class, 1L).note = "seen");
        assertThat(where(db, 1)).as("other attributes change, the row stays").isEqualTo("eu sp_claims_2024_eu");
        String update = SENT.stream().filter(sql -> sql.startsWith("update")).findFirst().orElseThrow();
        assertThat(update).as("the entity update names the region too").isEqualTo(
                "update sp_claims set note=? where id=? and region=? and service_date=?");
        try (Connection connection = db.connection()) {
            io.pgpartition.test.PartitionAssertions.assertScansExactly(connection, update,
                    java.util.List.of("seen", 1L, "eu", LocalDate.parse("2024-03-01")), "sp_claims_2024_eu");
        }
    }
}
