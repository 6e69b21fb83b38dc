package io.pgpartition.maintenance;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.annotations.Expiry;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.maintenance.internal.MaintenancePlanner;
import io.pgpartition.maintenance.internal.RangePeriods;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.HashPolicy;
import io.pgpartition.policy.ListPartitionSpec;
import io.pgpartition.policy.ListPolicy;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The maintenance engine against a real PostgreSQL: premake, plans, gaps, default rescue, retention, names. */
@PostgresTest
class PartitionMaintenanceTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:15:00Z");

    static RangePolicy monthly(int premake, String retention, Expiry expiry, boolean defaultPartition, String zone) {
        RangePolicy.Builder policy = RangePolicy.monthly().premake(premake).onExpiry(expiry).naming("{table}_p{yyyy}{MM}")
                .defaultPartition(defaultPartition).zone(zone);
        return (retention == null ? policy : policy.retention(retention)).build();
    }

    static PartitionedTable layout(Connection connection, String table) {
        return new CatalogReader().read(connection, List.of(TableName.parse(table))).partitionedTable(TableName.parse(table)).orElseThrow();
    }

    static List<String> partitionNames(Connection connection, String table) {
        return layout(connection, table).orderedPartitions().stream().map(p -> p.name().name()).toList();
    }

    static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void creationsShareTransactionsOnlyWithoutADefaultPartition() {
        List<MaintenanceAction> actions = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            actions.add(action(MaintenanceAction.Kind.CREATE, "t_p" + i, true));
        }
        actions.add(action(MaintenanceAction.Kind.CREATE_DEFAULT, "t_default", true));
        actions.add(action(MaintenanceAction.Kind.DETACH, "t_old", false));
        actions.add(action(MaintenanceAction.Kind.CREATE, "t_late", true));
        assertThat(MaintenancePlanner.batches(actions, true)).as("no default partition: up to 50 creations per transaction")
                .extracting(List::size).containsExactly(50, 50, 20, 1, 1, 1);
        assertThat(MaintenancePlanner.batches(actions, true).get(3).get(0).kind()).as("the default partition alone")
                .isEqualTo(MaintenanceAction.Kind.CREATE_DEFAULT);
        assertThat(MaintenancePlanner.batches(actions, false)).as("with a default partition: each action alone")
                .hasSize(123).allSatisfy(batch -> assertThat(batch).hasSize(1));
        assertThat(MaintenancePlanner.batches(actions, true).stream().flatMap(List::stream).toList()).as("order kept")
                .isEqualTo(actions);
    }

    private static MaintenanceAction action(MaintenanceAction.Kind kind, String partition, boolean inTransaction) {
        return new MaintenanceAction(kind, TableName.of("public", "t"), TableName.of("public", partition), kind + " " + partition,
                List.of("SELECT 1"), inTransaction);
    }

    @Test
    void premakeCreatesFromNowAndASecondRunIsANoOp(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE premade (id bigint NOT NULL, created_on date NOT NULL, note text DEFAULT 'n', "
                + "PRIMARY KEY (id, created_on)) PARTITION BY RANGE (created_on)");
        PartitionMaintenance maintenance = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("premade"),
                monthly(3, null, Expiry.DETACH, false, "UTC"))));
        try (Connection connection = db.connection()) {
            MaintenancePlan plan = maintenance.plan(connection, NOW);
            assertThat(plan.actions()).as("the current month and three ahead").extracting(MaintenanceAction::description)
                    .containsExactly(
                            "create public.premade_p202611 for [2026-11-01, 2026-12-01)",
                            "create public.premade_p202612 for [2026-12-01, 2027-01-01)",
                            "create public.premade_p202701 for [2027-01-01, 2027-02-01)",
                            "create public.premade_p202702 for [2027-02-01, 2027-03-01)");
            assertThat(plan.actions().get(0).statements()).as("an empty standalone table, attached in the same transaction").containsExactly(
                    "CREATE TABLE \"public\".\"premade_p202611\" (LIKE \"public\".\"premade\" INCLUDING ALL EXCLUDING IDENTITY)",
                    "ALTER TABLE \"public\".\"premade\" ATTACH PARTITION \"public\".\"premade_p202611\" FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')");
            assertThat(plan.findings()).as("the horizon is short before the run").extracting(MaintenanceFinding::toString).containsExactly(
                    "[HORIZON_SHORT] Table public.premade lacks 4 partitions its policy wants now: premade_p202611, premade_p202612, "
                            + "premade_p202701, premade_p202702. Fix: run maintenance (pgpartition maintain, or pgpartition.maintenance=apply).");
            assertThat(partitionNames(connection, "premade")).as("planning changes nothing").isEmpty();

            MaintenanceResult result = maintenance.apply(connection, NOW);
            assertThat(result.created()).as("created").extracting(TableName::name)
                    .containsExactly("premade_p202611", "premade_p202612", "premade_p202701", "premade_p202702");
            assertThat(result.isComplete()).as("nothing given up").isTrue();
            assertThat(result.findings()).as("the fresh plan under the lock found the same work, and no problem")
                    .extracting(MaintenanceFinding::kind).containsExactly(MaintenanceFinding.Kind.HORIZON_SHORT);
            PartitionedTable table = layout(connection, "premade");
            assertThat(table.partitions()).as("attached with the policy's bounds").extracting(p -> p.name().name() + " " + RangePeriods.describe(p.bound()))
                    .contains("premade_p202612 [2026-12-01, 2027-01-01)");
            assertThat(count(connection, "SELECT count(*) FROM pg_constraint WHERE conname = 'pgpartition_bound'"))
                    .as("the helper CHECK constraints are gone").isZero();
            assertThat(count(connection, "SELECT count(*) FROM pg_indexes WHERE tablename = 'premade_p202612'"))
                    .as("the partition got the parent's primary key index").isEqualTo(1);

            assertThat(maintenance.plan(connection, NOW).actions()).as("second plan").isEmpty();
            MaintenanceResult second = maintenance.apply(connection, NOW);
            assertThat(second.applied()).as("second run does nothing").isEmpty();
            assertThat(second.findings()).as("and finds nothing").isEmpty();
            assertThat(maintenance.plan(connection, Instant.parse("2026-12-02T00:00:00Z")).actions())
                    .as("a month later, one more").extracting(MaintenanceAction::description)
                    .containsExactly("create public.premade_p202703 for [2027-03-01, 2027-04-01)");
        }
    }

    @Test
    void periodsCoveredByExistingPartitionsAreLeftAndPartlyCoveredOnesCompleted(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE covered (id bigint NOT NULL, on_day date NOT NULL) PARTITION BY RANGE (on_day)",
                "CREATE TABLE covered_early PARTITION OF covered FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')",
                "CREATE TABLE covered_nov_first_half PARTITION OF covered FOR VALUES FROM ('2026-11-01') TO ('2026-11-16')",
                "CREATE TABLE covered_mid_dec PARTITION OF covered FOR VALUES FROM ('2026-12-10') TO ('2026-12-20')",
                "CREATE TABLE covered_q1 PARTITION OF covered FOR VALUES FROM ('2027-01-01') TO ('2027-04-01')",
                "CREATE TABLE covered_late PARTITION OF covered FOR VALUES FROM ('2030-01-01') TO ('2030-02-01')");
        PartitionMaintenance maintenance = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("covered"),
                monthly(3, null, Expiry.DETACH, false, "UTC"))));
        try (Connection connection = db.connection()) {
            MaintenancePlan plan = maintenance.plan(connection, NOW);
            assertThat(plan.actions()).as("November's second half, from where covered_nov_first_half ends; January and February "
                            + "lie inside covered_q1").extracting(MaintenanceAction::description)
                    .containsExactly("create public.covered_p202611 for [2026-11-16, 2026-12-01) (existing partitions hold the rest of "
                            + "[2026-11-01, 2026-12-01))");
            assertThat(plan.findings()).extracting(MaintenanceFinding::toString).contains(
                    "[OVERLAP] Partition public.covered_p202612 for [2026-12-01, 2027-01-01) is not created: existing partitions "
                            + "of public.covered cover part of that range (covered_mid_dec [2026-12-10, 2026-12-20)). Fix: "
                            + "make the existing partitions match the policy's interval, or change the policy.");
        }
    }

    @Test
    void scriptRendersTransactionsWithLockTimeout(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE scripted (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)");
        PartitionMaintenance maintenance = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("scripted"),
                monthly(0, null, Expiry.DETACH, false, "UTC"))), MaintenanceOptions.DEFAULTS.withLockTimeout(java.time.Duration.ofMillis(1500)));
        try (Connection connection = db.connection()) {
            assertThat(maintenance.plan(connection, NOW).script()).isEqualTo("""
                    -- pgpartition maintenance plan for 2026-11-21T10:15:00Z

                    -- create public.scripted_p202611 for [2026-11-01, 2026-12-01)
                    BEGIN;
                    SET LOCAL lock_timeout = '1500ms';
                    CREATE TABLE "public"."scripted_p202611" (LIKE "public"."scripted" INCLUDING ALL EXCLUDING IDENTITY);
                    ALTER TABLE "public"."scripted" ATTACH PARTITION "public"."scripted_p202611" FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
                    COMMIT;

                    -- [HORIZON_SHORT] Table public.scripted lacks 1 partition its policy wants now: scripted_p202611. Fix: run maintenance (pgpartition maintain, or pgpartition.maintenance=apply).
                    """);
        }
    }

    @Test
    void premakeIgnoresTheNewestRowAndReportsGapsUnlessAskedToFillThem(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE stale (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE stale_p202607 PARTITION OF stale FOR VALUES FROM ('2026-07-01') TO ('2026-08-01')",
                "INSERT INTO stale VALUES (1, '2026-07-15')");
        MaintenancePolicy policy = MaintenancePolicy.range(TableName.of("stale"), monthly(1, null, Expiry.DETACH, false, "UTC"));
        try (Connection connection = db.connection()) {
            MaintenanceResult result = new PartitionMaintenance(List.of(policy)).apply(connection, NOW);
            assertThat(result.created()).as("from now, not from July's newest row").extracting(TableName::name)
                    .containsExactly("stale_p202611", "stale_p202612");
            assertThat(new PartitionMaintenance(List.of(policy)).plan(connection, NOW).findings()).extracting(MaintenanceFinding::toString)
                    .containsExactly("[GAP] No partition of public.stale holds keys in [2026-08-01, 2026-11-01): inserts there fail. "
                            + "Fix: run maintenance with gaps filled (--fill-gaps, or MaintenancePolicy.withGapsFilled(true)).");

            MaintenanceResult filled = new PartitionMaintenance(List.of(policy.withGapsFilled(true))).apply(connection, NOW);
            assertThat(filled.created()).as("gaps filled when asked").extracting(TableName::name)
                    .containsExactly("stale_p202608", "stale_p202609", "stale_p202610");
            assertThat(layout(connection, "stale").gaps()).as("no gap left").isEmpty();
        }
    }

    @Test
    void movesRowsOutOfTheDefaultPartitionBeforeAttaching(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE rescued (id bigint NOT NULL, at timestamptz NOT NULL, body text, "
                        + "total numeric GENERATED ALWAYS AS (id * 2) STORED) PARTITION BY RANGE (at)",
                "CREATE TABLE rescued_default PARTITION OF rescued DEFAULT",
                "INSERT INTO rescued (id, at, body) SELECT g, timestamptz '2026-12-01 00:00:00+00' + g * interval '1 hour', 'dec' "
                        + "FROM generate_series(0, 99) g",
                "INSERT INTO rescued (id, at, body) VALUES (1000, '2031-01-01 00:00:00+00', 'far future')");
        PartitionMaintenance maintenance = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("rescued"),
                monthly(1, null, Expiry.DETACH, true, "UTC"))));
        try (Connection connection = db.connection()) {
            assertThat(maintenance.check(connection, NOW)).as("monitoring sees the default's rows")
                    .extracting(MaintenanceFinding::kind)
                    .containsExactly(MaintenanceFinding.Kind.HORIZON_SHORT, MaintenanceFinding.Kind.DEFAULT_HAS_ROWS);
            assertThat(maintenance.check(connection, NOW).get(1).message()).isEqualTo("Default partition public.rescued_default "
                    + "of public.rescued holds 101 rows: their keys have no partition of their own. Fix: run maintenance with the "
                    + "default partition rescued (pgpartition maintain --rescue-default, or MaintenancePolicy.withDefaultRescued(true)), "
                    + "which creates a partition for every period holding rows there and moves the rows into it.");

            MaintenanceResult result = maintenance.apply(connection, NOW);
            assertThat(result.created()).extracting(TableName::name).containsExactly("rescued_p202611", "rescued_p202612");
            assertThat(result.rowsMoved()).as("December's rows moved").isEqualTo(100);
            assertThat(count(connection, "SELECT count(*) FROM rescued")).as("nothing lost").isEqualTo(101);
            assertThat(count(connection, "SELECT count(*) FROM rescued_p202612")).as("now in their partition").isEqualTo(100);
            assertThat(count(connection, "SELECT count(*) FROM rescued_default")).as("the rest stays").isEqualTo(1);
            assertThat(count(connection, "SELECT sum(total) FROM rescued_p202612")).as("generated column recomputed").isEqualTo(9900);
        }
    }

    @Test
    void rescuesEveryPeriodOfTheDefaultPartitionWhereverItLies(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE strays (id bigint NOT NULL, at timestamptz, body text) PARTITION BY RANGE (at)",
                "CREATE TABLE strays_p202609 PARTITION OF strays FOR VALUES FROM ('2026-09-01 00:00+00') TO ('2026-10-01 00:00+00')",
                "CREATE TABLE strays_p202611 PARTITION OF strays FOR VALUES FROM ('2026-11-01 00:00+00') TO ('2026-12-01 00:00+00')",
                "CREATE TABLE strays_default PARTITION OF strays DEFAULT",
                // in the October gap, before the first partition, beyond the horizon (twice in one month, once at the
                // very end of a month in UTC), a null key and an infinite one
                "INSERT INTO strays VALUES (1, '2026-10-15 12:00+00', 'gap'), (2, '2019-03-03 03:03+00', 'early'), "
                        + "(3, '2031-01-01 00:00+00', 'far'), (4, '2031-01-31 23:59:59.999999+00', 'far, last instant'), "
                        + "(5, '2028-07-01 00:00+00', 'later'), (6, NULL, 'no key'), (7, 'infinity', 'forever')");
        MaintenancePolicy policy = MaintenancePolicy.range(TableName.of("strays"), monthly(1, null, Expiry.DETACH, true, "UTC"));
        try (Connection connection = db.connection()) {
            List<MaintenanceFinding> before = new PartitionMaintenance(List.of(policy)).check(connection, NOW);
            assertThat(before).extracting(MaintenanceFinding::kind).containsExactly(MaintenanceFinding.Kind.GAP,
                    MaintenanceFinding.Kind.HORIZON_SHORT, MaintenanceFinding.Kind.DEFAULT_HAS_ROWS);
            assertThat(before.get(2).message()).isEqualTo("Default partition public.strays_default of public.strays holds 7 rows: "
                    + "their keys have no partition of their own (2 with a null or infinite key, which only a default partition "
                    + "holds). Fix: run maintenance with the default partition rescued (pgpartition maintain --rescue-default, or "
                    + "MaintenancePolicy.withDefaultRescued(true)), which creates a partition for every period holding rows there "
                    + "and moves the rows into it.");
            assertThat(new PartitionMaintenance(List.of(policy)).apply(connection, NOW).created())
                    .as("without the rescue, only the horizon is made").extracting(TableName::name).containsExactly("strays_p202612");
            assertThat(count(connection, "SELECT count(*) FROM strays_default")).isEqualTo(7);

            PartitionMaintenance rescue = new PartitionMaintenance(List.of(policy.withDefaultRescued(true)));
            MaintenancePlan plan = rescue.plan(connection, NOW);
            assertThat(plan.actions()).as("in key order").extracting(MaintenanceAction::description).containsExactly(
                    "create public.strays_p201903 for [2019-03-01T00:00:00Z, 2019-04-01T00:00:00Z), moving its rows out of strays_default",
                    "create public.strays_p202610 for [2026-10-01T00:00:00Z, 2026-11-01T00:00:00Z), moving its rows out of strays_default",
                    "create public.strays_p202807 for [2028-07-01T00:00:00Z, 2028-08-01T00:00:00Z), moving its rows out of strays_default",
                    "create public.strays_p203101 for [2031-01-01T00:00:00Z, 2031-02-01T00:00:00Z), moving its rows out of strays_default");
            MaintenanceResult result = rescue.apply(connection, NOW);
            assertThat(result.rowsMoved()).isEqualTo(5);
            assertThat(count(connection, "SELECT count(*) FROM strays")).as("nothing lost").isEqualTo(7);
            assertThat(count(connection, "SELECT count(*) FROM strays_p203101")).as("both January 2031 rows").isEqualTo(2);
            assertThat(count(connection, "SELECT count(*) FROM strays_default")).as("only the unplaceable stay").isEqualTo(2);
            assertThat(rescue.plan(connection, NOW).actions()).as("a second run has nothing to do").isEmpty();

            List<MaintenanceFinding> after = rescue.check(connection, NOW);
            assertThat(after).extracting(MaintenanceFinding::kind).as("the partition made for 2019 leaves the years up to "
                    + "September 2026 a gap, which --fill-gaps fills").containsExactly(MaintenanceFinding.Kind.GAP,
                    MaintenanceFinding.Kind.DEFAULT_HAS_ROWS);
            assertThat(after.get(1).message()).isEqualTo("Default partition public.strays_default of public.strays holds 2 rows: "
                    + "their keys have no partition of their own (2 with a null or infinite key, which only a default partition "
                    + "holds). Fix: give those rows a key, or leave them in the default partition.");
        }
    }

    @Test
    void rescueFollowsTheZoneAndNumericSteps(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE zoned (id bigint NOT NULL, at timestamptz NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE zoned_default PARTITION OF zoned DEFAULT",
                // 23:30 UTC on 31 December is already January in Berlin
                "INSERT INTO zoned VALUES (1, '2029-12-31 23:30+00')",
                "CREATE TABLE ledger (id bigint NOT NULL, seq numeric NOT NULL) PARTITION BY RANGE (seq)",
                "CREATE TABLE ledger_default PARTITION OF ledger DEFAULT",
                "INSERT INTO ledger VALUES (1, 250), (2, 999.5), (3, 5000000), (4, 'NaN'), (5, 'Infinity'), (6, '-Infinity')");
        try (Connection connection = db.connection()) {
            MaintenanceResult zoned = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("zoned"),
                    monthly(0, null, Expiry.DETACH, true, "Europe/Berlin")).withDefaultRescued(true))).apply(connection, NOW);
            assertThat(zoned.created()).extracting(TableName::name).containsExactly("zoned_p202611", "zoned_p203001");
            assertThat(count(connection, "SELECT count(*) FROM zoned_p203001")).isEqualTo(1);

            RangePolicy steps = RangePolicy.every("1000").premake(0).naming("{table}_{value}").defaultPartition(true).build();
            MaintenanceResult ledger = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("ledger"), steps)
                    .withDefaultRescued(true))).apply(connection, NOW);
            assertThat(ledger.created()).extracting(TableName::name).as("one partition for 250 and 999.5, one for 5,000,000, "
                    + "which is also the greatest finite key the horizon starts at").containsExactly("ledger_5000000", "ledger_0");
            assertThat(count(connection, "SELECT count(*) FROM ledger_0")).isEqualTo(2);
            assertThat(count(connection, "SELECT count(*) FROM ledger_default")).as("NaN and the infinities belong to no step").isEqualTo(3);
        }
    }

    @Test
    void retentionDetachesDropsOrArchivesAndLeavesReferencedPartitionsWhole(TestDatabase db) throws SQLException {
        for (String table : List.of("kept", "dropped", "archived")) {
            db.execute("CREATE TABLE " + table + " (id bigint NOT NULL, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)");
            for (String month : List.of("2025-09", "2025-10", "2025-11", "2025-12")) {
                db.execute("CREATE TABLE " + table + "_p" + month.replace("-", "") + " PARTITION OF " + table
                        + " FOR VALUES FROM ('" + month + "-01') TO (('" + month + "-01')::date + interval '1 month')");
            }
        }
        db.execute("INSERT INTO dropped VALUES (1, '2025-09-05')",
                "CREATE TABLE audit (id bigint, at date, FOREIGN KEY (id, at) REFERENCES dropped_p202509 (id, at))",
                "INSERT INTO audit VALUES (1, '2025-09-05')");
        try (Connection connection = db.connection()) {
            MaintenanceResult kept = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("kept"),
                    monthly(0, "12 months", Expiry.DETACH, false, "UTC")))).apply(connection, NOW);
            assertThat(kept.detached()).as("ended before 2025-11-21").extracting(TableName::name)
                    .containsExactly("kept_p202509", "kept_p202510");
            assertThat(kept.applied().get(1).action().statements()).as("concurrently, without a default partition")
                    .containsExactly("COMMENT ON TABLE \"public\".\"kept_p202509\" IS 'pgpartition retention: detached from "
                                    + "\"public\".\"kept\"; held [2025-09-01, 2025-10-01)'",
                            "ALTER TABLE \"public\".\"kept\" DETACH PARTITION \"public\".\"kept_p202509\" CONCURRENTLY");
            assertThat(partitionNames(connection, "kept")).containsExactly("kept_p202511", "kept_p202512", "kept_p202611");
            assertThat(count(connection, "SELECT count(*) FROM pg_class WHERE relname = 'kept_p202509' AND NOT relispartition"))
                    .as("kept as a plain table").isEqualTo(1);

            MaintenanceResult dropped = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("dropped"),
                    monthly(0, "12 months", Expiry.DROP, false, "UTC")))).apply(connection, NOW);
            assertThat(dropped.dropped()).extracting(TableName::name).containsExactly("dropped_p202510");
            assertThat(dropped.findings(MaintenanceFinding.Kind.REFERENCED_BY_FOREIGN_KEY)).extracting(MaintenanceFinding::message)
                    .containsExactly("Expired partition public.dropped_p202509 [2025-09-01, 2025-10-01) is kept whole: it is referenced "
                            + "by foreign key audit_id_at_fkey of public.audit. Fix: delete or re-point the referencing rows and drop the "
                            + "foreign key, then run maintenance again.");
            assertThat(count(connection, "SELECT count(*) FROM pg_class WHERE relname = 'dropped_p202510'")).as("gone").isZero();
            assertThat(count(connection, "SELECT count(*) FROM dropped_p202509")).as("referenced partition intact").isEqualTo(1);

            MaintenanceResult archived = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("archived"),
                    monthly(0, "12 months", Expiry.ARCHIVE, false, "UTC")))).apply(connection, NOW);
            assertThat(archived.archived()).extracting(TableName::name).containsExactly("archived_p202509", "archived_p202510");
            assertThat(count(connection, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public_archive' "
                    + "AND tablename IN ('archived_p202509', 'archived_p202510')")).as("moved to public_archive").isEqualTo(2);
        }
    }

    @Test
    void columnarRetentionWithoutCitusColumnarIsReportedAndChangesNothing(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE aged (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE aged_p202509 PARTITION OF aged FOR VALUES FROM ('2025-09-01') TO ('2025-10-01')",
                "CREATE TABLE aged_p202611 PARTITION OF aged FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')",
                "INSERT INTO aged VALUES (1, '2025-09-03')");
        PartitionMaintenance maintenance = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("aged"),
                monthly(0, "12 months", Expiry.COLUMNAR, false, "UTC"))));
        try (Connection connection = db.connection()) {
            MaintenanceResult result = maintenance.apply(connection, NOW);
            assertThat(result.applied()).as("nothing is started").isEmpty();
            assertThat(result.findings(MaintenanceFinding.Kind.COLUMNAR_REFUSED)).extracting(MaintenanceFinding::message)
                    .containsExactly("Expired partitions of public.aged are kept as they are: retention rewrites them to the columnar "
                            + "access method, which this database does not have. Fix: CREATE EXTENSION citus_columnar (it comes with "
                            + "Citus), or retire them another way (--on-expiry detach, drop or archive).");
            assertThat(partitionNames(connection, "aged")).as("still attached").containsExactly("aged_p202509", "aged_p202611");
        }
    }

    @Test
    void daylightSavingChangesLeaveNoGapOrOverlap(TestDatabase db) throws SQLException {
        for (String table : List.of("berlin_spring", "berlin_autumn", "new_york")) {
            db.execute("CREATE TABLE " + table + " (id bigint NOT NULL, at timestamptz NOT NULL) PARTITION BY RANGE (at)");
        }
        try (Connection connection = db.connection()) {
            daily("berlin_spring", "Europe/Berlin").apply(connection, Instant.parse("2026-03-27T12:00:00Z"));
            daily("berlin_autumn", "Europe/Berlin").apply(connection, Instant.parse("2026-10-23T12:00:00Z"));
            daily("new_york", "America/New_York").apply(connection, Instant.parse("2026-10-30T12:00:00Z"));
            for (String table : List.of("berlin_spring", "berlin_autumn", "new_york")) {
                PartitionedTable layout = layout(connection, table);
                assertThat(layout.partitions()).as(table + ": five days").hasSize(5);
                assertThat(layout.gaps()).as(table + ": no gap").isEmpty();
                assertThat(layout.overlaps()).as(table + ": no overlap").isEmpty();
            }
            assertThat(layout(connection, "berlin_spring").partition("berlin_spring_p20260329").map(p -> RangePeriods.describe(p.bound())))
                    .as("the 23-hour day, midnight to midnight in Berlin").hasValue("[2026-03-28T23:00:00Z, 2026-03-29T22:00:00Z)");
            assertThat(layout(connection, "berlin_autumn").partition("berlin_autumn_p20261025").map(p -> RangePeriods.describe(p.bound())))
                    .as("the 25-hour day").hasValue("[2026-10-24T22:00:00Z, 2026-10-25T23:00:00Z)");
            assertThat(layout(connection, "new_york").partition("new_york_p20261101").map(p -> RangePeriods.describe(p.bound())))
                    .as("the 25-hour day in New York").hasValue("[2026-11-01T04:00:00Z, 2026-11-02T05:00:00Z)");
            db.execute("INSERT INTO berlin_spring VALUES (1, '2026-03-29 03:30:00+02')",
                    "INSERT INTO new_york VALUES (1, '2026-11-01 01:30:00-05')");
            assertThat(count(connection, "SELECT count(*) FROM berlin_spring_p20260329")).as("just after the skipped hour").isEqualTo(1);
            assertThat(count(connection, "SELECT count(*) FROM new_york_p20261101")).as("the repeated hour's second pass").isEqualTo(1);
        }
    }

    private static PartitionMaintenance daily(String table, String zone) {
        return new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of(table),
                RangePolicy.daily().premake(4).naming("{table}_p{yyyy}{MM}{dd}").zone(zone).build())));
    }

    @Test
    void tooLongNamesAreRefusedBeforeAnythingRuns(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE short_lived (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE named_long (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)");
        RangePolicy longNames = RangePolicy.monthly().premake(1)
                .naming("{table}_partition_for_the_month_of_{yyyy}_{MM}_kept_by_pgpartition").build();
        PartitionMaintenance maintenance = new PartitionMaintenance(List.of(
                MaintenancePolicy.range(TableName.of("short_lived"), monthly(1, null, Expiry.DETACH, false, "UTC")),
                MaintenancePolicy.range(TableName.of("named_long"), longNames)));
        try (Connection connection = db.connection()) {
            assertThatThrownBy(() -> maintenance.apply(connection, NOW))
                    .isInstanceOfSatisfying(PartitioningException.class, e -> assertThat(e.getCode()).isEqualTo(ErrorCode.IDENTIFIER_INVALID))
                    .hasMessage("Partition name \"named_long_partition_for_the_month_of_2026_11_kept_by_pgpartition\" of table "
                            + "public.named_long is 65 bytes; PostgreSQL cuts names at 63 bytes, so partitions could collide. Nothing "
                            + "was changed. Fix: choose a shorter naming pattern than \"{table}_partition_for_the_month_of_{yyyy}_{MM}"
                            + "_kept_by_pgpartition\" or a shorter table name.");
            assertThat(partitionNames(connection, "short_lived")).as("not even the other table's partitions were created").isEmpty();
        }
    }

    @Test
    void namesWithQuotesAndSemicolonsAreOnlyNames(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE \"odd \"\"table\" (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE victim (id int)");
        RangePolicy hostile = RangePolicy.monthly().premake(0).naming("{table}'; DROP TABLE victim; --{yyyy}{MM}").build();
        try (Connection connection = db.connection()) {
            MaintenanceResult result = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("public", "odd \"table"), hostile)))
                    .apply(connection, NOW);
            assertThat(result.created()).extracting(TableName::name).containsExactly("odd \"table'; DROP TABLE victim; --202611");
            assertThat(count(connection, "SELECT count(*) FROM pg_class WHERE relname = 'victim'")).as("victim untouched").isEqualTo(1);
        }
    }

    @Test
    void listAndHashPoliciesCreateWhatIsDeclared(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE listed (id bigint NOT NULL, source_type text NOT NULL) PARTITION BY LIST (source_type)",
                "CREATE TABLE listed_manual PARTITION OF listed FOR VALUES IN ('manual')",
                "CREATE TABLE hashed (id bigint NOT NULL) PARTITION BY HASH (id)");
        PartitionMaintenance maintenance = new PartitionMaintenance(List.of(
                MaintenancePolicy.list(TableName.of("listed"), new ListPolicy(List.of(
                        new ListPartitionSpec("listed_manual", List.of("manual")),
                        new ListPartitionSpec("listed_auto", List.of("auto", "scheduled"))))),
                MaintenancePolicy.hash(TableName.of("hashed"), new HashPolicy(4, NamingPattern.parse("{table}_h{remainder}", "test", "naming")))));
        try (Connection connection = db.connection()) {
            MaintenanceResult result = maintenance.apply(connection, NOW);
            assertThat(result.created()).extracting(TableName::name)
                    .containsExactly("listed_auto", "hashed_h0", "hashed_h1", "hashed_h2", "hashed_h3");
            db.execute("INSERT INTO listed VALUES (1, 'scheduled')", "INSERT INTO hashed SELECT generate_series(1, 100)");
            assertThat(count(connection, "SELECT count(*) FROM listed_auto")).isEqualTo(1);
            assertThat(maintenance.apply(connection, NOW).applied()).as("second run").isEmpty();
        }
    }

    @Test
    void numericRangesPremakeFromTheGreatestKey(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE numbered (id bigint NOT NULL) PARTITION BY RANGE (id)",
                "CREATE TABLE numbered_0 PARTITION OF numbered FOR VALUES FROM (0) TO (1000)",
                "CREATE TABLE numbered_1000 PARTITION OF numbered FOR VALUES FROM (1000) TO (2000)",
                "INSERT INTO numbered SELECT generate_series(1, 1500)");
        RangePolicy steps = RangePolicy.every("1000").premake(2).retention("1000").onExpiry(Expiry.DROP).naming("{table}_{value}")
                .build();
        try (Connection connection = db.connection()) {
            MaintenanceResult result = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("numbered"), steps)))
                    .apply(connection, NOW);
            assertThat(result.created()).extracting(TableName::name).containsExactly("numbered_2000", "numbered_3000");
            assertThat(result.dropped()).as("ending at or below 1500 - 1000").isEmpty();
            db.execute("INSERT INTO numbered SELECT generate_series(1501, 2600)");
            MaintenanceResult later = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("numbered"), steps)))
                    .apply(connection, NOW);
            assertThat(later.created()).extracting(TableName::name).containsExactly("numbered_4000");
            assertThat(later.dropped()).extracting(TableName::name).containsExactly("numbered_0");
        }
    }

    @Test
    void aPolicyThatDoesNotFitTheTableIsReported(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE by_list (id bigint NOT NULL, kind text NOT NULL) PARTITION BY LIST (kind)",
                "CREATE TABLE plain_table (id bigint)");
        PartitionMaintenance maintenance = new PartitionMaintenance(List.of(
                MaintenancePolicy.range(TableName.of("by_list"), monthly(1, null, Expiry.DETACH, false, "UTC")),
                MaintenancePolicy.range(TableName.of("plain_table"), monthly(1, null, Expiry.DETACH, false, "UTC")),
                MaintenancePolicy.range(TableName.of("no_such_table"), monthly(1, null, Expiry.DETACH, false, "UTC"))));
        try (Connection connection = db.connection()) {
            assertThat(maintenance.apply(connection, NOW).findings()).extracting(MaintenanceFinding::toString).containsExactly(
                    "[POLICY_MISMATCH] Table public.by_list is partitioned by LIST (kind), but its maintenance policy is for RANGE "
                            + "partitioning. Fix: correct the policy (or @PartitionedBy) to match the table.",
                    "[TABLE_MISSING] Table public.plain_table is not partitioned, so there is nothing to maintain. Fix: convert it "
                            + "to a partitioned table, or remove its maintenance policy.",
                    "[TABLE_MISSING] Table no_such_table does not exist. Fix: create it partitioned by RANGE, or remove its "
                            + "maintenance policy.");
        }
    }

    @Test
    void aSubPartitionedTableIsRefusedClearlyAndLeftAlone(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE sub_claims (id bigint NOT NULL, created_at timestamptz NOT NULL, region text NOT NULL) "
                        + "PARTITION BY RANGE (created_at)",
                "CREATE TABLE sub_claims_p202611 PARTITION OF sub_claims FOR VALUES FROM ('2026-11-01') TO ('2026-12-01') "
                        + "PARTITION BY LIST (region)",
                "CREATE TABLE sub_claims_p202611_eu PARTITION OF sub_claims_p202611 FOR VALUES IN ('eu')");
        try (Connection connection = db.connection()) {
            PartitionMaintenance maintenance = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("sub_claims"),
                    monthly(3, "6 months", Expiry.ARCHIVE, false, "UTC"))));
            MaintenanceResult result = maintenance.apply(connection, NOW);
            assertThat(result.applied()).as("nothing done").isEmpty();
            assertThat(result.findings()).extracting(MaintenanceFinding::toString).containsExactly("[POLICY_MISMATCH] Table "
                    + "public.sub_claims is not maintained: its partition public.sub_claims_p202611 is partitioned by LIST (region), and "
                    + "maintenance would create plain partitions beside it, changing the table's layout, and archive a partitioned "
                    + "partition without its own partitions. Fix: create, detach and drop the partitions of public.sub_claims yourself "
                    + "(each new one partitioned like public.sub_claims_p202611), or remove its maintenance policy.");
            assertThat(partitionNames(connection, "sub_claims")).as("the layout is as it was").containsExactly("sub_claims_p202611");
        }
    }
}
