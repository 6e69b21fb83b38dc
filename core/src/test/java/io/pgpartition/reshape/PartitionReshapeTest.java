package io.pgpartition.reshape;

import io.pgpartition.conversion.ConversionProgress;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.conversion.TableConversionTest.Writers;
import io.pgpartition.model.TableName;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.pgpartition.conversion.TableConversionTest.contents;
import static io.pgpartition.conversion.TableConversionTest.count;
import static io.pgpartition.conversion.TableConversionTest.strings;
import static org.assertj.core.api.Assertions.assertThat;

/** Splitting, merging and draining partitions against a real PostgreSQL, with writers that never stop. */
@PostgresTest
class PartitionReshapeTest {

    /**
     * {@code table(id, at, body)} partitioned by month from January to June 2024 ({@code <table>_p202401} ...), primary
     * key {@code (id, at)}, with a default partition, holding {@code rows} rows.
     */
    static Map<Long, String> monthly(TestDatabase db, String table, int rows, int months) throws Exception {
        List<String> ddl = new ArrayList<>();
        ddl.add("CREATE TABLE " + table + " (id bigint NOT NULL, at timestamp NOT NULL, body text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)");
        ddl.add("CREATE INDEX " + table + "_at ON " + table + " (at)");
        for (int m = 1; m <= months; m++) {
            ddl.add(String.format("CREATE TABLE %s_p2024%02d PARTITION OF %s FOR VALUES FROM ('2024-%02d-01') TO ('%s')", table, m, table, m,
                    m == 12 ? "2025-01-01" : String.format("2024-%02d-01", m + 1)));
        }
        ddl.add("CREATE TABLE " + table + "_default PARTITION OF " + table + " DEFAULT");
        ddl.add("INSERT INTO " + table + " SELECT g, timestamp '2024-01-01' + (g % 180) * interval '1 day' + (g % 24) * interval '1 hour', "
                + "'row ' || g FROM generate_series(1, " + rows + ") g");
        db.execute(ddl.toArray(String[]::new));
        try (Connection connection = db.connection()) {
            return contents(connection, table);
        }
    }

    static final class Steps implements ConversionProgress {
        final List<String> lines = new CopyOnWriteArrayList<>();
        Duration locked;

        @Override
        public void step(String line) {
            lines.add(line);
        }

        @Override
        public void swapped(Duration stall) {
            locked = stall;
        }
    }

    static List<String> partitions(Connection connection, String table) throws Exception {
        return strings(connection, "SELECT c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c "
                + "ON c.oid = i.inhrelid WHERE i.inhparent = '" + table + "'::regclass ORDER BY c.relname");
    }

    /** What a reshape may leave behind, none of which is left after cleanup or rollback. */
    static List<String> leftovers(Connection connection) throws Exception {
        List<String> found = new ArrayList<>();
        found.addAll(strings(connection, "SELECT 'trigger ' || tgname || ' on ' || tgrelid::regclass FROM pg_trigger WHERE tgname LIKE "
                + "'pgpartition_reshape%'"));
        found.addAll(strings(connection, "SELECT 'table ' || relname FROM pg_class WHERE relname LIKE '%\\_pgp\\_%' OR relname = "
                + "'pgpartition_reshapes'"));
        found.addAll(strings(connection, "SELECT 'function ' || proname FROM pg_proc WHERE proname LIKE '%\\_pgp\\_r%'"));
        found.addAll(strings(connection, "SELECT 'check ' || conname || ' on ' || conrelid::regclass FROM pg_constraint WHERE conname IN "
                + "('pgpartition_bound', 'pgpartition_reshape_excluded')"));
        return found;
    }

    @Test
    void splitsAMonthIntoDaysWhileWritersInsertUpdateAndDeleteAndTheResultIsExact(TestDatabase db) throws Exception {
        Map<Long, String> initial = monthly(db, "events", 20_000, 6);
        ReshapeSpec spec = ReshapeSpec.split(TableName.of("events"), TableName.of("events_p202403"), "1 day").withBatchSize(1_000);
        Steps steps = new Steps();
        Writers writers;
        ReshapeStatus done;
        try (Connection connection = db.connection()) {
            try (Writers running = new Writers(db, "events", initial, 2)) {
                writers = running;
                running.awaitMore(200);
                done = new PartitionReshape(spec).run(connection, steps);
                running.awaitMore(running.writes.get() + 200);
            }
            assertThat(writers.errors.get()).as("writers saw no error: " + writers.firstErrors).isZero();
            assertThat(done.phase()).as(String.join("\n", steps.lines)).isEqualTo(ReshapeStatus.Phase.SWAPPED);
            assertThat(contents(connection, "events")).as("exactly what the writers left").isEqualTo(new TreeMap<>(writers.expected));
            List<String> partitions = partitions(connection, "events");
            assertThat(partitions).as("March in 31 days, the other months and the default as they were").hasSize(5 + 31 + 1)
                    .contains("events_p20240301 FOR VALUES FROM ('2024-03-01 00:00:00') TO ('2024-03-02 00:00:00')",
                            "events_p20240331 FOR VALUES FROM ('2024-03-31 00:00:00') TO ('2024-04-01 00:00:00')",
                            "events_p202402 FOR VALUES FROM ('2024-02-01 00:00:00') TO ('2024-03-01 00:00:00')",
                            "events_default DEFAULT")
                    .noneMatch(p -> p.startsWith("events_p202403 "));
            assertThat(steps.lines).as("no partition was scanned at the attach")
                    .anyMatch(line -> line.contains("no partition scanned (their CHECKs proved the bounds)"));
            assertThat(count(connection, "SELECT count(*) FROM events_p202403")).as("the replaced month is kept until cleanup").isPositive();
            assertThat(PartitionReshape.status(connection, TableName.of("events")).phase()).isEqualTo(ReshapeStatus.Phase.SWAPPED);
            ReshapeStatus cleaned = PartitionReshape.cleanup(connection, TableName.of("events"), ConversionSpec.DEFAULT_OPTIONS, steps);
            assertThat(cleaned.phase()).isEqualTo(ReshapeStatus.Phase.NONE);
            assertThat(leftovers(connection)).as("nothing of the reshape is left").isEmpty();
            assertThat(contents(connection, "events")).as("cleanup moves no row").isEqualTo(new TreeMap<>(writers.expected));
        }
    }

    @Test
    void mergesThreeMonthsIntoAQuarterAndRollsBackAfterTheSwapWhileWritersWrite(TestDatabase db) throws Exception {
        Map<Long, String> initial = monthly(db, "merged", 20_000, 6);
        ReshapeSpec spec = ReshapeSpec.merge(TableName.of("merged"), List.of(TableName.of("merged_p202401"), TableName.of("merged_p202402"),
                TableName.of("merged_p202403"))).withBatchSize(1_000);
        Steps steps = new Steps();
        try (Connection connection = db.connection()) {
            List<String> before = partitions(connection, "merged");
            Writers writers;
            try (Writers running = new Writers(db, "merged", initial, 2)) {
                writers = running;
                running.awaitMore(200);
                ReshapeStatus done = new PartitionReshape(spec).run(connection, steps);
                assertThat(done.phase()).isEqualTo(ReshapeStatus.Phase.SWAPPED);
                assertThat(done.description()).isEqualTo("merge public.merged_p202401, public.merged_p202402, public.merged_p202403 into "
                        + "public.merged_p20240101_20240401");
                assertThat(partitions(connection, "merged")).as("one quarter in place of three months")
                        .contains("merged_p20240101_20240401 FOR VALUES FROM ('2024-01-01 00:00:00') TO ('2024-04-01 00:00:00')")
                        .hasSize(before.size() - 2);
                running.awaitMore(running.writes.get() + 300);
                ReshapeStatus rolledBack = PartitionReshape.rollback(connection, TableName.of("merged"), ConversionSpec.DEFAULT_OPTIONS, steps);
                assertThat(rolledBack.phase()).isEqualTo(ReshapeStatus.Phase.NONE);
                running.awaitMore(running.writes.get() + 200);
            }
            assertThat(writers.errors.get()).as("writers saw no error: " + writers.firstErrors).isZero();
            assertThat(partitions(connection, "merged")).as("the months are back, the quarter is gone").isEqualTo(before);
            assertThat(contents(connection, "merged")).as("exactly what the writers left, writes after the swap included")
                    .isEqualTo(new TreeMap<>(writers.expected));
            assertThat(leftovers(connection)).as("nothing of the reshape is left").isEmpty();
        }
    }

    @Test
    void drainsADefaultPartitionIntoMonthsWhileWritersKeepFillingIt(TestDatabase db) throws Exception {
        Map<Long, String> initial = monthly(db, "drained", 20_000, 3);
        Steps steps = new Steps();
        try (Connection connection = db.connection()) {
            assertThat(count(connection, "SELECT count(*) FROM drained_default")).as("April to June sit in the default partition")
                    .isGreaterThan(9_000);
            ReshapePlan plan = new PartitionReshape(ReshapeSpec.drain(TableName.of("drained"), "1 month")).plan(connection);
            assertThat(plan.description()).isEqualTo("drain public.drained_default (" + count(connection, "SELECT count(*) FROM drained_default")
                    + " rows) into 3 partitions of 1 month");
            Writers writers;
            try (Writers running = new Writers(db, "drained", initial, 2)) {
                writers = running;
                running.awaitMore(200);
                ReshapeStatus done = new PartitionReshape(ReshapeSpec.drain(TableName.of("drained"), "1 month").withBatchSize(1_000))
                        .run(connection, steps);
                assertThat(done.phase()).as(String.join("\n", steps.lines)).isEqualTo(ReshapeStatus.Phase.SWAPPED);
                running.awaitMore(running.writes.get() + 200);
            }
            assertThat(writers.errors.get()).as("writers saw no error: " + writers.firstErrors).isZero();
            assertThat(partitions(connection, "drained")).as("April to June have partitions; the default stays, empty").containsExactlyInAnyOrder(
                    "drained_default DEFAULT",
                    "drained_p20240401 FOR VALUES FROM ('2024-04-01 00:00:00') TO ('2024-05-01 00:00:00')",
                    "drained_p20240501 FOR VALUES FROM ('2024-05-01 00:00:00') TO ('2024-06-01 00:00:00')",
                    "drained_p20240601 FOR VALUES FROM ('2024-06-01 00:00:00') TO ('2024-07-01 00:00:00')",
                    "drained_p202401 FOR VALUES FROM ('2024-01-01 00:00:00') TO ('2024-02-01 00:00:00')",
                    "drained_p202402 FOR VALUES FROM ('2024-02-01 00:00:00') TO ('2024-03-01 00:00:00')",
                    "drained_p202403 FOR VALUES FROM ('2024-03-01 00:00:00') TO ('2024-04-01 00:00:00')");
            assertThat(count(connection, "SELECT count(*) FROM drained_default")).as("the default partition is empty").isZero();
            assertThat(contents(connection, "drained")).as("exactly what the writers left").isEqualTo(new TreeMap<>(writers.expected));
            PartitionReshape.cleanup(connection, TableName.of("drained"), ConversionSpec.DEFAULT_OPTIONS, steps);
            assertThat(leftovers(connection)).as("nothing of the reshape is left").isEmpty();
        }
    }
}
