package io.pgpartition.benchmarks;

import io.pgpartition.annotations.Expiry;
import io.pgpartition.conversion.ConversionProgress;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.conversion.TableConversion;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.policy.PartitionInterval;
import io.pgpartition.policy.RangePolicy;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Online conversion of a plain table of {@value #DEFAULT_ROWS} rows (the {@code pgpartition.bench.conversion.rows}
 * property changes it) into monthly partitions, with one writer inserting, updating and deleting single rows
 * throughout (half inserts, three tenths updates and two tenths deletes of existing rows, so the change log fills).
 * <ul>
 *   <li>copy: the time the batches took (from the first to the last, the writer running), against the baseline of one
 *       {@code INSERT INTO twin SELECT * FROM table} of the same rows into an identical partitioned table, alone; and
 *       the same statement with the writer running, which shows what the two cores' contention costs by itself;</li>
 *   <li>swap: how long writers stalled behind it (from its lock request to its commit), and the writer's slowest
 *       statement from the last replay to the end;</li>
 *   <li>writer: the latency of each write while the batches run, against the same writer with nothing else running;</li>
 *   <li>the swap behind a long reader: a second conversion (of {@value #READER_ROWS} rows) whose swap meets a
 *       transaction that read the table and holds it for {@value #READER_HOLD_MILLIS} ms; the writer's slowest
 *       statement, and the stall of the swap that committed, with the default lock timeout.</li>
 * </ul>
 */
final class ConversionBenchmark {

    static final String NAME = "conversion";
    static final int DEFAULT_ROWS = 5_000_000;
    private static final Instant NOW = Instant.parse("2026-11-21T10:15:00Z");
    private static final Duration WRITER_ALONE = Duration.ofSeconds(20);
    static final int READER_ROWS = 200_000;
    static final int READER_HOLD_MILLIS = 1_500;

    private ConversionBenchmark() {
    }

    static List<Measurement> run(Connection connection, DataSource dataSource) throws Exception {
        String commits;
        try (Statement statement = connection.createStatement();
             java.sql.ResultSet rs = statement.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit')")) {
            rs.next();
            commits = " fsync " + rs.getString(1) + ", synchronous_commit " + rs.getString(2);
        }
        return measure(connection, dataSource, commits);
    }

    private static List<Measurement> measure(Connection connection, DataSource dataSource, String commits) throws Exception {
        int rows = Integer.getInteger("pgpartition.bench.conversion.rows", DEFAULT_ROWS);
        String label = String.format("[%,d rows,%s]", rows, commits);
        System.out.printf("conversion: loading %,d rows%n", rows);
        load(connection, rows);
        RangePolicy monthly = new RangePolicy(PartitionInterval.parse("1 month", "benchmark", "interval"), 1, Optional.empty(),
                Expiry.DETACH, NamingPattern.parse("{table}_{yyyy}_{MM}", "benchmark", "naming"), false, ZoneId.of("UTC"));
        List<Measurement> results = new ArrayList<>();

        double baseline = insertSelectBaseline(connection, monthly);
        results.add(new Measurement(NAME, label + " copy, ms per million rows: INSERT INTO twin SELECT * FROM table (baseline)",
                new double[]{baseline / rows * 1_000_000}));

        System.out.println("conversion: INSERT INTO twin SELECT * FROM table, the writer running");
        TimedWriter contending = writer(dataSource, rows, false);
        contending.mark();
        double contended = insertSelectBaseline(connection, monthly);
        contending.markEnd();
        double[] contendingLatencies = contending.stopAndKeepMarked();
        results.add(new Measurement(NAME, label + " copy, ms per million rows: INSERT INTO twin SELECT * FROM table, the same writer "
                + "running", new double[]{contended / rows * 1_000_000}));

        System.out.println("conversion: the writer alone");
        TimedWriter alone = writer(dataSource, rows, false);
        Thread.sleep(WRITER_ALONE.toMillis());
        double[] aloneLatencies = alone.stop();
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM ANALYZE bench_convert.events");
        }

        System.out.println("conversion: converting, the writer running");
        TimedWriter during = writer(dataSource, rows, false);
        long[] copy = new long[3];
        Duration[] locked = new Duration[1];
        int[] replays = {0};
        try (Connection converting = dataSource.getConnection()) {
            new TableConversion(ConversionSpec.of(TableName.of("bench_convert", "events"), "at", monthly))
                    .run(converting, NOW, new ConversionProgress() {
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
                            if (line.startsWith("replayed ") && ++replays[0] == 2) {
                                during.markSwap();
                            }
                            System.out.println("conversion: " + line);
                        }

                        @Override
                        public void swapped(Duration held) {
                            locked[0] = held;
                        }
                    });
        }
        double swapWorst = during.worstSinceSwap();
        double[] duringLatencies = during.stopAndKeepMarked();
        results.add(new Measurement(NAME, label + String.format(" copy, ms per million rows: pgpartition convert run, batches of "
                + "10,000, one writer (%,d rows copied)", copy[2]), new double[]{(copy[1] - copy[0]) / 1_000_000.0 / copy[2] * 1_000_000}));
        results.add(new Measurement(NAME, label + " swap: writers stalled, lock request to commit (baseline: 1 s)", new double[]{1000.0}));
        results.add(new Measurement(NAME, label + " swap: writers stalled, lock request to commit", new double[]{locked[0].toNanos()
                / 1_000_000.0}));
        results.add(new Measurement(NAME, label + " swap: the writer's slowest write from the last replay on", new double[]{swapWorst}));
        results.add(new Measurement(NAME, label + " writer insert/update/delete alone (baseline)", aloneLatencies));
        results.add(new Measurement(NAME, label + " writer insert/update/delete during the copy", duringLatencies));
        results.add(new Measurement(NAME, label + " writer insert/update/delete during the INSERT ... SELECT (no trigger)",
                contendingLatencies));
        results.addAll(behindALongReader(connection, dataSource, monthly, commits));
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA bench_convert CASCADE");
        }
        return results;
    }

    private static void load(Connection connection, int rows) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS bench_convert CASCADE");
            statement.execute("CREATE SCHEMA bench_convert");
            statement.execute("CREATE TABLE bench_convert.events (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                    + "at timestamptz NOT NULL, account bigint NOT NULL, amount numeric(12, 2) NOT NULL, note text)");
            statement.execute("INSERT INTO bench_convert.events (at, account, amount, note) SELECT timestamptz '2024-01-01 00:00+00' "
                    + "+ (g::double precision / " + rows + ") * interval '1000 days', g % 10007, (g % 100000) / 100.0, 'event ' || g "
                    + "FROM generate_series(1, " + rows + ") g");
            statement.execute("CREATE INDEX events_account ON bench_convert.events (account)");
            statement.execute("VACUUM ANALYZE bench_convert.events");
        }
    }

    /**
     * The swap of a conversion of {@value #READER_ROWS} rows while a transaction that read the table holds it for
     * {@value #READER_HOLD_MILLIS} ms from the last replay on: the writer's slowest write against its median, and the
     * stall of the swap that committed once the reader was gone.
     */
    private static List<Measurement> behindALongReader(Connection connection, DataSource dataSource, RangePolicy monthly,
                                                       String commits) throws Exception {
        String label = String.format("[%,d rows,%s, a reader holding the table %,d ms]", READER_ROWS, commits, READER_HOLD_MILLIS);
        System.out.println("conversion: " + label);
        load(connection, READER_ROWS);
        boolean isolated = CpuPinning.available();
        double[] isolatedAlone = new double[0];
        if (isolated) {
            TimedWriter alone = writer(dataSource, READER_ROWS, true);
            Thread.sleep(WRITER_ALONE.toMillis() / 2);
            isolatedAlone = alone.stop();
        }
        TimedWriter writer = writer(dataSource, READER_ROWS, isolated);
        Duration[] locked = new Duration[1];
        int[] replays = {0};
        Thread[] reader = new Thread[1];
        try (Connection converting = dataSource.getConnection(); Connection reading = dataSource.getConnection()) {
            reading.setAutoCommit(false);
            new TableConversion(ConversionSpec.of(TableName.of("bench_convert", "events"), "at", monthly))
                    .run(converting, NOW, new ConversionProgress() {
                        @Override
                        public void copied(long copiedRows, long total, Duration elapsed) {
                            writer.mark();
                        }

                        @Override
                        public void step(String line) {
                            System.out.println("conversion: " + line);
                            if (line.startsWith("copied ")) {
                                writer.markEnd();
                            }
                            if (line.startsWith("replayed ") && ++replays[0] == 2) {
                                writer.markSwap();
                                try (Statement statement = reading.createStatement()) {
                                    statement.executeQuery("SELECT 1 FROM bench_convert.events LIMIT 1").close();
                                } catch (java.sql.SQLException e) {
                                    throw new IllegalStateException(e);
                                }
                                reader[0] = new Thread(() -> {
                                    try {
                                        Thread.sleep(READER_HOLD_MILLIS);
                                        reading.commit();
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                }, "conversion-long-reader");
                                reader[0].start();
                            }
                        }

                        @Override
                        public void swapped(Duration held) {
                            locked[0] = held;
                        }
                    });
            reader[0].join();
        }
        double worst = writer.worstSinceSwap();
        double[] during = writer.stopAndKeepMarked();
        double[] all = writer.all();
        List<Measurement> results = new ArrayList<>();
        if (isolated) {
            results.add(new Measurement(NAME, label + " writer alone on CPU 0, nothing else running (baseline)", isolatedAlone));
            results.add(new Measurement(NAME, label + " writer alone on CPU 0, during the copy", during));
        }
        results.addAll(List.of(new Measurement(NAME, label + " writer write, all (baseline)", all),
                new Measurement(NAME, label + " swap: the writer's slowest write from the last replay on", new double[]{worst}),
                new Measurement(NAME, label + " swap: writers stalled by the attempt that committed", new double[]{locked[0].toNanos()
                        / 1_000_000.0})));
        return results;
    }


    /** Milliseconds of one INSERT ... SELECT of the table into a partitioned table laid out as the conversion's twin. */
    private static double insertSelectBaseline(Connection connection, RangePolicy monthly) throws Exception {
        System.out.println("conversion: baseline INSERT INTO twin SELECT * FROM table");
        TableConversion conversion = new TableConversion(ConversionSpec.of(TableName.of("bench_convert", "events"), "at", monthly));
        String prepare = conversion.plan(connection, NOW).steps().get(0).statements().stream()
                .filter(sql -> sql.contains("events_partitioned") && !sql.contains("pgpartition_conversions") && !sql.contains("TRIGGER")
                        && !sql.startsWith("CREATE OR REPLACE FUNCTION"))
                .map(sql -> sql.replace("events_partitioned", "baseline_twin").replace("\"events_2", "\"baseline_2")
                        .replace("_pgp\"", "_base\""))
                .reduce((a, b) -> a + ";\n" + b).orElseThrow();
        try (Statement statement = connection.createStatement()) {
            statement.execute(prepare);
            long started = System.nanoTime();
            statement.execute("INSERT INTO bench_convert.baseline_twin SELECT * FROM bench_convert.events");
            double millis = (System.nanoTime() - started) / 1_000_000.0;
            statement.execute("DROP TABLE bench_convert.baseline_twin");
            statement.execute("VACUUM bench_convert.events");
            return millis;
        }
    }

    /**
     * One thread writing single rows as fast as it can, timing each write: half inserts, three tenths updates (of the
     * amount, not the key) and two tenths deletes of rows of the loaded range.
     */
    private static TimedWriter writer(DataSource dataSource, int rows, boolean isolated) {
        return new TimedWriter("conversion-writer", dataSource, isolated, connection -> {
            PreparedStatement insert = connection.prepareStatement("INSERT INTO bench_convert.events (at, account, amount, note) "
                    + "VALUES (?, ?, ?, 'writer')");
            PreparedStatement update = connection.prepareStatement("UPDATE bench_convert.events SET amount = amount + 1 WHERE id = ?");
            PreparedStatement delete = connection.prepareStatement("DELETE FROM bench_convert.events WHERE id = ?");
            return new TimedWriter.Writes() {
                @Override
                public PreparedStatement next(ThreadLocalRandom random) throws SQLException {
                    int op = random.nextInt(10);
                    if (op < 5) {
                        insert.setTimestamp(1, Timestamp.from(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(random.nextInt(1_000_000))));
                        insert.setLong(2, random.nextInt(10_007));
                        insert.setBigDecimal(3, java.math.BigDecimal.valueOf(random.nextInt(100_000), 2));
                        return insert;
                    }
                    PreparedStatement statement = op < 8 ? update : delete;
                    statement.setLong(1, 1 + random.nextInt(rows));
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
