package io.pgpartition.reshape;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.conversion.ConversionProgress;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.conversion.TableConversionTest.Writers;
import io.pgpartition.model.TableName;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.pgpartition.conversion.TableConversionTest.contents;
import static io.pgpartition.conversion.TableConversionTest.count;
import static io.pgpartition.reshape.PartitionReshapeTest.leftovers;
import static io.pgpartition.reshape.PartitionReshapeTest.monthly;
import static io.pgpartition.reshape.PartitionReshapeTest.partitions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A reshape stopped anywhere — its connection killed, its swap locked out — resumes or rolls back, losing nothing. */
@PostgresTest
class ReshapeFaultTest {

    /** Runs the reshape on a connection that is terminated once the copy has recorded a batch; returns the phase left. */
    private static ReshapeStatus.Phase killDuringCopy(TestDatabase db, ReshapeSpec spec) throws Exception {
        try (Connection victim = db.connection(); Connection killer = db.connection()) {
            long pid = count(victim, "SELECT pg_backend_pid()");
            CompletableFuture<Void> kill = CompletableFuture.runAsync(() -> {
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (System.nanoTime() < deadline) {
                        if (count(killer, "SELECT count(*) FROM pg_class WHERE relname = 'pgpartition_reshapes'") > 0
                                && count(killer, "SELECT count(*) FROM pgpartition_reshapes WHERE rows_copied > 0") > 0) {
                            count(killer, "SELECT count(*) FROM (SELECT pg_terminate_backend(" + pid + ")) t");
                            return;
                        }
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThatThrownBy(() -> new PartitionReshape(spec).run(victim, ConversionProgress.NONE))
                    .as("the run dies with its connection").isInstanceOf(PartitioningException.class);
            kill.get(60, TimeUnit.SECONDS);
        }
        try (Connection connection = db.connection()) {
            return PartitionReshape.status(connection, spec.table()).phase();
        }
    }

    @Test
    void aRunKilledDuringTheCopyResumesWhereItStoppedAndLosesNothing(TestDatabase db) throws Exception {
        Map<Long, String> initial = monthly(db, "killed", 20_000, 6);
        ReshapeSpec spec = ReshapeSpec.split(TableName.of("killed"), TableName.of("killed_p202402"), "1 day").withBatchSize(200)
                .withPause(Duration.ofMillis(20));
        Writers writers;
        try (Writers running = new Writers(db, "killed", initial, 2)) {
            writers = running;
            running.awaitMore(100);
            assertThat(killDuringCopy(db, spec)).as("stopped while copying").isEqualTo(ReshapeStatus.Phase.COPYING);
            try (Connection connection = db.connection()) {
                long copied = count(connection, "SELECT rows_copied FROM pgpartition_reshapes");
                List<String> steps = new java.util.ArrayList<>();
                ReshapeStatus done = new PartitionReshape(spec.withPause(Duration.ZERO)).run(connection, new ConversionProgress() {
                    @Override
                    public void step(String line) {
                        steps.add(line);
                    }
                });
                assertThat(done.phase()).isEqualTo(ReshapeStatus.Phase.SWAPPED);
                assertThat(steps.get(0)).as("it resumed, not restarted").startsWith("resuming: public.killed: split public.killed_p202402 "
                        + "into 29 partitions of 1 day — copying, " + copied + " of ");
            }
            running.awaitMore(running.writes.get() + 200);
        }
        try (Connection connection = db.connection()) {
            assertThat(writers.errors.get()).as("writers saw no error: " + writers.firstErrors).isZero();
            assertThat(contents(connection, "killed")).as("exactly what the writers left").isEqualTo(new TreeMap<>(writers.expected));
            PartitionReshape.cleanup(connection, TableName.of("killed"), ConversionSpec.DEFAULT_OPTIONS, ConversionProgress.NONE);
            assertThat(leftovers(connection)).isEmpty();
        }
    }

    @Test
    void aRunKilledDuringTheCopyRollsBackToNothing(TestDatabase db) throws Exception {
        Map<Long, String> initial = monthly(db, "undone", 20_000, 6);
        ReshapeSpec spec = ReshapeSpec.merge(TableName.of("undone"), List.of(TableName.of("undone_p202404"), TableName.of("undone_p202405")))
                .withBatchSize(200).withPause(Duration.ofMillis(20));
        List<String> before;
        try (Connection connection = db.connection()) {
            before = partitions(connection, "undone");
        }
        Writers writers;
        try (Writers running = new Writers(db, "undone", initial, 2)) {
            writers = running;
            running.awaitMore(100);
            assertThat(killDuringCopy(db, spec)).isEqualTo(ReshapeStatus.Phase.COPYING);
            try (Connection connection = db.connection()) {
                assertThat(PartitionReshape.rollback(connection, TableName.of("undone"), ConversionSpec.DEFAULT_OPTIONS,
                        ConversionProgress.NONE).phase()).isEqualTo(ReshapeStatus.Phase.NONE);
            }
            running.awaitMore(running.writes.get() + 200);
        }
        try (Connection connection = db.connection()) {
            assertThat(writers.errors.get()).as("writers saw no error: " + writers.firstErrors).isZero();
            assertThat(partitions(connection, "undone")).isEqualTo(before);
            assertThat(leftovers(connection)).as("no trigger, log, CHECK or new table left").isEmpty();
            assertThat(contents(connection, "undone")).isEqualTo(new TreeMap<>(writers.expected));
        }
    }

    @Test
    void aSwapLockedOutByALongReaderGivesUpKeepsEverythingAndResumesAtTheSwap(TestDatabase db) throws Exception {
        monthly(db, "blocked", 5_000, 6);
        ReshapeSpec spec = ReshapeSpec.split(TableName.of("blocked"), TableName.of("blocked_p202401"), "1 day")
                .withOptions(ConversionSpec.DEFAULT_OPTIONS.withLockTimeout(Duration.ofMillis(100)).withAttempts(2)
                        .withBackoff(Duration.ofMillis(20)));
        try (Connection reader = db.connection(); Connection connection = db.connection()) {
            reader.setAutoCommit(false);
            count(reader, "SELECT count(*) FROM blocked_p202401");
            assertThatThrownBy(() -> new PartitionReshape(spec).run(connection, ConversionProgress.NONE))
                    .isInstanceOfSatisfying(PartitioningException.class, e -> assertThat(e.getCode()).isEqualTo(ErrorCode.RESHAPE_FAILED))
                    .hasMessage("The swap of public.blocked could not take its lock within the lock timeout of 100 ms in 2 attempts: a "
                            + "long transaction holds public.blocked (see pg_stat_activity); each attempt stalled the writers of "
                            + "public.blocked for up to the lock timeout. Nothing was swapped; the new partitions are kept and kept in "
                            + "sync. Fix: run the reshape again once that transaction has ended (it resumes at the swap), or give a "
                            + "longer --lock-timeout if writers can wait that long.");
            assertThat(PartitionReshape.status(connection, TableName.of("blocked")).phase()).isEqualTo(ReshapeStatus.Phase.VERIFIED);
            execute(connection, "INSERT INTO blocked VALUES (900001, '2024-01-15 10:00', 'written while the swap waited')");
            reader.rollback();
            assertThat(new PartitionReshape(spec).run(connection, ConversionProgress.NONE).phase()).isEqualTo(ReshapeStatus.Phase.SWAPPED);
            assertThat(count(connection, "SELECT count(*) FROM blocked_p20240115 WHERE id = 900001"))
                    .as("the write made between the two runs is in its day").isEqualTo(1);
            PartitionReshape.cleanup(connection, TableName.of("blocked"), ConversionSpec.DEFAULT_OPTIONS, ConversionProgress.NONE);
        }
    }

    @Test
    void aPrepareLockedOutByAReaderOfTheDefaultPartitionChangesNothing(TestDatabase db) throws Exception {
        monthly(db, "waiting", 1_000, 6);
        ReshapeSpec spec = ReshapeSpec.split(TableName.of("waiting"), TableName.of("waiting_p202401"), "1 day")
                .withOptions(ConversionSpec.DEFAULT_OPTIONS.withLockTimeout(Duration.ofMillis(100)).withAttempts(2)
                        .withBackoff(Duration.ofMillis(20)));
        try (Connection reader = db.connection(); Connection connection = db.connection()) {
            reader.setAutoCommit(false);
            count(reader, "SELECT count(*) FROM waiting");
            assertThatThrownBy(() -> new PartitionReshape(spec).run(connection, ConversionProgress.NONE))
                    .isInstanceOfSatisfying(PartitioningException.class, e -> assertThat(e.getCode()).isEqualTo(ErrorCode.RESHAPE_FAILED))
                    .hasMessage("Preparing the reshape of public.waiting (its new tables, the change log) could not take its lock within "
                            + "the lock timeout of 100 ms in 2 attempts: a long transaction holds a lock there (see pg_stat_activity). "
                            + "Nothing was changed. Fix: run the reshape again once that transaction has ended (it resumes there), or "
                            + "give a longer --lock-timeout if writers can wait that long.");
            reader.rollback();
            assertThat(leftovers(connection)).isEmpty();
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
