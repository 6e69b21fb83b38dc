package io.pgpartition.guard;

import io.pgpartition.annotations.Expiry;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.maintenance.MaintenanceResult;
import io.pgpartition.maintenance.PartitionMaintenance;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Maintenance on a guarded table: rows leave the default partition through the bypass, every partition it creates
 * is guarded like the others, and a partition retention detaches is a plain table again.
 */
@PostgresTest
class GuardedMaintenanceTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:15:00Z");

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void maintenanceKeepsTheGuardWhole(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE gm_events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE gm_events_p202509 PARTITION OF gm_events FOR VALUES FROM ('2025-09-01') TO ('2025-10-01')",
                "CREATE TABLE gm_events_default PARTITION OF gm_events DEFAULT",
                "INSERT INTO gm_events SELECT g, date '2026-11-01' + g % 30 FROM generate_series(1, 50) g");
        RangePolicy policy = RangePolicy.monthly().premake(1).retention("12 months").onExpiry(Expiry.ARCHIVE)
                .naming("{table}_p{yyyy}{MM}").defaultPartition(true).build();
        try (Connection connection = db.connection()) {
            new ServerGuard().install(connection, List.of(TableName.of("gm_events")));
            PartitionMaintenance maintenance = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("gm_events"), policy)));
            assertThat(maintenance.plan(connection, NOW).script()).as("the script sets the bypass where rows move")
                    .contains("SET LOCAL pgpartition.bypass = on; -- rows move between partitions\n");
            MaintenanceResult result = maintenance.apply(connection, NOW);
            assertThat(result.created()).extracting(TableName::name).containsExactly("gm_events_p202611", "gm_events_p202612");
            assertThat(result.rowsMoved()).as("November's rows left the guarded default partition").isEqualTo(50);
            assertThat(result.archived()).extracting(TableName::name).containsExactly("gm_events_p202509");
            assertThat(new ServerGuard().read(connection, List.of(TableName.of("gm_events"))).gaps())
                    .as("the partitions maintenance created carry the guard's trigger").isEmpty();
            assertThat(count(connection, "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public_archive'"))
                    .as("the archived partition keeps no guard trigger").isZero();
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO public_archive.gm_events_p202509 VALUES (99, '2025-09-09')");
            }
        }
    }
}
