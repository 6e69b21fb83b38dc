package io.pgpartition.citus;

import io.pgpartition.PartitioningException;
import io.pgpartition.annotations.Expiry;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.catalog.Distribution;
import io.pgpartition.conversion.ConversionAnalysis;
import io.pgpartition.conversion.TableConversion;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.guard.GuardState;
import io.pgpartition.guard.ServerGuard;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.maintenance.MaintenanceResult;
import io.pgpartition.maintenance.PartitionMaintenance;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.report.PartitionHealth;
import io.pgpartition.report.PartitionReport;
import io.pgpartition.report.ReportJson;
import io.pgpartition.report.ReportText;
import io.pgpartition.reshape.PartitionReshape;
import io.pgpartition.reshape.ReshapeSpec;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Maintenance, reports, health, the server guard, conversion and reshaping on a distributed variant of seed 002's
 * {@code event_impressions}: distributed by tenant over 32 shards, monthly partitions, a foreign key to a reference table.
 */
class CitusEnginesTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void catalogReadsTheDistributionOfTheTableAndItsPartitions() throws Exception {
        try (Connection db = CitusCluster.connect()) {
            CitusCluster.eventImpressions(db, "citus_catalog", "2026-11-01", 2);
            CatalogSnapshot snapshot = new CatalogReader().read(db, List.of(TableName.of("citus_catalog", "event_impressions")));
            assertThat(snapshot.citus()).as("the citus extension is seen with the server version").isPresent();
            Distribution root = snapshot.distribution(TableName.of("citus_catalog", "event_impressions")).orElseThrow();
            assertThat(root.type()).isEqualTo(Distribution.Type.DISTRIBUTED);
            assertThat(root.column()).contains("tenant_id");
            assertThat(root.shardCount()).isEqualTo(32);
            assertThat(snapshot.distribution(TableName.of("citus_catalog", "event_impressions_2026_12")))
                    .as("each partition is a distributed table colocated with its parent")
                    .map(Distribution::colocationId).contains(root.colocationId());
        }
    }

    @Test
    void maintenancePremakesAndRetiresOnADistributedTableWithAForeignKeyToAReferenceTable() throws Exception {
        try (Connection db = CitusCluster.connect()) {
            CitusCluster.eventImpressions(db, "citus_maint", "2026-07-01", 2);
            CitusCluster.run(db, "INSERT INTO citus_maint.event_impressions VALUES (1, 1, 10, '2026-07-15'), (2, 2, 11, '2026-08-15')");
            TableName table = TableName.of("citus_maint", "event_impressions");
            RangePolicy policy = RangePolicy.monthly().premake(2).retention("3 months").onExpiry(Expiry.DROP)
                    .naming("{table}_{yyyy}_{MM}").build();
            PartitionMaintenance maintenance = new PartitionMaintenance(List.of(MaintenancePolicy.range(table, policy)));

            String script = maintenance.plan(db, NOW).script();
            assertThat(script).as("each transaction of the script keeps one connection per worker, as the run does")
                    .contains("BEGIN;\nSET LOCAL lock_timeout = '2000ms';\nSET LOCAL citus.multi_shard_modify_mode = 'sequential';\n"
                            + "CREATE TABLE \"citus_maint\".\"event_impressions_2026_12\"");

            MaintenanceResult first = maintenance.apply(db, NOW);

            assertThat(first.created()).as("premake: the current month and two ahead, and the months up to them")
                    .extracting(TableName::name).contains("event_impressions_2026_12", "event_impressions_2027_01", "event_impressions_2027_02");
            assertThat(first.dropped()).as("retention: July and August 2026 are older than three months")
                    .extracting(TableName::name).containsExactlyInAnyOrder("event_impressions_2026_07", "event_impressions_2026_08");
            assertThat(CitusCluster.column(db, "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = "
                    + "'citus_maint.event_impressions_2027_02'::regclass AND colocationid = (SELECT colocationid FROM pg_dist_partition "
                    + "WHERE logicalrelid = 'citus_maint.event_impressions'::regclass)"))
                    .as("a new partition is distributed and colocated with its parent").containsExactly("1");
            assertThat(maintenance.apply(db, NOW).applied()).as("a second run has nothing to do").isEmpty();
            CitusCluster.run(db, "INSERT INTO citus_maint.event_impressions VALUES (3, 3, 12, '2027-02-03')");
            assertThat(CitusCluster.column(db, "SELECT count(*) FROM citus_maint.event_impressions")).containsExactly("1");
        }
    }

    @Test
    void retentionArchivesIntoASchemaItCreates() throws Exception {
        try (Connection db = CitusCluster.connect()) {
            CitusCluster.eventImpressions(db, "citus_archive", "2026-06-01", 8);
            CitusCluster.run(db, "DROP SCHEMA IF EXISTS citus_archive_old CASCADE",
                    "INSERT INTO citus_archive.event_impressions VALUES (1, 1, 10, '2026-06-15'), (2, 2, 11, '2026-12-01')");
            TableName table = TableName.of("citus_archive", "event_impressions");
            RangePolicy policy = RangePolicy.monthly().premake(1).retention("4 months").onExpiry(Expiry.ARCHIVE)
                    .naming("{table}_{yyyy}_{MM}").build();
            MaintenanceResult result = new PartitionMaintenance(List.of(MaintenancePolicy.range(table, policy)
                    .withArchiveSchema("citus_archive_old"))).apply(db, NOW);

            assertThat(result.archived()).extracting(TableName::name)
                    .containsExactlyInAnyOrder("event_impressions_2026_06", "event_impressions_2026_07");
            assertThat(CitusCluster.column(db, "SELECT count(*) FROM citus_archive_old.event_impressions_2026_06"))
                    .as("the archived partition keeps its rows, on the workers").containsExactly("1");
            assertThat(CitusCluster.column(db, "SELECT count(*) FROM citus_archive.event_impressions")).containsExactly("1");
        }
    }

    @Test
    void reportAndHealthTakeSizesAndRowsFromTheWorkers() throws Exception {
        try (Connection db = CitusCluster.connect()) {
            CitusCluster.eventImpressions(db, "citus_report", "2026-11-01", 3);
            CitusCluster.run(db, "INSERT INTO citus_report.event_impressions SELECT i, 1 + i % 4, i, "
                    + "timestamptz '2026-12-01' + i * interval '1 second' FROM generate_series(1, 20000) i",
                    "ANALYZE citus_report.event_impressions");
            TableName table = TableName.of("citus_report", "event_impressions");
            PartitionReport report = PartitionReport.collect(db, List.of(table), false, NOW);

            PartitionReport.TableReport events = report.tables().get(0);
            assertThat(events.citus()).map(Distribution::column).contains(Optional.of("tenant_id"));
            PartitionReport.PartitionEntry december = events.partitions().stream()
                    .filter(p -> p.name().name().equals("event_impressions_2026_12")).findFirst().orElseThrow();
            assertThat(december.size().table()).as("bytes of the 32 shards on the workers, not of the coordinator's empty table")
                    .isGreaterThan(500_000);
            assertThat(december.estimatedRows()).as("the shards' statistics, summed").isBetween(19_000L, 21_000L);
            assertThat(report.server()).contains("with Citus 13.2");
            String text = ReportText.render(report);
            assertThat(text).containsPattern("citus_report.event_impressions  RANGE \\(created_at\\)  3 partitions  Citus distributed "
                    + "by tenant_id, 32 shards per partition, colocation group \\d+  ~20,000 rows  ");
            assertThat(text).contains("event_impressions_2026_12  FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00')  20,000");
            String json = ReportJson.render(report);
            assertThat(json).contains("\"citus\":{\"type\":\"distributed\",\"distributionColumn\":\"tenant_id\"");
            try (java.io.InputStream schema = ReportJson.class.getResourceAsStream(ReportJson.SCHEMA_RESOURCE)) {
                assertThat(com.networknt.schema.SchemaRegistry.withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
                        .getSchema(schema, com.networknt.schema.InputFormat.JSON).validate(json, com.networknt.schema.InputFormat.JSON))
                        .as("valid against report.schema.json").isEmpty();
            }

            List<PartitionHealth> health = PartitionHealth.check(db, List.of(table), List.of(), NOW);
            assertThat(health).singleElement().extracting(PartitionHealth::status).isEqualTo(PartitionHealth.Status.OK);
        }
    }

    @Test
    void serverGuardIsRefusedBeforeAnythingIsInstalled() throws Exception {
        try (Connection db = CitusCluster.connect()) {
            CitusCluster.eventImpressions(db, "citus_guard", "2026-12-01", 1);
            ServerGuard guard = new ServerGuard();
            TableName table = TableName.of("citus_guard", "event_impressions");
            GuardState state = guard.read(db, List.of(table));

            assertThat(state.roots()).isEmpty();
            assertThat(state.refused()).singleElement().extracting(GuardState.Refused::reason).isEqualTo(
                    "citus_guard.event_impressions is a Citus distributed table (distributed by tenant_id, 32 shards): Citus runs "
                            + "no trigger on the tables it holds, so the server guard cannot be installed there; Citus itself refuses "
                            + "a change of the distribution column tenant_id, and the partition key is kept by pgpartition's client "
                            + "guard. Keep direct writes off its partitions with privileges (writes through citus_guard.event_impressions "
                            + "check only its own): grant the application's role INSERT, UPDATE, DELETE on citus_guard.event_impressions "
                            + "and nothing on the partitions, e.g. REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON TABLE "
                            + "\"citus_guard\".\"event_impressions_2026_12\" FROM PUBLIC, and from each role granted them.");
            assertThatThrownBy(() -> guard.install(db, List.of(table))).isInstanceOf(PartitioningException.class)
                    .hasMessageStartingWith("Cannot install the server guard, and nothing was installed: citus_guard.event_impressions "
                            + "is a Citus distributed table")
                    .hasMessageEndingWith(" Leave it out (--table names the tables to guard), or set pgpartition.server_guard=none for it.");
            assertThat(CitusCluster.column(db, "SELECT count(*) FROM pg_proc WHERE pronamespace = 'citus_guard'::regnamespace"))
                    .as("no function installed").containsExactly("0");
            CitusCluster.run(db, "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON TABLE \"citus_guard\".\"event_impressions_2026_12\" FROM PUBLIC");
        }
    }

    @Test
    void conversionAndReshapeAreRefusedUpFront() throws Exception {
        try (Connection db = CitusCluster.connect()) {
            CitusCluster.run(db, "DROP SCHEMA IF EXISTS citus_convert CASCADE", "CREATE SCHEMA citus_convert",
                    "CREATE TABLE citus_convert.orders (id bigint, tenant_id bigint NOT NULL, placed_at timestamptz NOT NULL, "
                            + "PRIMARY KEY (id, tenant_id))",
                    "SELECT create_distributed_table('citus_convert.orders', 'tenant_id', shard_count => 4)",
                    "INSERT INTO citus_convert.orders SELECT i, i % 3, timestamptz '2026-11-01' + i * interval '1 hour' FROM generate_series(1, 100) i");
            TableName orders = TableName.of("citus_convert", "orders");
            TableConversion conversion = new TableConversion(ConversionSpec.of(orders, "placed_at",
                    RangePolicy.monthly().premake(1).build()));
            ConversionAnalysis analysis = conversion.analyze(db, NOW);
            assertThat(analysis.verdict()).isEqualTo(ConversionAnalysis.Verdict.BLOCKED);
            assertThat(analysis.blockers()).containsExactly("citus_convert.orders is a Citus distributed table (distributed by "
                    + "tenant_id, 4 shards): an online conversion logs concurrent writes with a trigger, which Citus does not run "
                    + "on the tables it holds, and would build a partitioned twin on the coordinator alone. Fix: convert before "
                    + "distributing (SELECT undistribute_table('\"citus_convert\".\"orders\"'); pgpartition convert run "
                    + "citus_convert.orders --by 'range(placed_at)' --interval '1 month' --premake 1 --naming '{table}_p{yyyy}{MM}{dd}' "
                    + "--url ...; SELECT "
                    + "create_distributed_table('\"citus_convert\".\"orders\"', 'tenant_id')), or create the partitioned table, "
                    + "distribute it colocated with citus_convert.orders and copy the rows with INSERT INTO ... SELECT, which Citus "
                    + "runs on every node.");
            assertThatThrownBy(() -> conversion.run(db, NOW, io.pgpartition.conversion.ConversionProgress.NONE))
                    .isInstanceOf(PartitioningException.class).hasMessageEndingWith("Nothing was changed.");
            assertThat(CitusCluster.column(db, "SELECT count(*) FROM pg_class WHERE relnamespace = 'citus_convert'::regnamespace "
                    + "AND relname <> 'orders' AND relkind IN ('r', 'p')")).as("no twin, no log table").containsExactly("0");
            CitusCluster.run(db, "INSERT INTO citus_convert.orders VALUES (1000, 1, now())");

            CitusCluster.eventImpressions(db, "citus_reshape", "2026-12-01", 1);
            TableName events = TableName.of("citus_reshape", "event_impressions");
            assertThatThrownBy(() -> new PartitionReshape(ReshapeSpec.split(events,
                    TableName.of("citus_reshape", "event_impressions_2026_12"), "1 day")).plan(db))
                    .isInstanceOf(PartitioningException.class)
                    .hasMessage("Cannot split citus_reshape.event_impressions_2026_12 of citus_reshape.event_impressions: "
                            + "citus_reshape.event_impressions is a Citus distributed table (distributed by tenant_id, 32 shards): a "
                            + "reshape logs concurrent writes with a trigger, which Citus does not run on the tables it holds. Fix: "
                            + "create the new partitions as standalone tables, fill them with INSERT INTO ... SELECT and swap them with "
                            + "DETACH PARTITION and ATTACH PARTITION in one transaction, while the application does not write to "
                            + "citus_reshape.event_impressions. Nothing was changed.");
        }
    }

    @Test
    void retentionRewritesExpiredPartitionsToColumnarOnceAndRefusesWhereForeignKeysForbidIt() throws Exception {
        try (Connection db = CitusCluster.connect()) {
            CitusCluster.eventImpressions(db, "citus_columnar", "2026-08-01", 5);
            CitusCluster.run(db, "ALTER TABLE citus_columnar.event_impressions DROP CONSTRAINT event_impressions_tenant_id_fkey",
                    "INSERT INTO citus_columnar.event_impressions SELECT i, 1 + i % 4, i, timestamptz '2026-08-01' + i * interval '1 minute' "
                            + "FROM generate_series(1, 5000) i");
            TableName table = TableName.of("citus_columnar", "event_impressions");
            RangePolicy policy = RangePolicy.monthly().premake(1).retention("3 months").onExpiry(Expiry.COLUMNAR)
                    .naming("{table}_{yyyy}_{MM}").build();
            PartitionMaintenance maintenance = new PartitionMaintenance(List.of(MaintenancePolicy.range(table, policy)));

            MaintenanceResult result = maintenance.apply(db, NOW);

            assertThat(result.applied()).filteredOn(a -> a.action().kind() == io.pgpartition.maintenance.MaintenanceAction.Kind.COLUMNAR)
                    .extracting(a -> a.action().partition().name())
                    .containsExactly("event_impressions_2026_08");
            assertThat(CitusCluster.column(db, "SELECT c.relname || ' ' || a.amname FROM pg_class c JOIN pg_am a ON a.oid = c.relam "
                    + "WHERE c.relnamespace = 'citus_columnar'::regnamespace AND c.relkind = 'r' AND c.relname LIKE 'event_impressions_2026_0%' ORDER BY 1"))
                    .as("August is columnar, September (not expired) stays heap")
                    .containsExactly("event_impressions_2026_08 columnar", "event_impressions_2026_09 heap");
            assertThat(CitusCluster.column(db, "SELECT count(*) FROM citus_columnar.event_impressions")).as("no row lost")
                    .containsExactly("5000");
            assertThat(maintenance.apply(db, NOW).applied()).as("done once").isEmpty();

            CitusCluster.eventImpressions(db, "citus_columnar_fk", "2026-08-01", 5);
            TableName referencing = TableName.of("citus_columnar_fk", "event_impressions");
            MaintenanceResult refused = new PartitionMaintenance(List.of(MaintenancePolicy.range(referencing, policy))).apply(db, NOW);
            assertThat(refused.applied()).filteredOn(a -> a.action().kind() == io.pgpartition.maintenance.MaintenanceAction.Kind.COLUMNAR)
                    .isEmpty();
            assertThat(refused.findings(io.pgpartition.maintenance.MaintenanceFinding.Kind.COLUMNAR_REFUSED))
                    .extracting(io.pgpartition.maintenance.MaintenanceFinding::message).containsExactly(
                            "Expired partitions of citus_columnar_fk.event_impressions are kept as they are: retention rewrites them "
                                    + "to the columnar access method, and columnar tables cannot have the foreign key "
                                    + "event_impressions_tenant_id_fkey to citus_columnar_fk.tenants of citus_columnar_fk.event_impressions. "
                                    + "Fix: drop it, or retire the partitions another way (--on-expiry detach, drop or archive).");
        }
    }

    @Test
    void theMaintenanceScriptRunsAsPrinted() throws Exception {
        try (Connection db = CitusCluster.connect()) {
            CitusCluster.eventImpressions(db, "citus_script", "2026-07-01", 2);
            TableName table = TableName.of("citus_script", "event_impressions");
            PartitionMaintenance maintenance = new PartitionMaintenance(List.of(MaintenancePolicy.range(table,
                    RangePolicy.monthly().premake(2).retention("3 months").onExpiry(Expiry.DROP).naming("{table}_{yyyy}_{MM}").build())));
            CitusCluster.run(db, maintenance.plan(db, NOW).script());
            assertThat(maintenance.plan(db, NOW).isEmpty()).as("the script did what the run would").isTrue();
        }
    }

    @Test
    void rowsInTheDefaultPartitionAreMovedIntoTheNewPartitionFirst() throws Exception {
        try (Connection db = CitusCluster.connect()) {
            CitusCluster.eventImpressions(db, "citus_default", "2026-12-01", 1);
            CitusCluster.run(db, "CREATE TABLE citus_default.event_impressions_default PARTITION OF citus_default.event_impressions DEFAULT",
                    "INSERT INTO citus_default.event_impressions SELECT i, 1 + i % 4, i, timestamptz '2027-01-01' + i * interval '1 minute' "
                            + "FROM generate_series(1, 300) i");
            TableName table = TableName.of("citus_default", "event_impressions");
            MaintenanceResult result = new PartitionMaintenance(List.of(MaintenancePolicy.range(table, RangePolicy.monthly().premake(1)
                    .defaultPartition(true).naming("{table}_{yyyy}_{MM}").build()))).apply(db, NOW);

            assertThat(result.created()).extracting(TableName::name).containsExactly("event_impressions_2027_01");
            assertThat(result.applied()).extracting(MaintenanceResult.Applied::rowsMoved).containsExactly(300L);
            assertThat(CitusCluster.column(db, "SELECT count(*) FROM citus_default.event_impressions_default")).containsExactly("0");
            assertThat(CitusCluster.column(db, "SELECT count(*) FROM citus_default.event_impressions_2027_01")).containsExactly("300");
        }
    }

    @Test
    void thePruningProbeReadsShardsAsTheirPartitionsUpTo63ByteNames() throws Exception {
        String table = "event_impressions_for_the_reporting_pipeline_of_tenants";
        try (Connection db = CitusCluster.connect()) {
            CitusCluster.run(db, "DROP SCHEMA IF EXISTS citus_long CASCADE", "CREATE SCHEMA citus_long",
                    "CREATE TABLE citus_long." + table + " (id bigint NOT NULL, tenant_id bigint NOT NULL, created_at timestamptz "
                            + "NOT NULL) PARTITION BY RANGE (created_at)",
                    "CREATE TABLE citus_long." + table + "_2026_11 PARTITION OF citus_long." + table
                            + " FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')",
                    "CREATE TABLE citus_long." + table + "_2026_12 PARTITION OF citus_long." + table
                            + " FOR VALUES FROM ('2026-12-01') TO ('2027-01-01')",
                    "SELECT create_distributed_table('citus_long." + table + "', 'tenant_id', shard_count => 4)");

            io.pgpartition.pruning.StatementScan everywhere = io.pgpartition.pruning.PruningProbe.explain(db,
                    "SELECT * FROM citus_long." + table + " WHERE id = ?", List.of(1L));
            assertThat(everywhere.tables()).singleElement().satisfies(scan -> {
                assertThat(scan.partitions()).as("the 63-byte partition's shard is named with a hash; read as its partition")
                        .containsExactlyInAnyOrder(TableName.of("citus_long", table + "_2026_11"), TableName.of("citus_long", table + "_2026_12"));
                assertThat(scan.describe()).isEqualTo("all 2 partitions of citus_long." + table
                        + " (partition key RANGE (created_at)), on 4 of 4 shards");
            });
            io.pgpartition.pruning.StatementScan one = io.pgpartition.pruning.PruningProbe.explain(db, "SELECT * FROM citus_long."
                    + table + " WHERE id = ? AND created_at = ? AND tenant_id = ?",
                    List.of(1L, java.sql.Timestamp.from(Instant.parse("2026-12-03T00:00:00Z")), 3L));
            assertThat(one.tables()).singleElement().extracting(io.pgpartition.pruning.TableScan::describe)
                    .isEqualTo("1 of 2 partitions of citus_long." + table + " (partition key RANGE (created_at)), on 1 of 4 shards");
        }
    }
}
