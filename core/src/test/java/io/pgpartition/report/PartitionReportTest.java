package io.pgpartition.report;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.pgpartition.annotations.Expiry;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.maintenance.PartitionMaintenance;
import io.pgpartition.maintenance.RetiredPartition;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.RangeValue;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.report.PartitionReport.PartitionEntry;
import io.pgpartition.report.PartitionReport.TableReport;
import io.pgpartition.support.CountingConnection;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The report of a real database: its model, its text and its JSON (checked against the published schema). */
@PostgresTest
class PartitionReportTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:15:00Z");

    static Schema schema() throws Exception {
        try (InputStream in = ReportJson.class.getResourceAsStream(ReportJson.SCHEMA_RESOURCE)) {
            assertThat(in).as("the schema ships in the jar").isNotNull();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in, InputFormat.JSON);
        }
    }

    @Test
    void aSmallLayoutReadsAsText(TestDatabase db) throws SQLException {
        db.execute("CREATE SCHEMA small",
                "CREATE TABLE small.visits (day date NOT NULL, n int) PARTITION BY RANGE (day)",
                "CREATE TABLE small.visits_p202611 PARTITION OF small.visits FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')",
                "CREATE TABLE small.visits_p202612 PARTITION OF small.visits FOR VALUES FROM ('2026-12-01') TO ('2027-01-01')",
                "CREATE TABLE small.visits_p202702 PARTITION OF small.visits FOR VALUES FROM ('2027-02-01') TO ('2027-03-01')",
                "CREATE TABLE small.visits_default PARTITION OF small.visits DEFAULT",
                "INSERT INTO small.visits VALUES ('2030-01-01', 1), ('2030-01-02', 2)",
                "CREATE TABLE small.tenants (id int NOT NULL) PARTITION BY HASH (id)",
                "CREATE TABLE small.tenants_h0 PARTITION OF small.tenants FOR VALUES WITH (MODULUS 2, REMAINDER 0)");
        try (Connection connection = db.connection()) {
            PartitionReport report = PartitionReport.collect(connection,
                    List.of(TableName.of("small", "visits"), TableName.of("small", "tenants")), true, NOW);

            assertThat(ReportText.render(report)).isEqualTo("""
                    small.tenants  HASH (id)  1 partition  0 rows  0 B
                      missing hash remainders: 1
                      partition   bound                                     ~rows  rows  size  indexes  toast
                      tenants_h0  FOR VALUES WITH (MODULUS 2, REMAINDER 0)      -     0   0 B      0 B    0 B

                    small.visits  RANGE (day)  3 partitions + default  2 rows  8.0 kB  ahead until '2027-01-01'
                      default partition holds 2 rows
                      gap: no partition FROM ('2027-01-01') TO ('2027-02-01')
                      partition       bound                                             ~rows  rows    size  indexes  toast
                      visits_p202611  FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')      -     0     0 B      0 B    0 B
                      visits_p202612  FOR VALUES FROM ('2026-12-01') TO ('2027-01-01')      -     0     0 B      0 B    0 B
                      visits_p202702  FOR VALUES FROM ('2027-02-01') TO ('2027-03-01')      -     0     0 B      0 B    0 B
                      visits_default  DEFAULT                                               -     2  8.0 kB      0 B    0 B
                    """);
        }
    }

    @Test
    void rowsBeforeStatisticsExistAreSaidNotAnalyzedNotZero(TestDatabase db) throws SQLException {
        db.execute("CREATE SCHEMA fresh",
                "CREATE TABLE fresh.visits (day date NOT NULL) PARTITION BY RANGE (day)",
                "CREATE TABLE fresh.visits_p202612 PARTITION OF fresh.visits FOR VALUES FROM ('2026-12-01') TO ('2027-01-01')",
                "INSERT INTO fresh.visits SELECT DATE '2026-12-01' + g % 30 FROM generate_series(1, 300) g");
        try (Connection connection = db.connection()) {
            String before = ReportText.render(PartitionReport.collect(connection, List.of(TableName.of("fresh", "visits")), false, NOW));
            assertThat(before.lines().findFirst().orElseThrow()).as("300 rows the statistics do not know of yet")
                    .isEqualTo("fresh.visits  RANGE (day)  1 partition  rows not analyzed  40.0 kB");
            db.execute("ANALYZE fresh.visits");
            String after = ReportText.render(PartitionReport.collect(connection, List.of(TableName.of("fresh", "visits")), false, NOW));
            assertThat(after.lines().findFirst().orElseThrow()).as("once analyzed, the estimate")
                    .isEqualTo("fresh.visits  RANGE (day)  1 partition  ~300 rows  40.0 kB");
        }
    }

    @Test
    void theModelHoldsTreesSizesRowsAndRetiredPartitions(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, payload text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)");
        for (int month = 0; month < 14; month++) {
            LocalDate from = LocalDate.parse("2026-01-01").plusMonths(month);
            db.execute("CREATE TABLE events_p" + from.toString().substring(0, 7).replace("-", "") + " PARTITION OF events FOR VALUES FROM ('"
                    + from + "') TO ('" + from.plusMonths(1) + "')");
        }
        db.execute("INSERT INTO events SELECT g, DATE '2026-01-01' + (g % 400), repeat('x', 3000) FROM generate_series(1, 2000) g",
                "ANALYZE events",
                "CREATE TABLE claims (id bigint NOT NULL, region text NOT NULL, served date NOT NULL) PARTITION BY LIST (region)",
                "CREATE TABLE claims_eu PARTITION OF claims FOR VALUES IN ('eu') PARTITION BY RANGE (served)",
                "CREATE TABLE claims_eu_2026 PARTITION OF claims_eu FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "CREATE TABLE claims_eu_2027 PARTITION OF claims_eu FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')",
                "CREATE TABLE claims_us PARTITION OF claims FOR VALUES IN ('us')",
                "INSERT INTO claims VALUES (1, 'eu', '2026-05-01'), (2, 'eu', '2027-05-01'), (3, 'eu', '2027-06-01'), (4, 'us', '2026-01-01')");
        RangePolicy monthly = RangePolicy.monthly().premake(1).retention("6 months").onExpiry(Expiry.ARCHIVE)
                .naming("{table}_p{yyyy}{MM}").build();
        try (Connection connection = db.connection()) {
            assertThat(new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("events"), monthly)))
                    .apply(connection, NOW).isComplete()).isTrue();

            PartitionReport report = PartitionReport.collect(connection, List.of(TableName.of("events"), TableName.of("claims")), true, NOW);

            assertThat(report.tables()).extracting(TableReport::name)
                    .containsExactly(TableName.of("public", "claims"), TableName.of("public", "events"));
            TableReport claims = report.tables().get(0);
            assertThat(claims.strategy()).isEqualTo(PartitionStrategy.LIST);
            assertThat(claims.exactRows()).hasValue(4);
            PartitionEntry eu = claims.partitions().stream().filter(p -> p.name().name().equals("claims_eu")).findFirst().orElseThrow();
            assertThat(eu.subpartitions()).hasValueSatisfying(sub -> {
                assertThat(sub.key()).isEqualTo("RANGE (served)");
                assertThat(sub.partitions()).extracting(p -> p.name().name(), p -> p.exactRows())
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("claims_eu_2026", OptionalLong.of(1)),
                                org.assertj.core.groups.Tuple.tuple("claims_eu_2027", OptionalLong.of(2)));
            });
            assertThat(eu.exactRows()).as("a sub-partitioned partition counts its own").hasValue(3);
            assertThat(eu.size().total()).as("and its bytes").isEqualTo(eu.subpartitions().get().size().total()).isPositive();

            TableReport events = report.tables().get(1);
            assertThat(events.partitions()).extracting(p -> p.name().name()).first().isEqualTo("events_p202605");
            assertThat(events.partitions()).extracting(p -> p.name().name()).last().isEqualTo("events_p202702");
            assertThat(events.coveredUntil()).contains(RangeValue.of(LocalDate.parse("2027-03-01")));
            assertThat(events.defaultRows()).isEmpty();
            PartitionEntry june = events.partitions().get(1);
            assertThat(june.exactRows()).hasValue(150);
            assertThat(june.estimatedRows()).as("from the statistics ANALYZE wrote").isEqualTo(150);
            assertThat(june.size().toast()).as("3,000-byte texts are compressed in line; TOAST holds its empty table and index")
                    .isPositive();
            assertThat(june.size().indexes()).as("the primary key").isPositive();
            assertThat(june.size().total()).isEqualTo(june.size().table() + june.size().indexes() + june.size().toast());
            assertThat(report.retired()).extracting(RetiredPartition::table, RetiredPartition::state).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(TableName.of("public_archive", "events_p202601"), RetiredPartition.State.ARCHIVED),
                    org.assertj.core.groups.Tuple.tuple(TableName.of("public_archive", "events_p202602"), RetiredPartition.State.ARCHIVED),
                    org.assertj.core.groups.Tuple.tuple(TableName.of("public_archive", "events_p202603"), RetiredPartition.State.ARCHIVED),
                    org.assertj.core.groups.Tuple.tuple(TableName.of("public_archive", "events_p202604"), RetiredPartition.State.ARCHIVED));
            assertThat(report.retired().get(0).bound()).isEqualTo("[2026-01-01, 2026-02-01)");

            String json = ReportJson.render(report);
            assertThat(schema().validate(json, InputFormat.JSON)).as("valid against report.schema.json").isEmpty();
            JsonNode tree = new ObjectMapper().readTree(json);
            assertThat(tree.get("format").asString()).isEqualTo("pgpartition-report/1");
            assertThat(tree.at("/tables/0/partitions/0/subpartitions/partitions/1/exactRows").asLong()).isEqualTo(2);
            assertThat(tree.at("/tables/1/coveredUntil").asString()).isEqualTo("'2027-03-01'");
            assertThat(tree.at("/retired/0/table/schema").asString()).isEqualTo("public_archive");
            assertThat(tree.at("/retired/0/state").asString()).isEqualTo("ARCHIVED");
        }
    }

    @Test
    void partitionsRetentionOnlyDetachedAreListedWithTheirParent(TestDatabase db) {
        db.execute("CREATE SCHEMA kept",
                "CREATE TABLE kept.visits (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE kept.visits_p202601 PARTITION OF kept.visits FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')",
                "CREATE TABLE kept.visits_p202611 PARTITION OF kept.visits FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')");
        RangePolicy keep = RangePolicy.monthly().premake(0).retention("3 months").naming("{table}_p{yyyy}{MM}").build();
        try (Connection connection = db.connection()) {
            assertThat(new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("kept", "visits"), keep)))
                    .apply(connection, NOW).detached()).containsExactly(TableName.of("kept", "visits_p202601"));

            PartitionReport report = PartitionReport.collect(connection, List.of(TableName.of("kept", "visits")), false, NOW);

            assertThat(report.retired()).containsExactly(new RetiredPartition(TableName.of("kept", "visits_p202601"),
                    TableName.of("kept", "visits"), RetiredPartition.State.DETACHED, "[2026-01-01, 2026-02-01)"));
            assertThat(ReportText.render(report)).endsWith("""
                    retired partitions
                      kept.visits_p202601  detached  from kept.visits  [2026-01-01, 2026-02-01)
                    """);
            assertThat(PartitionMaintenance.interrupted(connection)).as("a kept detached table is no unfinished retention").isEmpty();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void exactRowsOfThousandsOfPartitionsAndHostileNamesInOneStatement(TestDatabase db) throws Exception {
        db.execute("CREATE SCHEMA \"Odd \"\"schema\"\"\"",
                "CREATE TABLE \"Odd \"\"schema\"\"\".\"</script><b>x\" (n int NOT NULL) PARTITION BY RANGE (n)",
                "DO $$ BEGIN FOR i IN 0..2999 LOOP EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%s) TO (%s)', "
                        + "'Odd \"schema\"', 'p ' || i, 'Odd \"schema\"', '</script><b>x', i, i + 1); END LOOP; END $$",
                "INSERT INTO \"Odd \"\"schema\"\"\".\"</script><b>x\" SELECT g % 3000 FROM generate_series(1, 4500) g");
        TableName odd = TableName.of("Odd \"schema\"", "</script><b>x");
        try (Connection raw = db.connection()) {
            CountingConnection counting = new CountingConnection(raw);
            PartitionReport report = PartitionReport.collect(counting.connection(), List.of(odd), true, NOW);

            assertThat(counting.executions()).as("a count of 3,000 partitions is one statement").isLessThanOrEqualTo(10);
            assertThat(report.tables().get(0).exactRows()).hasValue(4500);
            assertThat(report.tables().get(0).partitions()).hasSize(3000);
            String page = ReportHtml.render(report);
            assertThat(page.split("</script>", -1)).as("the name cannot end the page's data or script").hasSize(3);
            assertThat(page).contains("<\\/script><b>x");
            assertThat(schema().validate(ReportJson.render(report), InputFormat.JSON)).isEmpty();
        }
    }

    @Test
    void theSchemaRefusesWhatTheFormatDoesNotAllow() throws Exception {
        assertThat(schema().validate("{\"format\":\"pgpartition-report/1\",\"at\":\"2026-11-21T10:15:00Z\",\"server\":\"17\","
                + "\"tables\":[],\"retired\":[],\"unreadable\":[],\"extra\":1}", InputFormat.JSON)).isNotEmpty();
        assertThat(schema().validate("{\"format\":\"pgpartition-report/2\",\"at\":\"2026-11-21T10:15:00Z\",\"server\":\"17\","
                + "\"tables\":[],\"retired\":[],\"unreadable\":[]}", InputFormat.JSON)).isNotEmpty();
        assertThat(ReportJson.string("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    @Test
    void statementsStayConstantWhateverTheNumberOfTables(TestDatabase db) throws SQLException {
        List<TableName> tables = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            db.execute("CREATE TABLE r" + t + " (at date NOT NULL) PARTITION BY RANGE (at)",
                    "CREATE TABLE r" + t + "_a PARTITION OF r" + t + " FOR VALUES FROM ('2026-01-01') TO ('2026-07-01')",
                    "CREATE TABLE r" + t + "_b PARTITION OF r" + t + " FOR VALUES FROM ('2026-07-01') TO ('2027-01-01')",
                    "CREATE TABLE r" + t + "_d PARTITION OF r" + t + " DEFAULT");
            tables.add(TableName.of("r" + t));
        }
        try (Connection raw = db.connection()) {
            CountingConnection counting = new CountingConnection(raw);
            PartitionReport.collect(counting.connection(), tables.subList(0, 1), false, NOW);
            counting.reset();
            PartitionReport.collect(counting.connection(), tables.subList(0, 1), false, NOW);
            int one = counting.executions();
            counting.reset();
            PartitionReport all = PartitionReport.collect(counting.connection(), tables, false, NOW);
            int twenty = counting.executions();
            counting.reset();
            PartitionReport.collect(counting.connection(), tables, true, NOW);
            int exact = counting.executions();

            assertThat(all.tables()).hasSize(20);
            assertThat(twenty).as("statements for twenty tables equal those for one").isEqualTo(one);
            assertThat(exact).as("exact rows replace the default partitions' count by one count of everything").isEqualTo(one);
        }
    }
}
