package io.pgpartition.hibernate;

import io.pgpartition.ChildPartitionWriteException;
import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.PartitionMappingException;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code pgpartition.server_guard}: verified or installed at bootstrap, and its refusals of what no client-side check
 * can see (DO blocks, JDBC under {@code child_partition_dml=allow}) reaching Hibernate users as the client-side
 * check's exceptions.
 */
@HibernateTest
class ServerGuardTest {

    @Entity(name = "Claim")
    @Table(name = "hg_claims")
    @PartitionedBy(range = "serviceDate")
    static class Claim {
        @Id Long id;
        @Column(name = "service_date", nullable = false) LocalDate serviceDate;
        String code;
    }

    @BeforeEach
    void table(TestDatabase db) {
        db.execute("DROP TABLE IF EXISTS hg_claims CASCADE",
                "DROP FUNCTION IF EXISTS pgpartition_refuse_key_change, pgpartition_refuse_direct_write CASCADE",
                "CREATE TABLE hg_claims (id bigint NOT NULL, service_date date NOT NULL, code text, PRIMARY KEY (id, service_date)) "
                        + "PARTITION BY RANGE (service_date)",
                "CREATE TABLE hg_claims_old PARTITION OF hg_claims FOR VALUES FROM (MINVALUE) TO ('2025-01-01')",
                "CREATE TABLE hg_claims_new PARTITION OF hg_claims FOR VALUES FROM ('2025-01-01') TO (MAXVALUE)",
                "INSERT INTO hg_claims VALUES (1, '2024-04-04', 'a')");
    }

    @Test
    void verifyStopsTheBootstrapNamingWhatIsUnguarded(SessionFactoryScope scope) {
        assertThatThrownBy(() -> scope.build(Map.of(PartitioningSettings.SERVER_GUARD, "verify"), Claim.class).close())
                .isInstanceOf(PartitionMappingException.class)
                .hasMessageStartingWith("Partition mapping validation found 5 problems:\n"
                        + "  [SERVER_GUARD_MISSING] Claim -> public.hg_claims: function public.pgpartition_refuse_key_change is missing "
                        + "or outdated; found no server guard there, expected one. Fix: pgpartition guard install --table public.hg_claims, "
                        + "or pgpartition.server_guard=install\n")
                .hasMessageContaining("  [SERVER_GUARD_MISSING] Claim -> public.hg_claims: partition public.hg_claims_new of public.hg_claims "
                        + "has no pgpartition_direct_write_guard trigger: direct writes are not refused; found no server guard there, "
                        + "expected one. Fix: pgpartition guard install --table public.hg_claims, or pgpartition.server_guard=install");
    }

    @Test
    void installedItRefusesWhatTheClientCannotSeeInTheClientsWords(SessionFactoryScope scope) {
        try (SessionFactory factory = scope.build(Map.of(PartitioningSettings.SERVER_GUARD, "install",
                PartitioningSettings.CHILD_PARTITION_DML, "allow"), Claim.class)) {
            String block = "DO $$ BEGIN UPDATE hg_claims SET service_date = '2025-02-02' WHERE id = 1; END $$";
            assertThatThrownBy(() -> factory.inTransaction(session -> session.createNativeMutationQuery(block).executeUpdate()))
                    .as("a key change inside a DO block")
                    .isInstanceOf(PartitionKeyChangedException.class)
                    .hasMessage("Cannot run " + block + ": it sets partition key attribute 'serviceDate' (column service_date) of Claim, "
                            + "which would move rows between partitions. The partition key of a stored row never changes: delete the "
                            + "rows and insert new ones instead.");
            String insert = "insert into hg_claims_new (id, service_date, code) values (2, '2025-03-03', 'b')";
            assertThatThrownBy(() -> factory.inTransaction(session -> session.doWork(connection -> {
                try (var statement = connection.prepareStatement(insert)) {
                    statement.executeUpdate();
                }
            }))).as("a direct write that child_partition_dml=allow lets past the client")
                    .isInstanceOf(ChildPartitionWriteException.class)
                    .hasMessage("Statement writes to partition public.hg_claims_new directly instead of its parent table hg_claims: "
                            + insert + ". Write to hg_claims and let PostgreSQL route the row; the server guard refuses direct writes "
                            + "(a maintenance transaction may SET LOCAL pgpartition.bypass = on).");
            factory.inTransaction(session -> {
                Claim claim = new Claim();
                claim.id = 3L;
                claim.serviceDate = LocalDate.of(2025, 5, 5);
                session.persist(claim);
                session.find(Claim.class, 1L).code = "changed";
            });
            assertThat(factory.<Long>fromTransaction(session -> session.createNativeQuery(
                    "select count(*) from hg_claims where code = 'changed' or id = 3", Long.class).getSingleResult()))
                    .as("routed inserts and entity updates pass").isEqualTo(2L);
        }
    }
}
