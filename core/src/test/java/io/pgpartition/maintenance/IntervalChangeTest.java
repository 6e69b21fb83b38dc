package io.pgpartition.maintenance;

import io.pgpartition.model.TableName;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;

import static io.pgpartition.conversion.TableConversionTest.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A policy whose interval differs from the existing partitions': the new interval's partitions begin where the old
 * ones end — the first one cut to start at the seam — with no gap or overlap, and a second plan is clean.
 */
@PostgresTest
class IntervalChangeTest {

    private static List<String> partitions(Connection connection, String table) throws Exception {
        return strings(connection, "SELECT c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c "
                + "ON c.oid = i.inhrelid WHERE i.inhparent = '" + table + "'::regclass ORDER BY c.relname COLLATE \"C\"");
    }

    @Test
    void monthlyPartitionsGoOnWeeklyFromTheNextAlignedBoundary(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE readings (id bigint NOT NULL, taken date NOT NULL, PRIMARY KEY (id, taken)) PARTITION BY RANGE (taken)",
                "CREATE TABLE readings_p20261101 PARTITION OF readings FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')",
                "CREATE TABLE readings_p20261201 PARTITION OF readings FOR VALUES FROM ('2026-12-01') TO ('2027-01-01')");
        PartitionMaintenance weekly = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("readings"),
                RangePolicy.every("1 week").premake(5).naming("{table}_w{yyyy}{MM}{dd}").build())));
        Instant now = Instant.parse("2026-12-05T10:00:00Z");
        try (Connection connection = db.connection()) {
            MaintenancePlan plan = weekly.plan(connection, now);
            assertThat(plan.actions()).extracting(MaintenanceAction::description).as("the week that straddles the seam begins at it")
                    .containsExactly("create public.readings_w20261228 for [2027-01-01, 2027-01-04) (existing partitions hold the rest of "
                                    + "[2026-12-28, 2027-01-04))",
                            "create public.readings_w20270104 for [2027-01-04, 2027-01-11)");
            assertThat(plan.findings(MaintenanceFinding.Kind.OVERLAP)).as("no overlap reported").isEmpty();
            weekly.apply(connection, now);
            assertThat(partitions(connection, "readings")).containsExactly(
                    "readings_p20261101 FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')",
                    "readings_p20261201 FOR VALUES FROM ('2026-12-01') TO ('2027-01-01')",
                    "readings_w20261228 FOR VALUES FROM ('2027-01-01') TO ('2027-01-04')",
                    "readings_w20270104 FOR VALUES FROM ('2027-01-04') TO ('2027-01-11')");
            MaintenancePlan again = weekly.plan(connection, now);
            assertThat(again.actions()).as("a second run has nothing to do").isEmpty();
            assertThat(again.findings()).as("and the check finds nothing across the seam").isEmpty();
            assertThat(weekly.plan(connection, Instant.parse("2026-12-12T10:00:00Z")).actions()).extracting(MaintenanceAction::description)
                    .as("a week later, the next week").containsExactly("create public.readings_w20270111 for [2027-01-11, 2027-01-18)");
        }
    }

    @Test
    void weeklyPartitionsGoOnMonthlyFromTheNextAlignedBoundary(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE samples (id bigint NOT NULL, taken date NOT NULL, PRIMARY KEY (id, taken)) PARTITION BY RANGE (taken)",
                "CREATE TABLE samples_w20261130 PARTITION OF samples FOR VALUES FROM ('2026-11-30') TO ('2026-12-07')",
                "CREATE TABLE samples_w20261207 PARTITION OF samples FOR VALUES FROM ('2026-12-07') TO ('2026-12-14')");
        PartitionMaintenance monthly = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("samples"),
                RangePolicy.monthly().premake(1).build())));
        try (Connection connection = db.connection()) {
            monthly.apply(connection, Instant.parse("2026-12-05T10:00:00Z"));
            assertThat(partitions(connection, "samples")).containsExactly(
                    "samples_p20261201 FOR VALUES FROM ('2026-12-14') TO ('2027-01-01')",
                    "samples_p20270101 FOR VALUES FROM ('2027-01-01') TO ('2027-02-01')",
                    "samples_w20261130 FOR VALUES FROM ('2026-11-30') TO ('2026-12-07')",
                    "samples_w20261207 FOR VALUES FROM ('2026-12-07') TO ('2026-12-14')");
            assertThat(monthly.plan(connection, Instant.parse("2026-12-05T10:00:00Z")).findings()).as("clean across the seam").isEmpty();
        }
    }
}
