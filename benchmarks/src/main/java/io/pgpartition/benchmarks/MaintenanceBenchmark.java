package io.pgpartition.benchmarks;

import io.pgpartition.annotations.Expiry;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.maintenance.MaintenanceResult;
import io.pgpartition.maintenance.PartitionMaintenance;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.policy.PartitionInterval;
import io.pgpartition.policy.RangePolicy;

import javax.sql.DataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Maintenance against pg_partman on the same server: premake of 120 monthly partitions (pgpartition vs pg_partman's
 * {@code create_parent} vs a plain loop of {@code CREATE TABLE ... PARTITION OF}), a maintenance run with nothing to
 * do over 100 tables (pgpartition vs {@code run_maintenance()}), and insert latency with and without maintenance
 * running beside the inserts. The pg_partman cases need the extension on the server (Debian: postgresql-15-partman);
 * without it they are left out and the reason printed.
 */
final class MaintenanceBenchmark {

    static final String NAME = "maintenance";
    private static final int PREMAKE_PARTITIONS = 120;
    private static final int ROUNDS = 5;
    private static final int PREMAKE_WARMUP = 3;
    private static final int PREMAKE_ROUNDS = 15;
    private static final int TABLES = 100;
    private static final int INSERTS = 20_000;
    private static final LocalDate START = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);

    private MaintenanceBenchmark() {
    }

    static List<Measurement> run(Connection connection, DataSource dataSource) throws Exception {
        boolean partman = partman(connection);
        List<Measurement> results = new ArrayList<>();
        results.addAll(premake(connection, partman));
        if (partman) {
            results.addAll(noOp(connection));
        }
        results.addAll(insertLatency(connection, dataSource));
        return results;
    }

    private static boolean partman(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS partman");
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman");
            return true;
        } catch (SQLException e) {
            System.err.println("maintenance: pg_partman is not installed on this server (" + e.getMessage().trim()
                    + "); its cases are left out. Pass --url to a server with it, see benchmarks/README.md.");
            return false;
        }
    }

    /**
     * 120 monthly partitions and a default partition on a fresh table, each way; the order of the ways rotates from
     * round to round, so that none always runs right after another's cleanup.
     */
    private static List<Measurement> premake(Connection connection, boolean partman) throws Exception {
        List<PremakeCase> cases = new ArrayList<>();
        if (partman) {
            cases.add(new PremakeCase("premake 120 monthly + default: pg_partman create_parent (baseline)", "bench_premake_partman", () -> {
                execute(connection, "SELECT partman.create_parent('bench_premake_partman.events', 'created_at', 'native', "
                        + "'1 month', p_premake := " + (PREMAKE_PARTITIONS - 1) + ", p_start_partition := '" + START + "')");
                requirePartitions(connection, "bench_premake_partman.events", PREMAKE_PARTITIONS + 1);
            }));
        }
        cases.add(new PremakeCase("premake 120 monthly + default: pgpartition apply", "bench_premake_library", () -> {
            PartitionMaintenance maintenance = new PartitionMaintenance(List.of(MaintenancePolicy.range(
                    TableName.of("bench_premake_library", "events"), monthly(PREMAKE_PARTITIONS - 1, true))));
            MaintenanceResult result = maintenance.apply(connection, START.atStartOfDay(ZoneOffset.UTC).toInstant());
            if (result.created().size() != PREMAKE_PARTITIONS + 1 || !result.isComplete()) {
                throw new IllegalStateException("pgpartition created " + result.created().size() + ": " + result.findings());
            }
        }));
        cases.add(new PremakeCase("premake 120 monthly + default: plain CREATE TABLE ... PARTITION OF loop", "bench_premake_loop", () ->
                execute(connection, "DO $$ BEGIN FOR m IN 0.." + (PREMAKE_PARTITIONS - 1) + " LOOP EXECUTE format("
                        + "'CREATE TABLE bench_premake_loop.events_p%s PARTITION OF bench_premake_loop.events FOR VALUES FROM (%L) TO (%L)', "
                        + "m, date '" + START + "' + make_interval(months => m), date '" + START + "' + make_interval(months => m + 1)); "
                        + "END LOOP; CREATE TABLE bench_premake_loop.events_default PARTITION OF bench_premake_loop.events DEFAULT; END $$")));
        double[][] millis = new double[cases.size()][PREMAKE_ROUNDS];
        for (int round = -PREMAKE_WARMUP; round < PREMAKE_ROUNDS; round++) {
            for (int turn = 0; turn < cases.size(); turn++) {
                int which = Math.floorMod(round + turn, cases.size());
                PremakeCase premake = cases.get(which);
                reset(connection, premake.schema(), "events");
                long start = System.nanoTime();
                premake.run().run();
                long took = System.nanoTime() - start;
                if (round >= 0) {
                    millis[which][round] = took / 1e6;
                }
            }
        }
        List<Measurement> results = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            results.add(new Measurement(NAME, cases.get(i).name(), millis[i]));
        }
        return results;
    }

    @FunctionalInterface
    private interface SqlWork {
        void run() throws SQLException;
    }

    /** One way to premake: its case name, the schema its table lives in, and the timed work. */
    private record PremakeCase(String name, String schema, SqlWork run) {
    }

    /** 100 tables maintained by each tool, all partitions in place: what a run with nothing to do costs. */
    private static List<Measurement> noOp(Connection connection) throws Exception {
        execute(connection, "DELETE FROM partman.part_config WHERE parent_table LIKE 'bench_noop_partman.%'");
        execute(connection, "DROP SCHEMA IF EXISTS bench_noop_partman CASCADE");
        execute(connection, "DROP SCHEMA IF EXISTS bench_noop_library CASCADE");
        execute(connection, "CREATE SCHEMA bench_noop_partman");
        execute(connection, "CREATE SCHEMA bench_noop_library");
        List<MaintenancePolicy> policies = new ArrayList<>();
        for (int t = 0; t < TABLES; t++) {
            execute(connection, "CREATE TABLE bench_noop_partman.t" + t + " (id bigint NOT NULL, created_at timestamptz NOT NULL) "
                    + "PARTITION BY RANGE (created_at)");
            execute(connection, "SELECT partman.create_parent('bench_noop_partman.t" + t + "', 'created_at', 'native', '1 month', "
                    + "p_premake := 4, p_start_partition := '" + START + "')");
            execute(connection, "CREATE TABLE bench_noop_library.t" + t + " (id bigint NOT NULL, created_at timestamptz NOT NULL) "
                    + "PARTITION BY RANGE (created_at)");
            policies.add(MaintenancePolicy.range(TableName.of("bench_noop_library", "t" + t), monthly(4, true)));
        }
        PartitionMaintenance maintenance = new PartitionMaintenance(policies);
        Instant now = Instant.now();
        if (maintenance.apply(connection, now).created().size() != TABLES * 6) {
            throw new IllegalStateException("setup of the no-op benchmark did not create every partition");
        }
        execute(connection, "SELECT partman.run_maintenance()");
        double[] partmanMillis = new double[ROUNDS * 2];
        double[] libraryMillis = new double[ROUNDS * 2];
        for (int round = -2; round < ROUNDS * 2; round++) {
            long start = System.nanoTime();
            execute(connection, "SELECT partman.run_maintenance()");
            long took = System.nanoTime() - start;
            if (round >= 0) {
                partmanMillis[round] = took / 1e6;
            }
            start = System.nanoTime();
            MaintenanceResult result = maintenance.apply(connection, now);
            took = System.nanoTime() - start;
            if (!result.applied().isEmpty()) {
                throw new IllegalStateException("not a no-op: " + result.applied());
            }
            if (round >= 0) {
                libraryMillis[round] = took / 1e6;
            }
        }
        return List.of(new Measurement(NAME, "no-op run over 100 tables: pg_partman run_maintenance() (baseline)", partmanMillis),
                new Measurement(NAME, "no-op run over 100 tables: pgpartition apply", libraryMillis));
    }

    /**
     * Single-row inserts through the parent, timed one by one: alone, while another connection runs maintenance on
     * the same table without pause (each run as if a month had passed: it attaches the month now entering the premake
     * horizon and detaches and drops the one leaving retention; inserts go to the current month), and while another
     * connection only plans. Where the server runs on this machine, alone and beside maintenance are measured again with
     * the inserting thread and its backend alone on CPU 0 and everything else (other threads, the server's other
     * processes, maintenance) on the other CPUs: what is left then is what maintenance's locks and DDL cost the
     * inserts, without the share of CPU time it takes from them.
     * The cases alternate in blocks of {@value #BLOCK_INSERTS} inserts, order reversed every other turn, so that
     * background work of the server (checkpoints, autovacuum) falls on all of them alike.
     */
    private static List<Measurement> insertLatency(Connection connection, DataSource dataSource) throws Exception {
        reset(connection, "bench_latency", "events");
        AtomicReference<LocalDate> month = new AtomicReference<>(START);
        RangePolicy policy = new RangePolicy(PartitionInterval.parse("1 month", "benchmark", "interval"), 3,
                Optional.of(PartitionInterval.parse("12 months", "benchmark", "retention")), Expiry.DROP,
                NamingPattern.parse("{table}_p{yyyy}{MM}", "benchmark", "naming"), false, ZoneId.of("UTC"));
        RangePolicy kept = new RangePolicy(policy.interval(), policy.premake(), Optional.empty(), Expiry.DROP, policy.naming(),
                false, policy.zone());
        PartitionMaintenance maintenance = new PartitionMaintenance(List.of(MaintenancePolicy.range(
                TableName.of("bench_latency", "events"), kept).withGapsFilled(true)));
        maintenance.apply(connection, START.minusMonths(12).atStartOfDay(ZoneOffset.UTC).toInstant());
        maintenance.apply(connection, START.atStartOfDay(ZoneOffset.UTC).toInstant());
        PartitionMaintenance churn = new PartitionMaintenance(List.of(MaintenancePolicy.range(
                TableName.of("bench_latency", "events"), policy)));
        SideWork maintain = own -> maintain(churn, own, month);
        SideWork plan = own -> maintenance.plan(own, month.get().atStartOfDay(ZoneOffset.UTC).toInstant());

        List<LatencyCase> cases = new ArrayList<>(List.of(
                new LatencyCase("single-row insert latency: no maintenance (baseline)", false, null),
                new LatencyCase("single-row insert latency: maintenance running beside", false, maintain),
                new LatencyCase("single-row insert latency: read-only planning beside (CPU share only, no DDL)", false, plan)));
        if (CpuPinning.available()) {
            cases.add(new LatencyCase("single-row insert latency, inserts alone on CPU 0: no maintenance (baseline)", true, null));
            cases.add(new LatencyCase("single-row insert latency, inserts alone on CPU 0: maintenance running beside", true, maintain));
        } else {
            System.err.println("maintenance: isolated latency cases left out: they need Linux, taskset and two CPUs");
        }
        try {
            return alternateBlocks(dataSource, month, cases);
        } catch (CpuPinning.PinningFailed e) {
            System.err.println("maintenance: isolated latency cases left out: " + e.getMessage());
            return alternateBlocks(dataSource, month, cases.stream().filter(c -> !c.isolated()).toList());
        }
    }

    private static final int BLOCK_INSERTS = 1_000;
    private static final int BLOCK_WARMUP = 200;

    /**
     * One way of measuring insert latency: {@code work} repeated beside the inserts (none when null); when isolated,
     * the inserting thread and its backend have CPU 0 to themselves (see {@link CpuPinning#isolate}).
     */
    private record LatencyCase(String name, boolean isolated, SideWork work) {
    }

    /** Work repeated on its own connection beside the inserts. */
    private interface SideWork {
        void runOnce(Connection own) throws SQLException;
    }

    private static List<Measurement> alternateBlocks(DataSource dataSource, AtomicReference<LocalDate> month,
                                                     List<LatencyCase> cases) throws Exception {
        int blocks = INSERTS / BLOCK_INSERTS;
        double[][] millis = new double[cases.size()][INSERTS];
        int[] runs = new int[cases.size()];
        block(dataSource, month, new LatencyCase("warm-up", false, null), new double[BLOCK_INSERTS], 0);
        for (int block = 0; block < blocks; block++) {
            for (int turn = 0; turn < cases.size(); turn++) {
                int c = (block & 1) == 0 ? turn : cases.size() - 1 - turn;
                runs[c] += block(dataSource, month, cases.get(c), millis[c], block * BLOCK_INSERTS);
            }
        }
        List<Measurement> results = new ArrayList<>();
        for (int c = 0; c < cases.size(); c++) {
            if (cases.get(c).work() != null) {
                System.err.println("maintenance: " + runs[c] + " runs beside " + INSERTS + " inserts (" + cases.get(c).name() + ")");
            }
            results.add(new Measurement(NAME, cases.get(c).name(), millis[c]));
        }
        return results;
    }

    /**
     * One block of inserts for one case, timings written to {@code into} from {@code offset}; returns how many times
     * the work beside ran.
     */
    private static int block(DataSource dataSource, AtomicReference<LocalDate> month, LatencyCase latencyCase, double[] into,
                             int offset) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread side = latencyCase.work() == null ? null : new Thread(() -> {
            try (Connection own = dataSource.getConnection()) {
                while (running.get()) {
                    latencyCase.work().runOnce(own);
                    runs.incrementAndGet();
                }
            } catch (SQLException | RuntimeException e) {
                failure.set(e);
            }
        }, "beside-inserts");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO bench_latency.events (id, created_at) VALUES (?, ?)")) {
            if (side != null) {
                side.start();
            }
            try (CpuPinning.Isolation isolation = latencyCase.isolated() ? CpuPinning.isolate(connection, 0) : () -> { }) {
                inserts(insert, month, into, offset, BLOCK_WARMUP);
            } finally {
                running.set(false);
                if (side != null) {
                    side.join();
                }
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("The work beside the inserts failed: " + failure.get().getMessage(), failure.get());
        }
        return runs.get();
    }

    /** One maintenance run as if a month had passed. */
    private static void maintain(PartitionMaintenance churn, Connection own, AtomicReference<LocalDate> month) throws SQLException {
        LocalDate next = month.get().plusMonths(1);
        MaintenanceResult result = churn.apply(own, next.atStartOfDay(ZoneOffset.UTC).toInstant());
        if (!result.isComplete()) {
            throw new IllegalStateException(result.findings().toString());
        }
        month.set(next);
    }

    /** {@value #BLOCK_INSERTS} timed single-row inserts after {@code warmup} untimed ones, timings written to {@code into} from {@code offset}. */
    private static void inserts(PreparedStatement insert, AtomicReference<LocalDate> month, double[] into, int offset, int warmup)
            throws SQLException {
        for (int i = -warmup; i < BLOCK_INSERTS; i++) {
            insert.setLong(1, offset + i);
            insert.setTimestamp(2, Timestamp.valueOf(month.get().atStartOfDay().plusSeconds((offset + i) & 0xfff)));
            long start = System.nanoTime();
            insert.executeUpdate();
            if (i >= 0) {
                into[offset + i] = (System.nanoTime() - start) / 1e6;
            }
        }
    }

    private static RangePolicy monthly(int premake, boolean defaultPartition) {
        return new RangePolicy(PartitionInterval.parse("1 month", "benchmark", "interval"), premake, Optional.empty(),
                Expiry.DETACH, NamingPattern.parse("{table}_p{yyyy}{MM}", "benchmark", "naming"), defaultPartition, ZoneId.of("UTC"));
    }

    private static void reset(Connection connection, String schema, String table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
            statement.execute("CREATE TABLE " + schema + "." + table + " (id bigint NOT NULL, created_at timestamp NOT NULL) "
                    + "PARTITION BY RANGE (created_at)");
            try {
                statement.execute("DELETE FROM partman.part_config WHERE parent_table = '" + schema + "." + table + "'");
            } catch (SQLException noPartman) {
                // pg_partman is not installed: nothing to forget
            }
        }
    }

    private static void requirePartitions(Connection connection, String table, int expected) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_inherits WHERE inhparent = '" + table + "'::regclass")) {
            rs.next();
            if (rs.getInt(1) != expected) {
                throw new IllegalStateException(table + " has " + rs.getInt(1) + " partitions, expected " + expected
                        + " (premake and default): the cases would not compare the same work");
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
