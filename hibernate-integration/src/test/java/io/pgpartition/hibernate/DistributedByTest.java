package io.pgpartition.hibernate;

import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.PartitionKeyMissingException;
import io.pgpartition.PartitionMappingException;
import io.pgpartition.annotations.DistributedBy;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.test.postgres.TestDatabase;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @DistributedBy} on plain PostgreSQL, where no Citus runs: the distribution attribute is kept as on the cluster
 * (required, never changed, in the WHERE clause of entity UPDATE and DELETE and of the finder), so that tests on a
 * single PostgreSQL behave as the cluster will; an attribute it names must exist.
 */
@HibernateTest
class DistributedByTest {

    @Entity(name = "TenantVisit")
    @Table(name = "db_visits")
    @PartitionedBy(range = "visitedOn")
    @DistributedBy("tenantId")
    static class TenantVisit {
        @Id Long id;
        @Column(name = "tenant_id", nullable = false) Long tenantId;
        @Column(name = "visited_on", nullable = false) LocalDate visitedOn;
        @Column(name = "page") String page;

        TenantVisit() {
        }

        TenantVisit(Long id, Long tenantId, LocalDate visitedOn, String page) {
            this.id = id;
            this.tenantId = tenantId;
            this.visitedOn = visitedOn;
            this.page = page;
        }
    }

    @Entity(name = "MisnamedVisit")
    @Table(name = "db_visits")
    @PartitionedBy(range = "visitedOn")
    @DistributedBy("tenant")
    static class MisnamedVisit {
        @Id Long id;
        @Column(name = "tenant_id", nullable = false) Long tenantId;
        @Column(name = "visited_on", nullable = false) LocalDate visitedOn;
    }

    private static final List<String> STATEMENTS = new CopyOnWriteArrayList<>();
    private static SessionFactory factory;

    @BeforeAll
    static void boot(TestDatabase db, SessionFactoryScope scope) {
        db.execute("CREATE TABLE db_visits (id bigint NOT NULL, tenant_id bigint NOT NULL, visited_on date NOT NULL, page text, "
                        + "PRIMARY KEY (id, visited_on)) PARTITION BY RANGE (visited_on)",
                "CREATE TABLE db_visits_2026 PARTITION OF db_visits FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')");
        factory = scope.build(Map.of("hibernate.session_factory.statement_inspector", (StatementInspector) sql -> {
            STATEMENTS.add(sql);
            return sql;
        }), TenantVisit.class);
    }

    @Test
    void theTenantIsRequiredNeverChangedAndNamedInEveryWriteByIdentifier() {
        STATEMENTS.clear();
        assertThatThrownBy(() -> factory.inTransaction(s -> s.persist(new TenantVisit(1L, null, LocalDate.of(2026, 3, 1), "/"))))
                .isInstanceOf(PartitionKeyMissingException.class)
                .hasMessage("Cannot insert TenantVisit: distribution attribute 'tenantId' (column tenant_id of table db_visits, "
                        + "distributed by it with Citus) is null. Set TenantVisit.tenantId before persisting: Citus needs it to "
                        + "choose the shard.");
        assertThat(STATEMENTS).as("refused before any SQL").isEmpty();

        factory.inTransaction(s -> s.persist(new TenantVisit(2L, 7L, LocalDate.of(2026, 3, 1), "/")));
        STATEMENTS.clear();
        factory.inTransaction(s -> s.find(TenantVisit.class, 2L).page = "/home");
        assertThat(STATEMENTS).filteredOn(sql -> sql.startsWith("update")).containsExactly(
                "update db_visits set page=? where id=? and tenant_id=? and visited_on=?");

        assertThatThrownBy(() -> factory.inTransaction(s -> s.find(TenantVisit.class, 2L).tenantId = 8L))
                .isInstanceOf(PartitionKeyChangedException.class)
                .hasMessage("Cannot update TenantVisit with id 2: partition key attribute 'tenantId' would change from 7 to 8. "
                        + "The partition key of a stored row never changes: delete the row and insert a new one instead.");

        STATEMENTS.clear();
        TenantVisit found = factory.fromTransaction(s -> PartitionedFinder.find(s, TenantVisit.class, 2L, LocalDate.of(2026, 3, 1), 7L));
        assertThat(found.page).isEqualTo("/home");
        assertThat(STATEMENTS).singleElement().asString().endsWith("where tv1_0.id=? and tv1_0.visited_on=? and tv1_0.tenant_id=?");
        assertThatThrownBy(() -> factory.fromTransaction(s -> PartitionedFinder.find(s, TenantVisit.class, 2L, LocalDate.of(2026, 3, 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TenantVisit is partitioned by [visitedOn, tenantId]: pass 2 key value(s), got 1");

        STATEMENTS.clear();
        factory.inTransaction(s -> s.remove(s.find(TenantVisit.class, 2L)));
        assertThat(STATEMENTS).filteredOn(sql -> sql.startsWith("delete")).containsExactly(
                "delete from db_visits where id=? and tenant_id=? and visited_on=?");
    }

    @Test
    void anAttributeThatDoesNotExistIsReported(SessionFactoryScope scope) {
        assertThatThrownBy(() -> scope.build(Map.of(), MisnamedVisit.class).close())
                .isInstanceOf(PartitionMappingException.class)
                .hasMessageContaining("[KEY_ATTRIBUTE_UNKNOWN] MisnamedVisit -> db_visits: distribution attribute 'tenant' is not a "
                        + "basic persistent attribute; found attributes [id, tenantId, visitedOn], expected one of them. Fix: name "
                        + "the attribute of the distribution column in @DistributedBy on MisnamedVisit");
    }
}
