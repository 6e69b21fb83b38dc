package io.pgpartition.report;

import io.pgpartition.annotations.Expiry;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.model.RangeValue;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.report.PartitionHealth.Status;
import io.pgpartition.support.CountingConnection;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Health of partitioned tables against a real PostgreSQL: each status, its numbers and its messages. */
@PostgresTest
class PartitionHealthTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:15:00Z");

    static MaintenancePolicy monthly(String table, int premake, boolean defaultPartition, String zone) {
        return MaintenancePolicy.range(TableName.of(table), RangePolicy.monthly().premake(premake).naming("{table}_p{yyyy}{MM}")
                .defaultPartition(defaultPartition).zone(zone).build());
    }

    static void months(TestDatabase db, String table, String type, LocalDate first, int count) {
        db.execute("CREATE TABLE " + table + " (id bigint NOT NULL, at " + type + " NOT NULL) PARTITION BY RANGE (at)");
        for (int i = 0; i < count; i++) {
            LocalDate from = first.plusMonths(i);
            db.execute("CREATE TABLE " + table + "_p" + from.toString().substring(0, 7).replace("-", "") + " PARTITION OF "
                    + table + " FOR VALUES FROM ('" + from + "') TO ('" + from.plusMonths(1) + "')");
        }
    }

    static PartitionHealth only(TestDatabase db, List<TableName> tables, List<MaintenancePolicy> policies) throws SQLException {
        try (Connection connection = db.connection()) {
            List<PartitionHealth> health = PartitionHealth.check(connection, tables, policies, NOW);
            assertThat(health).hasSize(1);
            return health.get(0);
        }
    }

    @Test
    void aTableWithItsPremakeHorizonIsOk(TestDatabase db) throws SQLException {
        months(db, "events", "date", LocalDate.parse("2026-10-01"), 5);

        PartitionHealth health = only(db, List.of(), List.of(monthly("events", 3, false, "UTC")));

        assertThat(health).isEqualTo(new PartitionHealth(TableName.of("public", "events"), Status.OK, 5, OptionalInt.of(3),
                Optional.of(RangeValue.of(LocalDate.parse("2027-03-01"))), OptionalLong.empty(), List.of()));
        assertThat(health.toString()).isEqualTo("public.events OK: 5 partitions, 3 ahead (until '2027-03-01')");
    }

    @Test
    void aShortHorizonWarnsWithWhatIsMissing(TestDatabase db) throws SQLException {
        months(db, "short_events", "date", LocalDate.parse("2026-11-01"), 2);

        PartitionHealth health = only(db, List.of(), List.of(monthly("short_events", 3, false, "UTC")));

        assertThat(health.status()).isEqualTo(Status.WARN);
        assertThat(health.partitionsAhead()).hasValue(1);
        assertThat(health.coveredUntil()).contains(RangeValue.of(LocalDate.parse("2027-01-01")));
        assertThat(health.problems()).containsExactly("Table public.short_events lacks 2 partitions its policy wants now: short_events_p202701, "
                + "short_events_p202702. Fix: run maintenance (pgpartition "
                + "maintain, or pgpartition.maintenance=apply).");
    }

    @Test
    void nothingHoldingTheCurrentTimeIsCritical(TestDatabase db) throws SQLException {
        months(db, "old_events", "date", LocalDate.parse("2026-01-01"), 3);

        PartitionHealth health = only(db, List.of(TableName.of("old_events")), List.of());

        assertThat(health).isEqualTo(new PartitionHealth(TableName.of("public", "old_events"), Status.CRITICAL, 3, OptionalInt.of(0),
                Optional.empty(), OptionalLong.empty(), List.of("No partition of public.old_events holds the current time "
                + "('2026-11-21') and it has no default partition: inserting a current row fails. Fix: create a partition "
                + "for the current period of public.old_events (pgpartition maintain --table public.old_events --interval ..., "
                + "or a @RangePartitions policy on its entity with pgpartition.maintenance=apply).")));
    }

    @Test
    void theDefaultPartitionHoldingNowOrRowsWarns(TestDatabase db) throws SQLException {
        months(db, "claims", "timestamp", LocalDate.parse("2026-01-01"), 2);
        db.execute("CREATE TABLE claims_default PARTITION OF claims DEFAULT",
                "INSERT INTO claims VALUES (1, '2026-06-01 10:00'), (2, '2026-06-02 11:00'), (3, '2026-01-05 00:00')");

        PartitionHealth health = only(db, List.of(TableName.of("claims")), List.of());

        assertThat(health.status()).isEqualTo(Status.WARN);
        assertThat(health.partitions()).as("the default partition is not counted").isEqualTo(2);
        assertThat(health.defaultRows()).hasValue(2);
        assertThat(health.partitionsAhead()).hasValue(0);
        assertThat(health.problems()).containsExactly(
                "The current time ('2026-11-21 10:15:00') falls in the default partition public.claims_default of public.claims: "
                        + "current rows land there. Fix: create a partition for the current period of public.claims (pgpartition "
                        + "maintain --table public.claims --interval ..., or a @RangePartitions policy on its entity with "
                        + "pgpartition.maintenance=apply).",
                "Default partition public.claims_default of public.claims holds 2 rows: their keys have no partition of their own. Fix: "
                        + "run maintenance with the default partition rescued (pgpartition maintain --rescue-default, or "
                        + "MaintenancePolicy.withDefaultRescued(true)), which creates a partition for every period holding "
                        + "rows there and moves the rows into it.");
        assertThat(health.toString()).startsWith("public.claims WARN: 2 partitions, 0 ahead, 2 rows in the default partition\n  The current");
    }

    @Test
    void theCurrentTimeIsTakenInThePolicysZone(TestDatabase db) throws SQLException {
        // 2026-11-30 12:00 UTC is already 1 December, 01:00 in Auckland
        months(db, "local_events", "timestamp", LocalDate.parse("2026-12-01"), 4);
        Instant lateNovember = Instant.parse("2026-11-30T12:00:00Z");
        try (Connection connection = db.connection()) {
            PartitionHealth withZone = PartitionHealth.check(connection, List.of(),
                    List.of(monthly("local_events", 3, false, "Pacific/Auckland")), lateNovember).get(0);
            PartitionHealth inUtc = PartitionHealth.check(connection, List.of(TableName.of("local_events")), List.of(),
                    lateNovember).get(0);

            assertThat(withZone.status()).isEqualTo(Status.OK);
            assertThat(withZone.partitionsAhead()).hasValue(3);
            assertThat(inUtc.status()).isEqualTo(Status.CRITICAL);
            assertThat(inUtc.problems().get(0)).startsWith("No partition of public.local_events holds the current time ('2026-11-30 12:00:00')");
        }
        assertThat(LocalDateTime.ofInstant(lateNovember, ZoneId.of("Pacific/Auckland"))).isEqualTo("2026-12-01T01:00");
    }

    @Test
    void aMissingHashRemainderAndAMissingTableAreCritical(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE tenants (id bigint NOT NULL) PARTITION BY HASH (id)",
                "CREATE TABLE tenants_h0 PARTITION OF tenants FOR VALUES WITH (MODULUS 4, REMAINDER 0)",
                "CREATE TABLE tenants_h2 PARTITION OF tenants FOR VALUES WITH (MODULUS 4, REMAINDER 2)",
                "CREATE TABLE plain (id bigint)");
        try (Connection connection = db.connection()) {
            List<PartitionHealth> health = PartitionHealth.check(connection,
                    List.of(TableName.of("tenants"), TableName.of("plain"), TableName.of("nowhere")), List.of(), NOW);

            assertThat(health).extracting(PartitionHealth::status).containsExactly(Status.CRITICAL, Status.CRITICAL, Status.CRITICAL);
            assertThat(health.get(0).problems()).containsExactly("Remainders 1, 3 of modulus 4 of public.tenants have no partition: "
                    + "rows hashing there are refused. Fix: create them (pgpartition maintain --hash-modulus 4, or "
                    + "@HashPartitions with pgpartition.maintenance=apply).");
            assertThat(health.get(0).partitionsAhead()).as("no time in a hash key").isEmpty();
            assertThat(health.get(1).problems()).containsExactly("Table plain does not exist or is not partitioned: every "
                    + "write to it fails. Fix: create it partitioned, or convert it (pgpartition convert).");
            assertThat(health.get(2).table()).isEqualTo(TableName.of("nowhere"));
        }
    }

    @Test
    void statementsStayConstantWhateverTheNumberOfTables(TestDatabase db) throws SQLException {
        List<TableName> tables = new ArrayList<>();
        List<MaintenancePolicy> policies = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            months(db, "t" + t, "date", LocalDate.parse("2026-11-01"), 4);
            db.execute("CREATE TABLE t" + t + "_default PARTITION OF t" + t + " DEFAULT");
            tables.add(TableName.of("t" + t));
            policies.add(monthly("t" + t, 3, true, "UTC"));
        }
        try (Connection raw = db.connection()) {
            CountingConnection counting = new CountingConnection(raw);
            PartitionHealth.check(counting.connection(), tables.subList(0, 1), policies.subList(0, 1), NOW);
            int one = counting.executions();
            counting.reset();
            List<PartitionHealth> all = PartitionHealth.check(counting.connection(), tables, policies, NOW);
            int twelve = counting.executions();

            assertThat(all).hasSize(12).allSatisfy(health -> {
                assertThat(health.status()).isEqualTo(Status.OK);
                assertThat(health.defaultRows()).hasValue(0);
            });
            assertThat(twelve).as("statements for twelve tables equal those for one").isEqualTo(one);
        }
    }
}
