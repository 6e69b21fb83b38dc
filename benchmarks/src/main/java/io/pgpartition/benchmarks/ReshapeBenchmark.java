package io.pgpartition.benchmarks;

import io.pgpartition.annotations.Expiry;
import io.pgpartition.conversion.ConversionProgress;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.maintenance.PartitionMaintenance;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.reshape.PartitionReshape;
import io.pgpartition.reshape.ReshapeSpec;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reshaping partitions of {@value #DEFAULT_ROWS} rows (the {@code pgpartition.bench.reshape.rows} property changes it)
 * while one writer inserts, updates and deletes single rows of them through the parent: a month split into days, three
 * months merged into a quarter, a default partition drained into months. For each:
 * <ul>
 *   <li>copy: the batches' time (the writer running) against one {@code INSERT INTO … SELECT} of the same rows into
 *       tables laid out as the new partitions, alone;</li>
 *   <li>the parent's ACCESS EXCLUSIVE lock: the swap, from its lock request to its commit;</li>
 *   <li>the writer's latencies during the copy against the same writer with nothing else running.</li>
 * </ul>
 * The drain is also compared with maintenance's {@code --rescue-default} on the same rows (which moves them in one
 * transaction with the parent locked against writes) and with the scan an {@code ATTACH PARTITION} makes of a default
 * partition holding them (ACCESS EXCLUSIVE on the default partition throughout).
 */
final class ReshapeBenchmark {

    static final String NAME = "reshape";
    static final int DEFAULT_ROWS = 5_000_000;
    private static final Duration WRITER_ALONE = Duration.ofSeconds(15);
    private static final String SCHEMA = "bench_reshape";

    private ReshapeBenchmark() {
    }

    static List<Measurement> run(Connection connection, DataSource dataSource) throws Exception {
        int rows = Integer.getInteger("pgpartition.bench.reshape.rows", DEFAULT_ROWS);
        List<Measurement> results = new ArrayList<>();
        results.addAll(split(connection, dataSource, rows));
        results.addAll(merge(connection, dataSource, rows));
        results.addAll(drain(connection, dataSource, rows));
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
        }
        return results;
    }

    /**
     * {@code bench_reshape.events} by month from January to June 2024 and a default partition, {@code rows} rows with
     * keys spread evenly from {@code from} over {@code days} days; the row with id {@code g} has its key at
     * {@code from + g / rows * days}, which the writer uses to reach one row through the parent with its key.
     */
    private static void load(Connection connection, int rows, String from, int days, int months) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            statement.execute("CREATE SCHEMA " + SCHEMA);
            statement.execute("CREATE TABLE " + SCHEMA + ".events (id bigint NOT NULL, at timestamptz NOT NULL, account bigint NOT NULL, "
                    + "amount numeric(12, 2) NOT NULL, note text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)");
            statement.execute("CREATE INDEX events_account ON " + SCHEMA + ".events (account)");
            for (int m = 1; m <= months; m++) {
                statement.execute(String.format("CREATE TABLE %s.events_p2024%02d PARTITION OF %s.events FOR VALUES FROM "
                        + "('2024-%02d-01 00:00+00') TO ('2024-%02d-01 00:00+00')", SCHEMA, m, SCHEMA, m, m + 1));
            }
            statement.execute("CREATE TABLE " + SCHEMA + ".events_default PARTITION OF " + SCHEMA + ".events DEFAULT");
            statement.execute("INSERT INTO " + SCHEMA + ".events SELECT g, " + at(from, rows, days, "g") + ", g % 10007, (g % 100000) / 100.0, "
                    + "'event ' || g FROM generate_series(1, " + rows + ") g");
            statement.execute("VACUUM ANALYZE " + SCHEMA + ".events");
        }
    }

    private static String at(String from, int rows, int days, String id) {
        return "timestamptz '" + from + " 00:00+00' + (" + id + "::double precision / " + rows + ") * interval '" + days + " days'";
    }

    private static List<Measurement> split(Connection connection, DataSource dataSource, int rows) throws Exception {
        String label = String.format("[split a month of %,d rows into 31 days]", rows);
        System.out.println("reshape: " + label + " loading");
        load(connection, rows, "2024-03-01", 31, 6);
        ReshapeSpec spec = ReshapeSpec.split(TableName.of(SCHEMA, "events"), TableName.of(SCHEMA, "events_p202403"), "1 day");
        return measure(connection, dataSource, rows, label, spec, "2024-03-01", 31,
                "SELECT * FROM " + SCHEMA + ".events_p202403");
    }

    private static List<Measurement> merge(Connection connection, DataSource dataSource, int rows) throws Exception {
        String label = String.format("[merge three months of %,d rows into a quarter]", rows);
        System.out.println("reshape: " + label + " loading");
        load(connection, rows, "2024-01-01", 91, 6);
        ReshapeSpec spec = ReshapeSpec.merge(TableName.of(SCHEMA, "events"), List.of(TableName.of(SCHEMA, "events_p202401"),
                TableName.of(SCHEMA, "events_p202402"), TableName.of(SCHEMA, "events_p202403")));
        return measure(connection, dataSource, rows, label, spec, "2024-01-01", 91, "SELECT * FROM " + SCHEMA + ".events_p202401 "
                + "UNION ALL SELECT * FROM " + SCHEMA + ".events_p202402 UNION ALL SELECT * FROM " + SCHEMA + ".events_p202403");
    }

    private static List<Measurement> drain(Connection connection, DataSource dataSource, int rows) throws Exception {
        String label = String.format("[drain a default partition of %,d rows into three months]", rows);
        System.out.println("reshape: " + label + " loading");
        load(connection, rows, "2024-04-01", 91, 3);
        List<Measurement> results = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + SCHEMA + ".scan_probe (LIKE " + SCHEMA + ".events INCLUDING ALL)");
            long started = System.nanoTime();
            statement.execute("ALTER TABLE " + SCHEMA + ".events ATTACH PARTITION " + SCHEMA + ".scan_probe FOR VALUES FROM "
                    + "('2025-01-01 00:00+00') TO ('2025-02-01 00:00+00')");
            results.add(new Measurement(NAME, label + " ATTACH PARTITION of an empty partition, scanning the default partition "
                    + "(ACCESS EXCLUSIVE on it throughout)", new double[]{(System.nanoTime() - started) / 1_000_000.0}));
            statement.execute("ALTER TABLE " + SCHEMA + ".events DETACH PARTITION " + SCHEMA + ".scan_probe");
            statement.execute("DROP TABLE " + SCHEMA + ".scan_probe");
        }
        ReshapeSpec spec = ReshapeSpec.drain(TableName.of(SCHEMA, "events"), "1 month");
        results.addAll(measure(connection, dataSource, rows, label, spec, "2024-04-01", 91, "SELECT * FROM " + SCHEMA + ".events_default"));
        System.out.println("reshape: " + label + " reloading for maintenance's --rescue-default");
        load(connection, rows, "2024-04-01", 91, 3);
        TimedWriter writer = writer(dataSource, rows, "2024-04-01", 91);
        writer.mark();
        long started = System.nanoTime();
        try (Connection maintaining = dataSource.getConnection()) {
            new PartitionMaintenance(List.of(MaintenancePolicy.range(TableName.of(SCHEMA, "events"), RangePolicy.monthly().premake(0)
                    .onExpiry(Expiry.DETACH).defaultPartition(true).build()).withDefaultRescued(true)))
                    .apply(maintaining, Instant.parse("2024-01-15T00:00:00Z"));
        }
        double rescue = (System.nanoTime() - started) / 1_000_000.0;
        writer.markEnd();
        double[] during = writer.stopAndKeepMarked();
        results.add(new Measurement(NAME, label + " maintain --rescue-default: the whole move (the parent locked against writes)",
                new double[]{rescue}));
        results.add(new Measurement(NAME, label + " writer during maintain --rescue-default", during));
        results.add(new Measurement(NAME, label + " writer's slowest write during maintain --rescue-default",
                new double[]{Arrays.stream(during).max().orElse(0)}));
        return results;
    }

    private static List<Measurement> measure(Connection connection, DataSource dataSource, int rows, String label, ReshapeSpec spec,
                                             String from, int days, String source) throws Exception {
        List<Measurement> results = new ArrayList<>();
        double baseline = insertSelect(connection, spec, source);
        results.add(new Measurement(NAME, label + " copy, ms per million rows: INSERT INTO <new partitions> SELECT (baseline)",
                new double[]{baseline / rows * 1_000_000}));
        System.out.println("reshape: " + label + " INSERT INTO <new partitions> SELECT, the writer running");
        TimedWriter contending = writer(dataSource, rows, from, days);
        contending.mark();
        double contended = insertSelect(connection, spec, source);
        contending.markEnd();
        double[] contendingLatencies = contending.stopAndKeepMarked();
        results.add(new Measurement(NAME, label + " copy, ms per million rows: INSERT INTO <new partitions> SELECT, the same writer "
                + "running", new double[]{contended / rows * 1_000_000}));
        System.out.println("reshape: " + label + " the writer alone");
        TimedWriter alone = writer(dataSource, rows, from, days);
        Thread.sleep(WRITER_ALONE.toMillis());
        double[] aloneLatencies = alone.stop();
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM ANALYZE " + SCHEMA + ".events");
        }
        System.out.println("reshape: " + label + " reshaping, the writer running");
        TimedWriter during = writer(dataSource, rows, from, days);
        long[] copy = new long[3];
        Duration[] locked = new Duration[1];
        try (Connection reshaping = dataSource.getConnection()) {
            new PartitionReshape(spec).run(reshaping, new ConversionProgress() {
                @Override
                public void copied(long copiedRows, long total, Duration elapsed) {
                    if (copy[0] == 0) {
                        copy[0] = System.nanoTime() - elapsed.toNanos();
                        during.mark();
                    }
                    copy[1] = System.nanoTime();
                    copy[2] = copiedRows;
                }

                @Override
                public void step(String line) {
                    if (line.startsWith("copied ")) {
                        during.markEnd();
                    }
                    System.out.println("reshape: " + line);
                }

                @Override
                public void swapped(Duration held) {
                    locked[0] = held;
                }
            });
            double[] duringLatencies = during.stopAndKeepMarked();
            PartitionReshape.cleanup(reshaping, spec.table(), spec.options(), ConversionProgress.NONE);
            results.add(new Measurement(NAME, label + String.format(" copy, ms per million rows: pgpartition repartition, batches of "
                    + "10,000, one writer (%,d rows copied)", copy[2]), new double[]{(copy[1] - copy[0]) / 1_000_000.0 / copy[2] * 1_000_000}));
            results.add(new Measurement(NAME, label + " the parent's ACCESS EXCLUSIVE lock: the swap, lock request to commit (baseline: "
                    + "100 ms)", new double[]{100.0}));
            results.add(new Measurement(NAME, label + " the parent's ACCESS EXCLUSIVE lock: the swap, lock request to commit",
                    new double[]{locked[0].toNanos() / 1_000_000.0}));
            results.add(new Measurement(NAME, label + " writer insert/update/delete alone (baseline)", aloneLatencies));
            results.add(new Measurement(NAME, label + " writer insert/update/delete during the copy", duringLatencies));
            results.add(new Measurement(NAME, label + " writer insert/update/delete during the INSERT ... SELECT (no trigger)",
                    contendingLatencies));
        }
        return results;
    }

    /**
     * Milliseconds of one {@code INSERT INTO … SELECT} of the rows reshaped into a partitioned table whose partitions are
     * laid out (and indexed) as the new ones: the copy with nothing else to do.
     */
    private static double insertSelect(Connection connection, ReshapeSpec spec, String source) throws Exception {
        List<String> prepare = new PartitionReshape(spec).plan(connection).steps().get(0).statements().stream()
                .filter(sql -> sql.startsWith("CREATE TABLE \"" + SCHEMA + "\".\"events_p") || sql.startsWith("CREATE TABLE \"" + SCHEMA
                        + "\".\"events_default")).filter(sql -> sql.contains(" (LIKE ") && !sql.contains("_pgp_route")).toList();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + SCHEMA + ".baseline (LIKE " + SCHEMA + ".events INCLUDING ALL) PARTITION BY RANGE (at)");
            for (String create : prepare) {
                String name = create.substring(("CREATE TABLE \"" + SCHEMA + "\".\"").length(), create.indexOf("\" (LIKE"));
                String bound = create.contains("CHECK (") ? create.substring(create.indexOf("CHECK (")) : null;
                statement.execute(create.replace("\"" + name + "\"", "\"base_" + name + "\""));
                statement.execute("ALTER TABLE " + SCHEMA + ".baseline ATTACH PARTITION " + SCHEMA + ".\"base_" + name + "\" "
                        + (bound == null ? "DEFAULT" : forValues(bound)));
            }
            System.out.println("reshape: baseline INSERT INTO <new partitions> SELECT");
            long started = System.nanoTime();
            statement.execute("INSERT INTO " + SCHEMA + ".baseline " + source);
            double millis = (System.nanoTime() - started) / 1_000_000.0;
            statement.execute("DROP TABLE " + SCHEMA + ".baseline");
            statement.execute("VACUUM " + SCHEMA + ".events");
            return millis;
        }
    }

    /** {@code FOR VALUES FROM (a) TO (b)} from the CHECK {@code "at" IS NOT NULL AND "at" >= 'a' AND "at" < 'b'}. */
    private static String forValues(String check) {
        String[] literals = check.split("'");
        return "FOR VALUES FROM ('" + literals[1] + "') TO ('" + literals[3] + "')";
    }

    /**
     * One thread writing single rows of the reshaped range through the parent as fast as it can, each with its key so
     * that it reaches one partition, timing each write: half inserts, three tenths updates and two tenths deletes.
     */
    private static TimedWriter writer(DataSource dataSource, int rows, String from, int days) {
        AtomicLong ids = new AtomicLong(rows + 1_000_000L);
        String events = SCHEMA + ".events";
        return new TimedWriter("reshape-writer", dataSource, false, connection -> {
            PreparedStatement insert = connection.prepareStatement("INSERT INTO " + events + " (id, at, account, amount, note) "
                    + "VALUES (?, " + at(from, rows, days, "?") + ", ?, ?, 'writer')");
            PreparedStatement update = connection.prepareStatement("UPDATE " + events + " SET amount = amount + 1 WHERE id = ? "
                    + "AND at = " + at(from, rows, days, "?"));
            PreparedStatement delete = connection.prepareStatement("DELETE FROM " + events + " WHERE id = ? AND at = "
                    + at(from, rows, days, "?"));
            return new TimedWriter.Writes() {
                @Override
                public PreparedStatement next(ThreadLocalRandom random) throws SQLException {
                    int op = random.nextInt(10);
                    if (op < 5) {
                        insert.setLong(1, ids.getAndIncrement());
                        insert.setLong(2, 1 + random.nextInt(rows));
                        insert.setLong(3, random.nextInt(10_007));
                        insert.setBigDecimal(4, java.math.BigDecimal.valueOf(random.nextInt(100_000), 2));
                        return insert;
                    }
                    PreparedStatement statement = op < 8 ? update : delete;
                    long id = 1 + random.nextInt(rows);
                    statement.setLong(1, id);
                    statement.setLong(2, id);
                    return statement;
                }

                @Override
                public void close() throws SQLException {
                    insert.close();
                    update.close();
                    delete.close();
                }
            };
        });
    }
}
