package io.pgpartition.citus;

import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.PartitionKeyMissingException;
import io.pgpartition.PartitionMappingException;
import io.pgpartition.annotations.DistributedBy;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import io.pgpartition.hibernate.PartitionLocator;
import io.pgpartition.hibernate.PartitionedFinder;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Hibernate application on the distributed {@code event_impressions} (by tenant, 32 shards, monthly partitions):
 * validation of the distribution column, inserts that need it, updates and deletes by id that reach one shard,
 * tenant changes refused, and the partition named where a row landed.
 */
class CitusHibernateTest {

    private static final String SCHEMA = "citus_orm";
    private static final Instant DECEMBER = Instant.parse("2026-12-03T08:00:00Z");

    /** Seed 002's impression, with the tenant that distributes it. */
    @Entity(name = "EventImpression")
    @Table(name = "event_impressions", schema = SCHEMA)
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "1 month", premake = 1, naming = "{table}_{yyyy}_{MM}")
    @DistributedBy("tenantId")
    public static class EventImpression {
        @Id public Long id;
        @Column(name = "tenant_id", nullable = false) public Long tenantId;
        @Column(name = "event_id", nullable = false) public Long eventId;
        @Column(name = "created_at", nullable = false) public Instant createdAt;
    }

    /** The same table, mapped without its distribution column declared. */
    @Entity(name = "UndeclaredImpression")
    @Table(name = "event_impressions", schema = SCHEMA)
    @PartitionedBy(range = "createdAt")
    public static class UndeclaredImpression {
        @Id public Long id;
        @Column(name = "tenant_id", nullable = false) public Long tenantId;
        @Column(name = "event_id", nullable = false) public Long eventId;
        @Column(name = "created_at", nullable = false) public Instant createdAt;
    }

    /** The same table as plain Hibernate maps it when the tenant must not be updated: {@code updatable = false}. */
    @Entity(name = "PlainImpression")
    @Table(name = "event_impressions", schema = SCHEMA)
    public static class PlainImpression {
        @Id public Long id;
        @Column(name = "tenant_id", nullable = false, updatable = false) public Long tenantId;
        @Column(name = "event_id", nullable = false) public Long eventId;
        @Column(name = "created_at", nullable = false) public Instant createdAt;
    }

    /** A click on an impression, in a distributed table of its own colocation group, joined by the impression's id alone. */
    @Entity(name = "ImpressionClick")
    @Table(name = "impression_clicks", schema = SCHEMA)
    public static class ImpressionClick {
        @Id public Long id;
        @Column(name = "tenant_id", nullable = false) public Long tenantId;
        @jakarta.persistence.ManyToOne(fetch = jakarta.persistence.FetchType.LAZY)
        @jakarta.persistence.JoinColumn(name = "impression_id")
        public EventImpression impression;
    }

    /** A partitioned table of the coordinator that is not distributed, declared as if it were. */
    @Entity(name = "LocalEvent")
    @Table(name = "local_events", schema = SCHEMA)
    @PartitionedBy(range = "createdAt")
    @DistributedBy("tenantId")
    public static class LocalEvent {
        @Id public Long id;
        @Column(name = "tenant_id", nullable = false) public Long tenantId;
        @Column(name = "created_at", nullable = false) public Instant createdAt;
    }

    private final List<String> statements = new CopyOnWriteArrayList<>();

    @BeforeEach
    void distributedTable() throws Exception {
        try (Connection db = CitusCluster.connect()) {
            CitusCluster.eventImpressions(db, SCHEMA, "2026-11-01", 3);
        }
    }

    private SessionFactory factory(Map<String, String> settings, Class<?>... entities) {
        Configuration configuration = new Configuration()
                .setProperty("hibernate.connection.url", CitusCluster.URL)
                .setProperty("hibernate.hbm2ddl.auto", "none");
        settings.forEach(configuration::setProperty);
        configuration.getProperties().put("hibernate.session_factory.statement_inspector", (StatementInspector) sql -> {
            statements.add(sql);
            return sql;
        });
        for (Class<?> entity : entities) {
            configuration.addAnnotatedClass(entity);
        }
        return configuration.buildSessionFactory();
    }

    private static EventImpression impression(long id, Long tenant, long event, Instant at) {
        EventImpression impression = new EventImpression();
        impression.id = id;
        impression.tenantId = tenant;
        impression.eventId = event;
        impression.createdAt = at;
        return impression;
    }

    @Test
    void entityWritesNameTheTenantAndReachOneShard() throws Exception {
        try (SessionFactory factory = factory(Map.of(), EventImpression.class); Connection db = CitusCluster.connect()) {
            factory.inTransaction(session -> session.persist(impression(1L, 2L, 10L, DECEMBER)));

            statements.clear();
            factory.inTransaction(session -> session.find(EventImpression.class, 1L).eventId = 11L);
            String update = last("update");
            assertThat(update).as("the entity UPDATE names the partition key and the tenant, and sets neither")
                    .isEqualTo("update " + SCHEMA + ".event_impressions set event_id=? where id=? and created_at=? and tenant_id=?");
            Map<String, Object> row = Map.of("event_id", 11L, "id", 1L, "created_at", java.sql.Timestamp.from(DECEMBER), "tenant_id", 2L);
            assertThat(tasks(db, update, row)).as("Citus sends the update to one shard").isEqualTo(1);

            statements.clear();
            EventImpression found = factory.fromTransaction(session -> PartitionedFinder.find(session, EventImpression.class, 1L, DECEMBER, 2L));
            assertThat(found.eventId).isEqualTo(11L);
            assertThat(tasks(db, last("select"), row)).as("the finder's query reads one shard").isEqualTo(1);

            String partition = factory.fromTransaction(session -> PartitionLocator.partitionOf(session, session.find(EventImpression.class, 1L)));
            assertThat(partition)
                    .as("the partition, not the shard of the worker that holds the row").isEqualTo(SCHEMA + ".event_impressions_2026_12");

            statements.clear();
            factory.inTransaction(session -> session.remove(session.find(EventImpression.class, 1L)));
            String delete = last("delete");
            assertThat(delete).isEqualTo("delete from " + SCHEMA + ".event_impressions where id=? and created_at=? and tenant_id=?");
            assertThat(tasks(db, delete, row)).as("the delete reaches one shard").isEqualTo(1);
            assertThat(CitusCluster.column(db, "SELECT count(*) FROM " + SCHEMA + ".event_impressions")).containsExactly("0");
        }
    }

    @Test
    void aMissingTenantIsRefusedBeforeAnySqlAndAChangedOneIsNeverDropped() throws Exception {
        try (SessionFactory factory = factory(Map.of(), EventImpression.class); Connection db = CitusCluster.connect()) {
            statements.clear();
            assertThatThrownBy(() -> factory.inTransaction(session -> session.persist(impression(5L, null, 10L, DECEMBER))))
                    .isInstanceOf(PartitionKeyMissingException.class)
                    .hasMessage("Cannot insert EventImpression: distribution attribute 'tenantId' (column tenant_id of table "
                            + SCHEMA + ".event_impressions, distributed by it with Citus) is null. Set EventImpression.tenantId "
                            + "before persisting: Citus needs it to choose the shard.");
            assertThat(statements).as("nothing was sent").isEmpty();

            factory.inTransaction(session -> session.persist(impression(6L, 1L, 10L, DECEMBER)));
            assertThatThrownBy(() -> factory.inTransaction(session -> session.find(EventImpression.class, 6L).tenantId = 3L))
                    .isInstanceOf(PartitionKeyChangedException.class)
                    .hasMessage("Cannot update EventImpression with id 6: partition key attribute 'tenantId' would change from 1 "
                            + "to 3. The partition key of a stored row never changes: delete the row and insert a new one instead.");
            assertThat(CitusCluster.column(db, "SELECT tenant_id || ':' || event_id FROM " + SCHEMA + ".event_impressions WHERE id = 6"))
                    .as("the row is as it was").containsExactly("1:10");
            assertThatThrownBy(() -> factory.inTransaction(session -> session.createMutationQuery(
                    "update EventImpression set tenantId = 4 where id = 6").executeUpdate()))
                    .isInstanceOf(PartitionKeyChangedException.class);
        }
    }

    @Test
    void anEntityThatDoesNotDeclareTheDistributionColumnFailsValidation() {
        assertThatThrownBy(() -> factory(Map.of(), UndeclaredImpression.class).close())
                .isInstanceOf(PartitionMappingException.class)
                .hasMessageContaining("[DISTRIBUTION_MISMATCH] UndeclaredImpression -> " + SCHEMA + ".event_impressions: the table is "
                        + "distributed by tenant_id over 32 shards, so that entity updates setting tenant_id are refused by Citus and "
                        + "updates and deletes by id reach every shard; found no @DistributedBy, expected the attribute mapping "
                        + "tenant_id. Fix: @DistributedBy(\"tenantId\") on UndeclaredImpression");
    }

    @Test
    void plainHibernateUpdatesReachEveryShardOrAreRefused() throws Exception {
        try (SessionFactory factory = factory(Map.of("pgpartition.enabled", "false"), PlainImpression.class, UndeclaredImpression.class);
             Connection db = CitusCluster.connect()) {
            CitusCluster.run(db, "INSERT INTO " + SCHEMA + ".event_impressions VALUES (7, 2, 10, '2026-12-03 08:00:00+00')");
            statements.clear();
            factory.inTransaction(session -> session.find(PlainImpression.class, 7L).eventId = 12L);
            String update = last("update");
            assertThat(update).isEqualTo("update " + SCHEMA + ".event_impressions set created_at=?,event_id=? where id=?");
            assertThat(tasks(db, update, Map.of("created_at", java.sql.Timestamp.from(DECEMBER), "event_id", 12L, "id", 7L)))
                    .as("by id alone: every shard").isEqualTo(32);
            assertThatThrownBy(() -> factory.inTransaction(session -> session.find(UndeclaredImpression.class, 7L).eventId = 13L))
                    .as("the tenant mapped as an ordinary attribute is set by every update, which Citus refuses")
                    .hasRootCauseMessage("ERROR: modifying the partition value of rows is not allowed");
        }
    }

    @Test
    void anApplicationRoleThatOwnsNothingOnATableWithForcedRowLevelSecurityValidatesAndWrites() throws Exception {
        try (Connection db = CitusCluster.connect()) {
            CitusCluster.run(db, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'citus_app') THEN "
                            + "CREATE ROLE citus_app LOGIN; END IF; END $$",
                    "GRANT USAGE ON SCHEMA " + SCHEMA + " TO citus_app",
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON " + SCHEMA + ".event_impressions TO citus_app",
                    "GRANT SELECT ON " + SCHEMA + ".tenants TO citus_app",
                    "ALTER TABLE " + SCHEMA + ".event_impressions ENABLE ROW LEVEL SECURITY",
                    "ALTER TABLE " + SCHEMA + ".event_impressions FORCE ROW LEVEL SECURITY",
                    "CREATE POLICY known_tenants ON " + SCHEMA + ".event_impressions USING (tenant_id BETWEEN 1 AND 4)");
        }
        String url = CitusCluster.URL.replace("user=postgres", "user=citus_app");
        Configuration configuration = new Configuration().setProperty("hibernate.connection.url", url)
                .setProperty("hibernate.hbm2ddl.auto", "none").addAnnotatedClass(EventImpression.class);
        try (SessionFactory factory = configuration.buildSessionFactory(); Connection db = CitusCluster.connect()) {
            factory.inTransaction(session -> session.persist(impression(21L, 3L, 10L, DECEMBER)));
            EventImpression detached = factory.fromTransaction(session -> PartitionedFinder.find(session, EventImpression.class, 21L,
                    DECEMBER, 3L));
            detached.eventId = 22L;
            factory.inTransaction(session -> session.merge(detached));
            assertThat(CitusCluster.column(db, "SELECT event_id FROM " + SCHEMA + ".event_impressions WHERE id = 21"))
                    .as("merge of a detached entity, as Spring Data's save does").containsExactly("22");
            detached.tenantId = 4L;
            assertThatThrownBy(() -> factory.inTransaction(session -> session.merge(detached)))
                    .isInstanceOf(PartitionKeyChangedException.class)
                    .hasMessage("Cannot update EventImpression with id 21: partition key attribute 'tenantId' would change from 3 "
                            + "to 4. The partition key of a stored row never changes: delete the row and insert a new one instead.");
            assertThatThrownBy(() -> factory.inTransaction(session -> session.createNativeMutationQuery(
                    "insert into " + SCHEMA + ".event_impressions_2026_12 values (22, 1, 1, now())").executeUpdate()))
                    .as("direct writes to a partition are refused by the client guard, and by privileges on the server")
                    .isInstanceOf(io.pgpartition.ChildPartitionWriteException.class);
        }
        try (Connection app = java.sql.DriverManager.getConnection(url)) {
            assertThatThrownBy(() -> CitusCluster.run(app, "INSERT INTO " + SCHEMA + ".event_impressions_2026_12 VALUES (23, 1, 1, now())"))
                    .hasMessage("ERROR: permission denied for table event_impressions_2026_12");
        }
        try (SessionFactory factory = new Configuration().setProperty("hibernate.connection.url", url)
                .setProperty("hibernate.hbm2ddl.auto", "none").addAnnotatedClass(EventImpression.class).buildSessionFactory()) {
            assertThatThrownBy(() -> factory.inTransaction(session -> session.persist(impression(24L, 9L, 10L, DECEMBER))))
                    .as("the policy, enforced on the workers, refuses a tenant outside it")
                    .rootCause().hasMessageStartingWith("ERROR: new row violates row-level security policy for table "
                            + "\"event_impressions_");
        }
    }

    @Test
    void theSentinelSeesAStatementThatReachesEveryShard() throws Exception {
        try (SessionFactory factory = factory(Map.of("pgpartition.unpruned_statements", "fail"), EventImpression.class)) {
            factory.inTransaction(session -> session.persist(impression(31L, 2L, 10L, DECEMBER)));
            assertThatThrownBy(() -> factory.inTransaction(session -> session.find(EventImpression.class, 31L)))
                    .isInstanceOf(io.pgpartition.UnprunedStatementException.class)
                    .hasMessageStartingWith("Unpruned statement: entity load of EventImpression can touch all 3 partitions of "
                            + SCHEMA + ".event_impressions (partition key RANGE (created_at)), on 32 of 32 shards, run at ")
                    .hasMessageContaining("Fix: load EventImpression with PartitionedFinder.find(em, EventImpression.class, id, "
                            + "createdAt, tenantId) instead of by its identifier alone.");
            EventImpression found = factory.fromTransaction(session -> PartitionedFinder.find(session, EventImpression.class, 31L,
                    DECEMBER, 2L));
            assertThat(found.eventId).as("one partition on one shard passes").isEqualTo(10L);
            factory.inTransaction(session -> PartitionedFinder.find(session, EventImpression.class, 31L, DECEMBER, 2L).eventId = 11L);
        }
    }

    @Test
    void theServerGuardIsRefusedAtBootstrapBeforeAnythingIsInstalled() throws Exception {
        assertThatThrownBy(() -> factory(Map.of("pgpartition.server_guard", "install"), EventImpression.class).close())
                .isInstanceOf(io.pgpartition.PartitioningException.class)
                .hasMessageStartingWith("Cannot install the server guard, and nothing was installed: " + SCHEMA + ".event_impressions is "
                        + "a Citus distributed table (distributed by tenant_id, 32 shards)");
        assertThatThrownBy(() -> factory(Map.of("pgpartition.server_guard", "verify"), EventImpression.class).close())
                .isInstanceOf(PartitionMappingException.class)
                .hasMessageContaining("[SERVER_GUARD_MISSING] EventImpression -> " + SCHEMA + ".event_impressions: " + SCHEMA
                        + ".event_impressions is a Citus distributed table")
                .hasMessageContaining(" Fix: set pgpartition.server_guard=none.");
        try (Connection db = CitusCluster.connect()) {
            assertThat(CitusCluster.column(db, "SELECT count(*) FROM pg_proc WHERE pronamespace = '" + SCHEMA + "'::regnamespace"))
                    .as("no trigger function installed").containsExactly("0");
        }
    }

    @Test
    void associationsBetweenDistributedTablesMustBeColocatedAndJoinedByTheTenant() throws Exception {
        try (Connection db = CitusCluster.connect()) {
            CitusCluster.run(db, "CREATE TABLE " + SCHEMA + ".impression_clicks (id bigint, tenant_id bigint NOT NULL, impression_id bigint, "
                            + "PRIMARY KEY (id, tenant_id))",
                    "SELECT create_distributed_table('" + SCHEMA + ".impression_clicks', 'tenant_id', colocate_with => 'none')");
            String clicks = CitusCluster.column(db, "SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = '" + SCHEMA
                    + ".impression_clicks'::regclass").get(0);
            String events = CitusCluster.column(db, "SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = '" + SCHEMA
                    + ".event_impressions'::regclass").get(0);
            String fix = "SELECT update_distributed_table_colocation('\"" + SCHEMA + "\".\"impression_clicks\"', colocate_with => '\""
                    + SCHEMA + "\".\"event_impressions\"')";
            assertThatThrownBy(() -> factory(Map.of(), EventImpression.class, ImpressionClick.class).close())
                    .isInstanceOf(PartitionMappingException.class)
                    .hasMessageContaining("[DISTRIBUTED_JOIN_NOT_COLOCATED] EventImpression -> " + SCHEMA + ".event_impressions: "
                            + "ImpressionClick references it from distributed table " + SCHEMA + ".impression_clicks by impression_id, so "
                            + "that Citus can neither keep a foreign key between them nor join them on one node; found colocation groups "
                            + clicks + " and " + events + ", join columns without tenant_id, expected one colocation group, joined by the "
                            + "distribution column. Fix: join by the distribution column too: @JoinColumns with tenant_id referencing "
                            + "tenant_id; and " + fix);
            CitusCluster.run(db, fix);
            assertThatThrownBy(() -> factory(Map.of(), EventImpression.class, ImpressionClick.class).close())
                    .as("colocated now, still joined by the impression's id alone")
                    .hasMessageContaining("found join columns without tenant_id, expected one colocation group, joined by the "
                            + "distribution column. Fix: join by the distribution column too: @JoinColumns with tenant_id referencing "
                            + "tenant_id\n");
        }
    }

    @Test
    void aDistributedByOnATableThatIsNotDistributedFailsValidation() throws Exception {
        try (Connection db = CitusCluster.connect()) {
            CitusCluster.run(db, "CREATE TABLE " + SCHEMA + ".local_events (id bigint, tenant_id bigint NOT NULL, created_at timestamptz "
                    + "NOT NULL, PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at)",
                    "CREATE TABLE " + SCHEMA + ".local_events_2026_12 PARTITION OF " + SCHEMA + ".local_events FOR VALUES FROM "
                            + "('2026-12-01') TO ('2027-01-01')");
        }
        assertThatThrownBy(() -> factory(Map.of(), LocalEvent.class).close())
                .isInstanceOf(PartitionMappingException.class)
                .hasMessageContaining("[TABLE_NOT_DISTRIBUTED] LocalEvent -> " + SCHEMA + ".local_events: @DistributedBy(\"tenantId\") is "
                        + "declared but the table is not distributed by a column; found a plain PostgreSQL table, expected a Citus distributed "
                        + "table. Fix: SELECT create_distributed_table('\"" + SCHEMA + "\".\"local_events\"', 'tenant_id'), or remove "
                        + "@DistributedBy from LocalEvent");
    }

    private String last(String verb) {
        for (int i = statements.size() - 1; i >= 0; i--) {
            if (statements.get(i).startsWith(verb)) {
                return statements.get(i);
            }
        }
        throw new AssertionError("no " + verb + " among " + statements);
    }

    private static final Pattern PARAMETER = Pattern.compile("(?:\\w+\\.)?(\\w+)=\\?");

    /** The Citus tasks of a statement as Hibernate wrote it, with each parameter bound to the value of its column. */
    private static int tasks(Connection db, String sql, Map<String, Object> values) throws Exception {
        List<Object> parameters = new ArrayList<>();
        Matcher matcher = PARAMETER.matcher(sql);
        while (matcher.find()) {
            parameters.add(values.get(matcher.group(1)));
        }
        try (PreparedStatement explain = db.prepareStatement("EXPLAIN (COSTS OFF) " + sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                explain.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rs = explain.executeQuery()) {
                while (rs.next()) {
                    String line = rs.getString(1).trim();
                    if (line.startsWith("Task Count: ")) {
                        return Integer.parseInt(line.substring("Task Count: ".length()));
                    }
                }
            }
        }
        throw new AssertionError("no Citus task count in the plan of " + sql);
    }
}
