package io.pgpartition.maintenance;

import io.pgpartition.annotations.Expiry;
import io.pgpartition.model.TableName;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.pgpartition.maintenance.PartitionMaintenanceTest.NOW;
import static io.pgpartition.maintenance.PartitionMaintenanceTest.count;
import static io.pgpartition.maintenance.PartitionMaintenanceTest.monthly;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention under faults: the maintenance process killed while its detach waits on a reader, its backend terminated,
 * its locks never granted, and privileges missing for what follows the detach. After each, no row is lost, the state
 * is reported truthfully, and a second run finishes everything.
 *
 * <p>The table holds a row a day in monthly partitions from September 2025 to December 2026; at
 * {@link PartitionMaintenanceTest#NOW} a 12-month retention expires September and October 2025.
 */
@PostgresTest
class RetentionFaultTest {

    private static final String EXPIRED = "at < '2025-11-01'";
    private static final String KEPT = "at >= '2025-11-01'";

    static void claims(TestDatabase db, String table, boolean withDefault) {
        db.execute("CREATE TABLE " + table + " (id bigint NOT NULL, at date NOT NULL, body text) PARTITION BY RANGE (at)");
        for (int month = 0; month < 16; month++) {
            db.execute("DO $$ DECLARE m date := date '2025-09-01' + " + month + " * interval '1 month'; BEGIN "
                    + "EXECUTE format('CREATE TABLE %I PARTITION OF " + table + " FOR VALUES FROM (%L) TO (%L)', '" + table + "_p' "
                    + "|| to_char(m, 'YYYYMM'), m, m + interval '1 month'); END $$");
        }
        if (withDefault) {
            db.execute("CREATE TABLE " + table + "_default PARTITION OF " + table + " DEFAULT");
        }
        db.execute("INSERT INTO " + table + " SELECT row_number() OVER (), d, 'claim ' || d FROM generate_series(date '2025-09-01', "
                + "date '2026-12-31', interval '1 day') d");
    }

    static MaintenancePolicy policy(String table, Expiry expiry) {
        return MaintenancePolicy.range(TableName.of(table), monthly(1, "12 months", expiry, false, "UTC"));
    }

    /** A row count and a checksum of the rows. */
    record Figures(long rows, long checksum) {
    }

    /** The rows of the parent that {@code where} selects. */
    static Figures parent(Connection connection, String table, String where) throws SQLException {
        return figures(connection, "SELECT count(*), coalesce(sum(hashtext(x::text)::bigint), 0) FROM " + table + " x WHERE " + where);
    }

    /**
     * The rows of every table named like the table's partitions, in any schema, attached or not: what the whole table
     * holds, wherever maintenance left it.
     */
    static Figures everywhere(Connection connection, String table, String where) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND c.relname ~ ('^' || ? || '_(p\\d{6}|default)$')")) {
            statement.setString(1, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        long rows = 0;
        long checksum = 0;
        for (String each : tables) {
            Figures figures = figures(connection, "SELECT count(*), coalesce(sum(hashtext(x::text)::bigint), 0) FROM " + each
                    + " x WHERE " + where);
            rows += figures.rows();
            checksum += figures.checksum();
        }
        return new Figures(rows, checksum);
    }

    private static Figures figures(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return new Figures(rs.getLong(1), rs.getLong(2));
        }
    }

    /**
     * What every run must leave once it has finished: no partition pending detach, no plain table with a partition's
     * name beside the parent, no bound CHECK left on a partition, nothing for check to report, nothing for a third run.
     */
    static void assertFinished(Connection connection, String table, MaintenancePolicy policy) throws SQLException {
        assertThat(count(connection, "SELECT count(*) FROM pg_inherits WHERE inhdetachpending")).as("no detach pending").isZero();
        assertThat(count(connection, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT c.relispartition AND c.relname LIKE '" + table + "\\_p%'"))
                .as("no unattached table with a partition's name").isZero();
        assertThat(count(connection, "SELECT count(*) FROM pg_constraint WHERE conname = 'pgpartition_bound'"))
                .as("no bound CHECK left").isZero();
        PartitionMaintenance maintenance = new PartitionMaintenance(List.of(policy));
        assertThat(maintenance.check(connection, NOW)).as("check is clean").filteredOn(f -> f.kind().isProblem()).isEmpty();
        assertThat(maintenance.plan(connection, NOW).actions()).as("a third run has nothing to do").isEmpty();
    }

    /** Waits until a backend other than the test's own runs a statement matching {@code like}, waiting on a lock. */
    static int awaitWaiting(Connection connection, String like) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT pid FROM pg_stat_activity WHERE query LIKE ? "
                    + "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")) {
                statement.setString(1, like);
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        return rs.getInt(1);
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("No backend started waiting on " + like);
    }

    /** Waits until no backend runs a statement matching {@code like} any more. */
    static void awaitGone(Connection connection, String like) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE query LIKE ? "
                    + "AND state = 'active' AND pid <> pg_backend_pid()")) {
                statement.setString(1, like);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("A backend still runs " + like);
    }

    /** A transaction that has read the whole table and stays open: it holds ACCESS SHARE on every partition. */
    static Connection reader(TestDatabase db, String table) throws SQLException {
        Connection reader = db.connection();
        reader.setAutoCommit(false);
        count(reader, "SELECT count(*) FROM " + table);
        return reader;
    }

    /**
     * Starts a maintenance run in another process while a reader holds the table, kills the process once its detach
     * waits on the reader, lets the reader go and waits until the server has done with the detach.
     */
    static void killWhileItsDetachWaits(TestDatabase db, Connection connection, String table, Expiry expiry) throws Exception {
        try (Connection reader = reader(db, table)) {
            Process run = MaintenanceProcess.start(db, table, expiry);
            try {
                awaitWaiting(connection, "%DETACH PARTITION%");
            } finally {
                run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            reader.rollback();
        }
        awaitGone(connection, "%DETACH PARTITION%");
    }

    @ParameterizedTest(name = "{0}, default partition: {1}")
    @CsvSource({"DROP, false", "ARCHIVE, false", "DROP, true", "ARCHIVE, true"})
    void aRunKilledWhileItsDetachWaitsOnAReaderIsFinishedByTheNext(Expiry expiry, boolean withDefault, TestDatabase db) throws Exception {
        String table = "killed_" + expiry.name().toLowerCase() + (withDefault ? "_d" : "");
        claims(db, table, withDefault);
        MaintenancePolicy policy = policy(table, expiry);
        try (Connection connection = db.connection()) {
            Figures all = everywhere(connection, table, "TRUE");
            Figures expired = everywhere(connection, table, EXPIRED);
            Figures kept = parent(connection, table, KEPT);
            killWhileItsDetachWaits(db, connection, table, expiry);
            assertThat(everywhere(connection, table, "TRUE")).as("no row lost by the kill").isEqualTo(all);

            List<MaintenanceFinding> found = new PartitionMaintenance(List.of(policy)).check(connection, NOW);
            String detached = "public." + table + "_p202509";
            if (withDefault) {
                assertThat(found).as("the detach and what follows it were one transaction, which the kill rolled back").isEmpty();
            } else {
                assertThat(found).extracting(MaintenanceFinding::toString).as("the backend finished the detach the killed run "
                        + "started, and the table is reported until it is " + expiry).containsExactly("[RETENTION_UNFINISHED] Table "
                        + detached + " [2025-09-01, 2025-10-01) was detached from public." + table + " by retention to be "
                        + (expiry == Expiry.DROP ? "dropped" : "archived into public_archive") + ", but the run stopped before "
                        + "that: it still holds its rows as a plain table. Fix: run maintenance of public." + table
                        + ", which finishes it.");
                assertThat(PartitionMaintenance.interrupted(connection)).as("and so does monitoring without a policy")
                        .filteredOn(f -> f.table().name().equals(table)).extracting(MaintenanceFinding::toString).containsExactlyElementsOf(found.stream().map(Object::toString).toList());
            }

            MaintenanceResult second = new PartitionMaintenance(List.of(policy)).apply(connection, NOW);
            assertThat(second.isComplete()).as(second.findings().toString()).isTrue();
            List<TableName> retired = expiry == Expiry.DROP ? second.dropped() : second.archived();
            assertThat(retired).extracting(TableName::name).containsExactlyInAnyOrder(table + "_p202509", table + "_p202510");
            if (!withDefault) {
                assertThat(second.applied()).extracting(done -> done.action().description()).contains("finish retention of "
                        + detached + " [2025-09-01, 2025-10-01): " + (expiry == Expiry.DROP ? "drop" : "archive into public_archive")
                        + " (detached from public." + table + " by an interrupted run)");
            }
            assertThat(parent(connection, table, "TRUE")).as("the parent keeps exactly the rows not expired").isEqualTo(kept);
            if (expiry == Expiry.ARCHIVE) {
                assertThat(everywhere(connection, table, EXPIRED)).as("the archive holds exactly the expired rows").isEqualTo(expired);
                assertThat(count(connection, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname = 'public_archive' AND c.relname LIKE '" + table + "\\_p%' AND obj_description(c.oid, "
                        + "'pg_class') LIKE 'pgpartition retention: archived from \"public\".\"" + table + "\"; held [%'"))
                        .as("both archived, each saying where from").isEqualTo(2);
            } else {
                assertThat(everywhere(connection, table, "TRUE")).as("only the expired rows are gone").isEqualTo(kept);
            }
            assertFinished(connection, table, policy);
        }
    }

    @Test
    void aDetachToKeepKilledWhileItWaitsOnAReaderLeavesATableTheReportListsAsRetired(TestDatabase db) throws Exception {
        String table = "killed_detach";
        claims(db, table, false);
        try (Connection connection = db.connection()) {
            Figures all = everywhere(connection, table, "TRUE");
            killWhileItsDetachWaits(db, connection, table, Expiry.DETACH);
            assertThat(everywhere(connection, table, "TRUE")).as("no row lost by the kill").isEqualTo(all);
            assertThat(PartitionMaintenance.retired(connection)).as("the table the killed run detached says it was retired")
                    .filteredOn(r -> r.parent().name().equals(table))
                    .extracting(r -> r.table().name() + " " + r.state())
                    .containsExactly(table + "_p202509 DETACHED");
        }
    }

    @Test
    void aTerminatedBackendStopsTheRunWhichSaysWhatItDidAndWhatIsLeft(TestDatabase db) throws Exception {
        claims(db, "ended", false);
        MaintenancePolicy policy = MaintenancePolicy.range(TableName.of("ended"), monthly(3, "12 months", Expiry.DROP, false, "UTC"));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (Connection connection = db.connection(); Connection maintained = db.connection()) {
            Figures all = everywhere(connection, "ended", "TRUE");
            Figures kept = parent(connection, "ended", KEPT);
            MaintenanceResult result;
            try (Connection reader = reader(db, "ended")) {
                Future<MaintenanceResult> run = executor.submit(() -> new PartitionMaintenance(List.of(policy),
                        MaintenanceOptions.DEFAULTS.withLockTimeout(Duration.ofMinutes(1))).apply(maintained, NOW));
                int pid = awaitWaiting(connection, "%DETACH PARTITION%");
                count(connection, "SELECT count(*) FROM (SELECT pg_terminate_backend(" + pid + ")) x");
                result = run.get(60, TimeUnit.SECONDS);
                reader.rollback();
            }
            assertThat(result.created()).as("what was done before is listed").extracting(TableName::name)
                    .containsExactly("ended_p202701", "ended_p202702");
            assertThat(result.findings()).extracting(MaintenanceFinding::toString).containsExactly(
                    "[FAILED] Failed: detach and drop expired public.ended_p202509 [2025-09-01, 2025-10-01) (concurrently): FATAL: "
                            + "terminating connection due to administrator command (SQLSTATE 57P01). public.ended_p202509 may be "
                            + "left DETACH PENDING: its rows are not visible through public.ended, and no other partition of it "
                            + "can be detached concurrently until it is finished. The next run finishes the detach (FINALIZE) "
                            + "and drops it.",
                    "[FAILED] The run stopped: its connection was lost (FATAL: terminating connection due to administrator "
                            + "command, SQLSTATE 57P01) after 2 actions done. Not attempted: detach and drop expired "
                            + "public.ended_p202510 [2025-10-01, 2025-11-01) (concurrently). Fix: run maintenance again; it carries "
                            + "on from the state the database is in.");
            assertThat(everywhere(connection, "ended", "TRUE")).as("no row lost").isEqualTo(all);
            assertThat(new PartitionMaintenance(List.of(policy)).check(connection, NOW)).extracting(MaintenanceFinding::toString)
                    .containsExactly("[DETACH_PENDING] Partition public.ended_p202509 [2025-09-01, 2025-10-01) of public.ended is "
                            + "left DETACH PENDING by an interrupted concurrent detach: its rows are not visible through "
                            + "public.ended, and no other partition of it can be detached concurrently until it is finished. Fix: "
                            + "run maintenance, which finishes it, or ALTER TABLE \"public\".\"ended\" DETACH PARTITION "
                            + "\"public\".\"ended_p202509\" FINALIZE.");

            MaintenanceResult second = new PartitionMaintenance(List.of(policy)).apply(connection, NOW);
            assertThat(second.applied()).extracting(done -> done.action().description()).containsExactly(
                    "detach and drop expired public.ended_p202509 [2025-09-01, 2025-10-01) (finishing an interrupted concurrent detach)",
                    "detach and drop expired public.ended_p202510 [2025-10-01, 2025-11-01) (concurrently)");
            assertThat(second.findings()).as("the pending detach it finished is not reported").isEmpty();
            assertThat(everywhere(connection, "ended", "TRUE")).isEqualTo(kept);
            assertFinished(connection, "ended", policy);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aDetachThatGivesUpSaysItsPartitionIsPendingAndLeavesTheTablesOtherDetachesForLater(TestDatabase db) throws Exception {
        claims(db, "stuck", false);
        MaintenancePolicy policy = policy("stuck", Expiry.ARCHIVE);
        MaintenanceOptions options = MaintenanceOptions.DEFAULTS.withLockTimeout(Duration.ofMillis(200)).withAttempts(2)
                .withBackoff(Duration.ofMillis(20));
        try (Connection connection = db.connection()) {
            Figures all = everywhere(connection, "stuck", "TRUE");
            Figures expired = everywhere(connection, "stuck", EXPIRED);
            MaintenanceResult result;
            String session;
            try (Connection reader = db.connection()) {
                session = MaintenanceReliabilityTest.session(reader);
                reader.setAutoCommit(false);
                count(reader, "SELECT count(*) FROM stuck");
                String since = MaintenanceReliabilityTest.since(connection, session);
                result = new PartitionMaintenance(List.of(policy), options).apply(connection, NOW);
                reader.rollback();
                assertThat(result.findings()).extracting(MaintenanceFinding::toString).containsExactly(
                        "[GAVE_UP] Gave up: detach and archive into public_archive expired public.stuck_p202509 [2025-09-01, "
                                + "2025-10-01) (concurrently). Each of 2 attempts waited 200 ms for a lock (ERROR: canceling "
                                + "statement due to lock timeout); waiting on " + session + " (idle in transaction since " + since
                                + ": SELECT count(*) FROM stuck). public.stuck_p202509 is left DETACH PENDING: its rows are not "
                                + "visible through public.stuck, and no other partition of it can be detached concurrently until "
                                + "it is finished. The next run finishes the detach (FINALIZE) and archives it. Fix: end the long "
                                + "transaction and run maintenance again.",
                        "[GAVE_UP] Not attempted: detach and archive into public_archive expired public.stuck_p202510 "
                                + "[2025-10-01, 2025-11-01) (concurrently). PostgreSQL detaches one partition of public.stuck "
                                + "concurrently at a time, and the detach of public.stuck_p202509 did not finish (above). Fix: run "
                                + "maintenance again once it can; it finishes public.stuck_p202509 first, then these.");
            }
            assertThat(everywhere(connection, "stuck", "TRUE")).as("no row lost").isEqualTo(all);
            MaintenanceResult second = new PartitionMaintenance(List.of(policy), options).apply(connection, NOW);
            assertThat(second.archived()).extracting(TableName::name).containsExactly("stuck_p202509", "stuck_p202510");
            assertThat(everywhere(connection, "stuck", EXPIRED)).isEqualTo(expired);
            assertFinished(connection, "stuck", policy);
        }
    }

    @Test
    void whatFollowsTheDetachIsCheckedBeforeItStartsAndAsksForNoMoreThanItNeeds(TestDatabase db) throws Exception {
        claims(db, "owned", false);
        db.execute("CREATE ROLE keeper NOLOGIN", "ALTER TABLE owned OWNER TO keeper",
                "DO $$ DECLARE p regclass; BEGIN FOR p IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'owned'::regclass "
                        + "LOOP EXECUTE format('ALTER TABLE %s OWNER TO keeper', p); END LOOP; END $$",
                "GRANT USAGE ON SCHEMA public TO keeper");
        MaintenancePolicy policy = policy("owned", Expiry.ARCHIVE).withArchiveSchema("vault");
        try (Connection connection = db.connection()) {
            Figures all = everywhere(connection, "owned", "TRUE");
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET ROLE keeper");
            }
            MaintenanceResult missing = new PartitionMaintenance(List.of(policy)).apply(connection, NOW);
            String kept = " is kept: archiving it needs schema vault, which does not exist, and CREATE on the database to create "
                    + "it, and role keeper lacks it. Nothing was changed. Fix: CREATE SCHEMA \"vault\" AUTHORIZATION \"keeper\"; or "
                    + "archive into a schema the role may create in (--archive-schema).";
            assertThat(missing.applied()).isEmpty();
            assertThat(missing.findings()).extracting(MaintenanceFinding::toString).containsExactly(
                    "[PRIVILEGE_MISSING] Expired partition public.owned_p202509 [2025-09-01, 2025-10-01)" + kept,
                    "[PRIVILEGE_MISSING] Expired partition public.owned_p202510 [2025-10-01, 2025-11-01)" + kept);

            db.execute("CREATE SCHEMA vault", "GRANT CREATE ON SCHEMA vault TO keeper");
            MaintenanceResult denied = new PartitionMaintenance(List.of(policy)).apply(connection, NOW);
            assertThat(denied.applied()).isEmpty();
            assertThat(denied.findings()).extracting(MaintenanceFinding::toString).first().isEqualTo("[PRIVILEGE_MISSING] Expired "
                    + "partition public.owned_p202509 [2025-09-01, 2025-10-01) is kept: archiving it needs USAGE and CREATE on schema "
                    + "vault and role keeper lacks it. Nothing was changed. Fix: GRANT USAGE, CREATE ON SCHEMA \"vault\" TO \"keeper\"; "
                    + "or archive into a schema the role may create in (--archive-schema).");
            assertThat(everywhere(connection, "owned", "TRUE")).as("nothing moved").isEqualTo(all);
            assertThat(count(connection, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'owned'::regclass")).isEqualTo(16);

            db.execute("GRANT USAGE ON SCHEMA vault TO keeper");
            MaintenancePlan plan = new PartitionMaintenance(List.of(policy)).plan(connection, NOW);
            assertThat(plan.script()).as("the schema exists: no CREATE SCHEMA, which needs CREATE on the database")
                    .doesNotContain("CREATE SCHEMA");
            MaintenanceResult archived = new PartitionMaintenance(List.of(policy)).apply(connection, NOW);
            assertThat(archived.findings()).isEmpty();
            assertThat(archived.archived()).extracting(TableName::name).containsExactly("owned_p202509", "owned_p202510");
            assertThat(everywhere(connection, "owned", "TRUE")).isEqualTo(all);

            db.execute("ALTER TABLE owned DETACH PARTITION owned_p202511", "ALTER TABLE owned_p202511 OWNER TO CURRENT_USER",
                    "ALTER TABLE owned ATTACH PARTITION owned_p202511 FOR VALUES FROM ('2025-11-01') TO ('2025-12-01')");
            MaintenanceResult foreign = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("owned"),
                    monthly(1, "11 months", Expiry.DROP, false, "UTC")))).apply(connection, NOW);
            assertThat(foreign.findings()).extracting(MaintenanceFinding::toString).containsExactly("[PRIVILEGE_MISSING] Expired "
                    + "partition public.owned_p202511 [2025-11-01, 2025-12-01) is kept: dropping public.owned_p202511 needs its "
                    + "owner's privileges, and role keeper is not " + db.user() + " nor a member of it. Nothing was changed. Fix: "
                    + "GRANT \"" + db.user() + "\" TO \"keeper\"; or run maintenance as " + db.user() + ".");
            assertThat(count(connection, "SELECT count(*) FROM owned WHERE at >= '2025-11-01' AND at < '2025-12-01'"))
                    .as("still attached, whole").isEqualTo(30);
        }
    }
}
