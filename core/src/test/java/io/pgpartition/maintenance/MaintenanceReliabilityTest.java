package io.pgpartition.maintenance;

import io.pgpartition.annotations.Expiry;
import io.pgpartition.model.TableName;
import io.pgpartition.support.CountingConnection;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.pgpartition.maintenance.PartitionMaintenanceTest.NOW;
import static io.pgpartition.maintenance.PartitionMaintenanceTest.count;
import static io.pgpartition.maintenance.PartitionMaintenanceTest.monthly;
import static io.pgpartition.maintenance.PartitionMaintenanceTest.partitionNames;
import static org.assertj.core.api.Assertions.assertThat;

/** Maintenance beside other maintenance runs, long transactions and a steady stream of inserts. */
@PostgresTest
class MaintenanceReliabilityTest {

    private static final int PREMAKE = 11;

    @Test
    void twoConcurrentRunsCreateEachPartitionOnce(TestDatabase db) throws Exception {
        concurrentRuns(db, "two", 2);
    }

    @Test
    void fourConcurrentRunsCreateEachPartitionOnce(TestDatabase db) throws Exception {
        concurrentRuns(db, "four", 4);
    }

    /**
     * Another run commits its partitions after this run read the table's layout and before it asked which names are
     * taken: the names then belong to relations the layout did not show. The table is planned again under its lock,
     * so the partitions are neither created twice nor reported as strangers.
     */
    @Test
    void aRunCommittingBetweenThePlansReadsIsNotReportedAsNameTaken(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE raced (id bigint NOT NULL, at timestamp NOT NULL) PARTITION BY RANGE (at)");
        PartitionMaintenance maintenance = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("raced"),
                monthly(1, null, Expiry.DETACH, false, "UTC"))));
        try (Connection raw = db.connection(); Connection other = db.connection()) {
            CountingConnection connection = new CountingConnection(raw);
            AtomicReference<MaintenanceResult> otherRun = new AtomicReference<>();
            connection.onceBefore("AS w(schema_name, rel_name)\n    ON n.nspname", () -> otherRun.set(maintenance.apply(other, NOW)));

            MaintenanceResult result = maintenance.apply(connection.connection(), NOW);

            assertThat(otherRun.get()).as("the other run went in between").isNotNull();
            assertThat(otherRun.get().created()).as("the other run created both").extracting(TableName::name)
                    .containsExactly("raced_p202611", "raced_p202612");
            assertThat(result.findings()).as("no stale NAME_TAKEN").isEmpty();
            assertThat(result.applied()).as("nothing left to do").isEmpty();
            assertThat(partitionNames(raw, "raced")).containsExactly("raced_p202611", "raced_p202612");
        }
    }

    private static void concurrentRuns(TestDatabase db, String prefix, int runs) throws Exception {
        List<MaintenancePolicy> policies = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            db.execute("CREATE TABLE " + prefix + t + " (id bigint NOT NULL, at timestamp NOT NULL) PARTITION BY RANGE (at)");
            policies.add(MaintenancePolicy.range(TableName.of(prefix + t), monthly(PREMAKE, null, Expiry.DETACH, false, "UTC")));
        }
        CyclicBarrier start = new CyclicBarrier(runs);
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        try {
            List<Future<MaintenanceResult>> results = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                results.add(pool.submit(() -> {
                    try (Connection connection = db.connection()) {
                        start.await();
                        return new PartitionMaintenance(policies).apply(connection, NOW);
                    }
                }));
            }
            int created = 0;
            for (Future<MaintenanceResult> result : results) {
                MaintenanceResult done = result.get();
                assertThat(done.isComplete()).as("no run gave up or failed: " + done.findings()).isTrue();
                assertThat(done.findings()).as("no problem other than the short horizon each run saw first")
                        .allMatch(f -> f.kind() == MaintenanceFinding.Kind.HORIZON_SHORT);
                created += done.created().size();
            }
            assertThat(created).as("each partition created by exactly one run").isEqualTo(3 * (PREMAKE + 1));
            try (Connection connection = db.connection()) {
                for (int t = 0; t < 3; t++) {
                    assertThat(partitionNames(connection, prefix + t)).as(prefix + t).hasSize(PREMAKE + 1);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A long transaction that read the parent holds ACCESS SHARE on it and its partitions. Attaching needs only SHARE
     * UPDATE EXCLUSIVE on the parent, so maintenance goes through and inserts keep flowing; {@code CREATE TABLE ...
     * PARTITION OF} would have waited for the reader, and every insert behind it.
     */
    @Test
    void attachesBesideALongReaderWhileInsertsFlow(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE busy (id bigint NOT NULL, at timestamp NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE busy_p202611 PARTITION OF busy FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')");
        try (Connection reader = db.connection(); Connection connection = db.connection();
             Inserter inserts = new Inserter(db, "busy", LocalDateTime.of(2026, 11, 21, 0, 0))) {
            reader.setAutoCommit(false);
            count(reader, "SELECT count(*) FROM busy");
            long before = inserts.awaitMore(20);
            MaintenanceResult result = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("busy"),
                    monthly(3, null, Expiry.DETACH, false, "UTC")))).apply(connection, NOW);
            assertThat(result.created()).as("attached beside the reader").hasSize(3);
            assertThat(inserts.awaitMore(before + 20)).as("inserts went on").isGreaterThan(before);
            reader.rollback();
            assertThat(inserts.stop()).as("no insert failed").isZero();
            assertThat(count(connection, "SELECT count(*) FROM busy")).as("every insert stored").isEqualTo(inserts.done());
        }
    }

    /**
     * With a default partition, attaching must also lock the default partition exclusively; a long reader of it blocks
     * that. Maintenance waits at most its lock timeout per attempt, gives up, reports, and leaves nothing half made,
     * while inserts into the other partitions flow.
     */
    @Test
    void givesUpAfterItsLockTimeoutsAndReportsWhileInsertsFlow(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE blocked (id bigint NOT NULL, at timestamp NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE blocked_p202611 PARTITION OF blocked FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')",
                "CREATE TABLE blocked_default PARTITION OF blocked DEFAULT");
        MaintenanceOptions options = MaintenanceOptions.DEFAULTS.withLockTimeout(Duration.ofMillis(200)).withAttempts(3)
                .withBackoff(Duration.ofMillis(50));
        try (Connection reader = db.connection(); Connection connection = db.connection();
             Inserter inserts = new Inserter(db, "blocked", LocalDateTime.of(2026, 11, 21, 0, 0))) {
            String waitingOn = session(reader);
            reader.setAutoCommit(false);
            count(reader, "SELECT count(*) FROM blocked");
            String since = since(connection, waitingOn);
            long started = System.nanoTime();
            MaintenanceResult result = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("blocked"),
                    monthly(1, null, Expiry.DETACH, false, "UTC"))), options).apply(connection, NOW);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(result.created()).as("nothing created").isEmpty();
            assertThat(result.findings(MaintenanceFinding.Kind.GAVE_UP)).extracting(MaintenanceFinding::message).containsExactly(
                    "Gave up: create public.blocked_p202612 for [2026-12-01T00:00, 2027-01-01T00:00), moving its rows out of "
                            + "blocked_default. Each of 3 attempts waited 200 ms for a lock (ERROR: canceling statement due to lock "
                            + "timeout); waiting on " + waitingOn + " (idle in transaction since " + since
                            + ": SELECT count(*) FROM blocked). Nothing of it was changed. Fix: end the long transaction and run "
                            + "maintenance again.");
            assertThat(took).as("three lock timeouts and two pauses, not an open-ended wait").isLessThan(Duration.ofSeconds(5));
            assertThat(count(connection, "SELECT count(*) FROM pg_class WHERE relname = 'blocked_p202612'"))
                    .as("no half-made partition").isZero();
            long during = inserts.awaitMore(10);
            reader.rollback();
            assertThat(during).as("inserts flowed").isPositive();
            assertThat(inserts.stop()).as("no insert failed").isZero();
            MaintenanceResult retried = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("blocked"),
                    monthly(1, null, Expiry.DETACH, false, "UTC"))), options).apply(connection, NOW);
            assertThat(retried.created()).as("done once the reader is gone").extracting(TableName::name).containsExactly("blocked_p202612");
        }
    }

    /**
     * Without a default partition, creations share a transaction; when one of them cannot get its lock, none of them
     * is kept, and each is reported.
     */
    @Test
    void creationsThatShareATransactionGiveUpTogether(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE grouped (id bigint NOT NULL, at timestamp NOT NULL) PARTITION BY RANGE (at)");
        MaintenanceOptions options = MaintenanceOptions.DEFAULTS.withLockTimeout(Duration.ofMillis(200)).withAttempts(2)
                .withBackoff(Duration.ofMillis(50));
        try (Connection holder = db.connection(); Connection connection = db.connection()) {
            String holding = session(holder);
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("LOCK TABLE grouped IN SHARE UPDATE EXCLUSIVE MODE");
            }
            String since = since(connection, holding);
            MaintenanceResult result = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("grouped"),
                    monthly(2, null, Expiry.DETACH, false, "UTC"))), options).apply(connection, NOW);
            holder.rollback();
            assertThat(result.created()).as("nothing created").isEmpty();
            String waited = "Each of 2 attempts waited 200 ms for a lock (ERROR: canceling statement due to lock timeout); waiting on "
                    + holding + " (idle in transaction since " + since + ": LOCK TABLE grouped IN SHARE UPDATE "
                    + "EXCLUSIVE MODE). Nothing of it was changed. It ran in one transaction with 2 other partition creations of "
                    + "public.grouped, none of which was kept. Fix: end the long transaction and run maintenance again.";
            assertThat(result.findings(MaintenanceFinding.Kind.GAVE_UP)).extracting(MaintenanceFinding::message).containsExactly(
                    "Gave up: create public.grouped_p202611 for [2026-11-01T00:00, 2026-12-01T00:00). " + waited,
                    "Gave up: create public.grouped_p202612 for [2026-12-01T00:00, 2027-01-01T00:00). " + waited,
                    "Gave up: create public.grouped_p202701 for [2027-01-01T00:00, 2027-02-01T00:00). " + waited);
            assertThat(count(connection, "SELECT count(*) FROM pg_class WHERE relname LIKE 'grouped\\_p%'"))
                    .as("no table of the transaction is left").isZero();
            MaintenanceResult retried = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("grouped"),
                    monthly(2, null, Expiry.DETACH, false, "UTC"))), options).apply(connection, NOW);
            assertThat(retried.created()).as("all three once the lock is free").extracting(TableName::name)
                    .containsExactly("grouped_p202611", "grouped_p202612", "grouped_p202701");
            assertThat(retried.applied()).as("one transaction, one attempt").extracting(MaintenanceResult.Applied::attempts)
                    .containsOnly(1);
        }
    }

    @Test
    void insertsDuringMaintenanceNeverFail(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE streamed (id bigint NOT NULL, at timestamp NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE streamed_default PARTITION OF streamed DEFAULT",
                "CREATE TABLE streamed_p202611 PARTITION OF streamed FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')");
        try (Connection connection = db.connection();
             Inserter current = new Inserter(db, "streamed", LocalDateTime.of(2026, 11, 21, 0, 0));
             Inserter ahead = new Inserter(db, "streamed", LocalDateTime.of(2027, 3, 15, 0, 0))) {
            current.awaitMore(20);
            ahead.awaitMore(20);
            MaintenanceResult result = new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of("streamed"),
                    monthly(PREMAKE, null, Expiry.DETACH, false, "UTC")))).apply(connection, NOW);
            assertThat(result.isComplete()).as("complete: " + result.findings()).isTrue();
            assertThat(result.created()).hasSize(PREMAKE);
            assertThat(result.rowsMoved()).as("March rows moved out of the default").isPositive();
            current.awaitMore(current.done() + 20);
            ahead.awaitMore(ahead.done() + 20);
            assertThat(current.stop() + ahead.stop()).as("failed inserts").isZero();
            assertThat(count(connection, "SELECT count(*) FROM streamed")).as("rows before and after")
                    .isEqualTo(current.done() + ahead.done());
            assertThat(count(connection, "SELECT count(*) FROM streamed_default")).as("March rows inserted before its partition "
                    + "was attached were moved; later ones went straight to it").isZero();
        }
    }

    /** Inserts rows one by one on its own connection until stopped, counting successes and failures. */
    private static final class Inserter implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong done = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        private final Thread thread;

        Inserter(TestDatabase db, String table, LocalDateTime at) {
            thread = new Thread(() -> {
                try (Connection connection = db.connection();
                     PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (id, at) VALUES (?, ?)")) {
                    long id = at.hashCode() & 0xffffL;
                    while (running.get()) {
                        try {
                            insert.setLong(1, id++);
                            insert.setTimestamp(2, Timestamp.valueOf(at.plusSeconds(id % 3600)));
                            insert.executeUpdate();
                            done.incrementAndGet();
                        } catch (SQLException e) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, e);
                        }
                    }
                } catch (SQLException e) {
                    firstFailure.compareAndSet(null, e);
                    failed.incrementAndGet();
                }
            }, "inserter-" + table);
            thread.start();
        }

        /** Waits until at least {@code rows} inserts succeeded (at most 10 s); returns the count. */
        long awaitMore(long rows) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (done.get() < rows && System.nanoTime() < deadline && failed.get() == 0) {
                Thread.sleep(5);
            }
            return done.get();
        }

        long done() {
            return done.get();
        }

        /** Stops and returns the number of failed inserts. */
        long stop() throws InterruptedException {
            running.set(false);
            thread.join();
            if (firstFailure.get() != null) {
                firstFailure.get().printStackTrace();
            }
            return failed.get();
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    /** How a maintenance message names the session of {@code connection}: {@code pid 4711}. */
    static String session(Connection connection) throws SQLException {
        return "pid " + count(connection, "SELECT pg_backend_pid()");
    }

    /** When the transaction of a session named by {@link #session} started, as maintenance messages show it. */
    static String since(Connection connection, String session) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT date_trunc('second', xact_start)::text FROM pg_stat_activity WHERE pid = ?")) {
            statement.setInt(1, Integer.parseInt(session.substring("pid ".length())));
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
