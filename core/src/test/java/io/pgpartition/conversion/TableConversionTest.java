package io.pgpartition.conversion;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.annotations.Expiry;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.HashPolicy;
import io.pgpartition.policy.ListPartitionSpec;
import io.pgpartition.policy.ListPolicy;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.policy.PartitionInterval;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Online conversion against a real PostgreSQL, with writers that never stop. */
@PostgresTest
class TableConversionTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:15:00Z");

    static RangePolicy monthly(int premake, String naming) {
        return new RangePolicy(PartitionInterval.parse("1 month", "test", "interval"), premake, Optional.empty(), Expiry.DETACH,
                NamingPattern.parse(naming, "test", "naming"), false, ZoneId.of("UTC"));
    }

    static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /**
     * Writers inserting, updating (the key too) and deleting rows of {@code events(id, at, body)} as fast as they can,
     * each recording what the table must hold afterwards. Every failed statement is counted.
     */
    static final class Writers implements AutoCloseable {
        final Map<Long, String> expected = new ConcurrentHashMap<>();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong writes = new AtomicLong();
        final AtomicLong ids;
        final List<String> firstErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService pool;
        private final List<Future<?>> futures = new ArrayList<>();

        Writers(TestDatabase db, String table, Map<Long, String> initial, int threads) {
            expected.putAll(initial);
            ids = new AtomicLong(initial.keySet().stream().mapToLong(Long::longValue).max().orElse(0) + 1_000_000);
            pool = Executors.newFixedThreadPool(threads);
            for (int t = 0; t < threads; t++) {
                long owner = t;
                futures.add(pool.submit(() -> write(db, table, owner, threads)));
            }
        }

        private void write(TestDatabase db, String table, long owner, int threads) {
            try (Connection connection = db.connection()) {
                while (running.get()) {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    int op = random.nextInt(10);
                    try {
                        if (op < 5) {
                            long id = ids.getAndIncrement();
                            LocalDateTime at = LocalDateTime.of(2024, 1 + random.nextInt(6), 1 + random.nextInt(28), random.nextInt(24), 0);
                            String body = "inserted " + id;
                            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table + " (id, at, body) VALUES (?, ?, ?)")) {
                                statement.setLong(1, id);
                                statement.setTimestamp(2, Timestamp.valueOf(at));
                                statement.setString(3, body);
                                statement.executeUpdate();
                            }
                            expected.put(id, at + "|" + body);
                        } else {
                            List<Long> mine = expected.keySet().stream().filter(id -> id % threads == owner).limit(200).toList();
                            if (mine.isEmpty()) {
                                continue;
                            }
                            long id = mine.get(random.nextInt(mine.size()));
                            if (op < 8) {
                                boolean moveKey = random.nextBoolean();
                                LocalDateTime at = LocalDateTime.of(2024, 1 + random.nextInt(6), 1 + random.nextInt(28), 12, 30);
                                String body = "updated " + random.nextInt(1_000_000);
                                try (PreparedStatement statement = connection.prepareStatement(moveKey
                                        ? "UPDATE " + table + " SET body = ?, at = ? WHERE id = ? RETURNING at"
                                        : "UPDATE " + table + " SET body = ? WHERE id = ? RETURNING at")) {
                                    statement.setString(1, body);
                                    if (moveKey) {
                                        statement.setTimestamp(2, Timestamp.valueOf(at));
                                        statement.setLong(3, id);
                                    } else {
                                        statement.setLong(2, id);
                                    }
                                    try (ResultSet rs = statement.executeQuery()) {
                                        if (rs.next()) {
                                            expected.put(id, rs.getTimestamp(1).toLocalDateTime() + "|" + body);
                                        }
                                    }
                                }
                            } else {
                                try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
                                    statement.setLong(1, id);
                                    statement.executeUpdate();
                                }
                                expected.remove(id);
                            }
                        }
                        writes.incrementAndGet();
                    } catch (SQLException e) {
                        errors.incrementAndGet();
                        if (firstErrors.size() < 5) {
                            firstErrors.add(e.getMessage());
                        }
                    }
                }
            } catch (SQLException e) {
                errors.incrementAndGet();
                firstErrors.add(e.getMessage());
            }
        }

        long awaitMore(long than) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (writes.get() <= than && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return writes.get();
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
    }

    /** {@code events(id bigint primary key, at timestamp, body text)} with {@code rows} rows from January to June 2024. */
    static Map<Long, String> events(TestDatabase db, String table, int rows) throws SQLException {
        db.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, at timestamp NOT NULL, body text)",
                "CREATE INDEX " + table + "_at ON " + table + " (at)",
                "INSERT INTO " + table + " SELECT g, timestamp '2024-01-01' + (g % 180) * interval '1 day' + (g % 24) * interval '1 hour', "
                        + "'row ' || g FROM generate_series(1, " + rows + ") g");
        try (Connection connection = db.connection()) {
            return contents(connection, table);
        }
    }

    static Map<Long, String> contents(Connection connection, String table) throws SQLException {
        Map<Long, String> rows = new TreeMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT id, at, body FROM " + table)) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getTimestamp(2).toLocalDateTime() + "|" + rs.getString(3));
            }
        }
        return rows;
    }

    @Test
    void convertsOnlineWhileWritersInsertUpdateAndDeleteAndTheResultIsExact(TestDatabase db) throws Exception {
        Map<Long, String> initial = events(db, "events", 20_000);
        ConversionSpec spec = ConversionSpec.of(TableName.of("events"), "at", monthly(1, "{table}_p{yyyy}{MM}")).withBatchSize(1_000);
        List<String> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
        ConversionStatus done;
        Writers writers;
        try (Connection connection = db.connection()) {
            try (Writers running = new Writers(db, "events", initial, 2)) {
                writers = running;
                running.awaitMore(200);
                done = new TableConversion(spec).run(connection, NOW, new ConversionProgress() {
                    @Override
                    public void step(String line) {
                        steps.add(line);
                    }
                });
                running.awaitMore(running.writes.get() + 200);
            }
            assertThat(writers.errors.get()).as("writers saw no error: " + writers.firstErrors).isZero();
            assertThat(done.phase()).isEqualTo(ConversionStatus.Phase.SWAPPED);
            assertThat(count(connection, "SELECT count(*) FROM pg_partitioned_table WHERE partrelid = 'events'::regclass"))
                    .as("events is partitioned now").isEqualTo(1);
            assertThat(contents(connection, "events")).as("exactly what the writers left").isEqualTo(new TreeMap<>(writers.expected));
            assertThat(contents(connection, "events_old")).as("the original, kept in sync until cleanup")
                    .isEqualTo(new TreeMap<>(writers.expected));
            List<String> partitions = strings(connection, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    + "WHERE i.inhparent = 'events'::regclass ORDER BY 1");
            assertThat(partitions).as("every month from the first key to the premake horizon, no gap").hasSize(36)
                    .startsWith("events_p202401", "events_p202402").endsWith("events_p202611", "events_p202612");
            assertThat(strings(connection, "SELECT conname FROM pg_constraint WHERE conrelid = 'events'::regclass AND contype = 'p'"))
                    .as("the primary key keeps its name, with the key added").containsExactly("events_pkey");
            assertThat(strings(connection, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'events_pkey' "
                    + "AND conrelid = 'events'::regclass")).containsExactly("PRIMARY KEY (id, at)");
            assertThat(steps).anyMatch(s -> s.startsWith("verified ")).anyMatch(s -> s.startsWith("swapped public.events"));

            new TableConversion(spec).cleanup(connection);
            assertThat(count(connection, "SELECT count(*) FROM pg_class WHERE relname IN ('events_old', 'events_partitioned')")).isZero();
            assertThat(new TableConversion(spec).status(connection).phase()).isEqualTo(ConversionStatus.Phase.NONE);
            assertThat(contents(connection, "events")).isEqualTo(new TreeMap<>(writers.expected));
        }
    }

    @Test
    void aTableReferencedByForeignKeysIsNamedAndRefused(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz NOT NULL)",
                "CREATE TABLE order_items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id))",
                "CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id))");
        TableConversion conversion = new TableConversion(ConversionSpec.of(TableName.of("orders"), "created_at",
                monthly(1, "{table}_p{yyyy}{MM}")));
        try (Connection connection = db.connection()) {
            ConversionAnalysis analysis = conversion.analyze(connection, NOW);
            assertThat(analysis.verdict()).isEqualTo(ConversionAnalysis.Verdict.BLOCKED);
            assertThat(analysis.blockers()).containsExactly("public.orders is referenced by public.order_items(order_id), "
                    + "public.refunds(order_id): a foreign key can only reference a partitioned table by columns that include the "
                    + "partition key. Fix: drop those foreign keys (or add created_at to them), or convert with --foreign-keys drop, "
                    + "which drops them at the swap and prints each.");
            assertThatThrownBy(() -> conversion.run(connection, NOW, ConversionProgress.NONE)).isInstanceOf(PartitioningException.class)
                    .satisfies(e -> assertThat(((PartitioningException) e).getCode()).isEqualTo(ErrorCode.CONVERSION_BLOCKED))
                    .hasMessageStartingWith("Cannot convert public.orders: public.orders is referenced by").hasMessageEndingWith(" Nothing was changed.");
            assertThat(count(connection, "SELECT count(*) FROM pg_class WHERE relname = 'orders_partitioned' "
                    + "OR relname LIKE 'orders\\_p2%' OR relname LIKE 'orders\\_pgp%'")).as("nothing created").isZero();
        }
    }
}
