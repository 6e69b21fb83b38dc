package io.pgpartition.conversion;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.annotations.Expiry;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
public class TableConversionTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:15:00Z");

    static RangePolicy monthly(int premake, String naming) {
        return RangePolicy.monthly().premake(premake).naming(naming).build();
    }

    public static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static List<String> strings(Connection connection, String sql) throws SQLException {
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
    public static final class Writers implements AutoCloseable {
        public final Map<Long, String> expected = new ConcurrentHashMap<>();
        public final AtomicLong errors = new AtomicLong();
        public final AtomicLong writes = new AtomicLong();
        final AtomicLong ids;
        public final List<String> firstErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService pool;
        private final List<Future<?>> futures = new ArrayList<>();

        /** Opens a writer's connection: as the test's user, or as an application role. */
        interface ConnectionSource {
            Connection open() throws SQLException;
        }

        public Writers(TestDatabase db, String table, Map<Long, String> initial, int threads) {
            this(db::connection, table, initial, threads);
        }

        Writers(ConnectionSource db, String table, Map<Long, String> initial, int threads) {
            expected.putAll(initial);
            ids = new AtomicLong(initial.keySet().stream().mapToLong(Long::longValue).max().orElse(0) + 1_000_000);
            pool = Executors.newFixedThreadPool(threads);
            for (int t = 0; t < threads; t++) {
                long owner = t;
                futures.add(pool.submit(() -> write(db, table, owner, threads)));
            }
        }

        private void write(ConnectionSource db, String table, long owner, int threads) {
            try (Connection connection = db.open()) {
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

        public long awaitMore(long than) throws InterruptedException {
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

    public static Map<Long, String> contents(Connection connection, String table) throws SQLException {
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
            assertThat(count(connection, "SELECT count(*) FROM events_pgp_log")).as("writes after the swap are logged for a rollback")
                    .isPositive();
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

    @Test
    void chatMessagesOfSeed001GainTheKeyInTheirUniquenessAndKeepEverythingElse(TestDatabase db) throws SQLException {
        db.execute("CREATE TYPE messagerole AS ENUM ('user', 'assistant', 'system')",
                "CREATE ROLE chat_reader NOLOGIN",
                "CREATE TABLE chat_messages (user_id uuid NOT NULL, task_id uuid, session_id uuid NOT NULL, message_id character varying(36), "
                        + "role messagerole NOT NULL, content text NOT NULL, actions json, parse_degraded boolean, tokens_used integer, "
                        + "model_name character varying(100), id uuid NOT NULL, created_at timestamp without time zone NOT NULL, "
                        + "updated_at timestamp without time zone NOT NULL, deleted_at timestamp without time zone, "
                        + "CONSTRAINT chat_messages_pkey PRIMARY KEY (id), CONSTRAINT chat_messages_message_id_key UNIQUE (message_id), "
                        + "CONSTRAINT tokens_not_negative CHECK (tokens_used >= 0))",
                "CREATE INDEX idx_chat_created_at ON chat_messages (created_at)",
                "CREATE INDEX idx_chat_session_id ON chat_messages (session_id)",
                "CREATE INDEX idx_chat_user_id ON chat_messages USING hash (user_id)",
                "COMMENT ON TABLE chat_messages IS 'AI chat history'",
                "COMMENT ON COLUMN chat_messages.content IS 'what was said'",
                "GRANT SELECT ON chat_messages TO chat_reader",
                "CREATE VIEW recent_chat AS SELECT id, content FROM chat_messages WHERE deleted_at IS NULL",
                "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := NEW.created_at; RETURN NEW; END $$",
                "CREATE TRIGGER chat_touch BEFORE UPDATE ON chat_messages FOR EACH ROW EXECUTE FUNCTION touch()",
                "INSERT INTO chat_messages (user_id, session_id, message_id, role, content, id, created_at, updated_at) "
                        + "SELECT gen_random_uuid(), gen_random_uuid(), 'm' || g, 'user', 'hello ' || g, gen_random_uuid(), "
                        + "timestamp '2024-01-01' + g * interval '1 hour', now() FROM generate_series(1, 3000) g");
        RangePolicy quarterly = RangePolicy.every("3 months").premake(1).naming("{table}_{yyyy}_q{q}").build();
        TableConversion conversion = new TableConversion(ConversionSpec.of(TableName.of("chat_messages"), "created_at", quarterly));
        try (Connection connection = db.connection()) {
            ConversionAnalysis analysis = conversion.analyze(connection, NOW);
            assertThat(analysis.verdict()).isEqualTo(ConversionAnalysis.Verdict.NEEDS_CHANGES);
            assertThat(analysis.changes()).extracting(ConversionAnalysis.Change::description).containsExactly(
                    "primary key chat_messages_pkey (id) becomes (id, created_at): PostgreSQL enforces uniqueness per partition, "
                            + "so it must include created_at",
                    "unique constraint chat_messages_message_id_key (message_id) becomes (message_id, created_at): PostgreSQL "
                            + "enforces uniqueness per partition, so it must include created_at");
            assertThat(analysis.changes().get(1).sql()).isEqualTo("ALTER TABLE \"public\".\"chat_messages_partitioned\" ADD "
                    + "CONSTRAINT \"chat_messages_message_id_key_pgp\" UNIQUE (message_id, \"created_at\")");
            assertThat(analysis.carried()).contains("check constraint tokens_not_negative", "index idx_chat_created_at",
                    "index idx_chat_user_id", "trigger chat_touch (moved to the partitioned table at the swap, with its enabled state)",
                    "view public.recent_chat (re-pointed at the swap)", "1 table grant and 0 column grants", "table comment");
            assertThat(analysis.rows()).isEqualTo(3000);
            assertThat(analysis.partitions()).startsWith("chat_messages_2024_q1").endsWith("chat_messages_2027_q1");
            String script = conversion.plan(connection, NOW).script();
            assertThat(script).contains("-- 1. prepare", "-- 2. copy", "-- 3. replay the change log", "-- 4. swap", "-- 5. cleanup",
                    "PARTITION BY RANGE (\"created_at\")", "CREATE TRIGGER \"pgpartition_sync\" AFTER INSERT OR UPDATE OR DELETE ON "
                            + "\"public\".\"chat_messages\"", "CREATE OR REPLACE VIEW \"public\".\"recent_chat\" AS");
            assertThat(count(connection, "SELECT count(*) FROM pg_class WHERE relname = 'chat_messages_partitioned'"))
                    .as("analyze and plan change nothing").isZero();

            assertThat(conversion.run(connection, NOW, ConversionProgress.NONE).phase()).isEqualTo(ConversionStatus.Phase.SWAPPED);
            assertThat(count(connection, "SELECT count(*) FROM chat_messages")).isEqualTo(3000);
            assertThat(strings(connection, "SELECT obj_description('chat_messages'::regclass, 'pg_class')")).containsExactly("AI chat history");
            assertThat(strings(connection, "SELECT col_description('chat_messages'::regclass, 6)")).containsExactly("what was said");
            assertThat(count(connection, "SELECT count(*) FROM information_schema.role_table_grants WHERE table_name = 'chat_messages' "
                    + "AND grantee = 'chat_reader' AND privilege_type = 'SELECT'")).isEqualTo(1);
            assertThat(strings(connection, "SELECT DISTINCT c.relname FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid "
                    + "JOIN pg_class c ON c.oid = r.ev_class WHERE d.refobjid = 'chat_messages'::regclass AND c.relname <> 'chat_messages'"))
                    .as("the view reads the partitioned table").containsExactly("recent_chat");
            assertThat(strings(connection, "SELECT tgname FROM pg_trigger WHERE tgrelid = 'chat_messages'::regclass AND NOT tgisinternal "
                    + "AND tgparentid = 0 ORDER BY 1")).containsExactly("chat_touch", "pgpartition_no_truncate", "pgpartition_sync");
            assertThat(strings(connection, "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'chat_messages'::regclass "
                    + "ORDER BY 1")).containsExactly("chat_messages_message_id_key", "chat_messages_pkey", "idx_chat_created_at",
                    "idx_chat_session_id", "idx_chat_user_id");
            assertThatThrownBy(() -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("TRUNCATE chat_messages");
                }
            }).hasMessageContaining("pgpartition: TRUNCATE of public.chat_messages refused: it is being converted to a "
                    + "partitioned table, and a truncation would not reach the other copy");
            assertThat(count(connection, "SELECT count(*) FROM recent_chat")).isEqualTo(3000);
        }
    }

    @Test
    void rollbackAfterTheSwapCarriesBackTheNewRowsAndIdentityValuesNeverCollide(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE credit_transactions (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                        + "legacy_no serial, created_at date NOT NULL, amount numeric NOT NULL)",
                "INSERT INTO credit_transactions (created_at, amount) SELECT date '2024-03-01' + g, g FROM generate_series(1, 500) g");
        ConversionSpec spec = ConversionSpec.of(TableName.of("credit_transactions"), "created_at", monthly(0, "{table}_{yyyy}_{MM}"));
        try (Connection connection = db.connection()) {
            new TableConversion(spec).run(connection, NOW, ConversionProgress.NONE);
            db.execute("INSERT INTO credit_transactions (created_at, amount) VALUES ('2026-11-02', 1001), ('2026-11-03', 1002)",
                    "UPDATE credit_transactions SET amount = -1 WHERE id = 1", "DELETE FROM credit_transactions WHERE id = 2");
            assertThat(strings(connection, "SELECT id || ':' || legacy_no FROM credit_transactions WHERE amount > 1000 ORDER BY id"))
                    .as("identity and serial continue after the swap").containsExactly("501:501", "502:502");
            new TableConversion(spec).rollback(connection);
            assertThat(count(connection, "SELECT count(*) FROM pg_partitioned_table WHERE partrelid = 'credit_transactions'::regclass"))
                    .as("the plain table is back").isZero();
            assertThat(strings(connection, "SELECT id || ':' || amount FROM credit_transactions WHERE id IN (1, 2) OR amount > 1000 "
                    + "ORDER BY id")).as("the writes after the swap are carried back").containsExactly("1:-1", "501:1001", "502:1002");
            db.execute("INSERT INTO credit_transactions (created_at, amount) VALUES ('2026-11-04', 1003)");
            assertThat(strings(connection, "SELECT id || ':' || legacy_no FROM credit_transactions WHERE amount = 1003"))
                    .as("and continue after the rollback").containsExactly("503:503");
            assertThat(count(connection, "SELECT count(*) FROM pg_class WHERE relname IN ('credit_transactions_partitioned', "
                    + "'credit_transactions_old')")).isZero();
            assertThat(new TableConversion(spec).status(connection).phase()).isEqualTo(ConversionStatus.Phase.NONE);
        }
    }

    @Test
    void hostileNamesAndAnotherSchema(TestDatabase db) throws SQLException {
        String schema = "my \"odd\" schema";
        String table = "Order \"Lines\" with a name that is long enough to hit the limit";
        db.execute("CREATE SCHEMA \"my \"\"odd\"\" schema\"",
                "CREATE TABLE \"my \"\"odd\"\" schema\".\"" + table.replace("\"", "\"\"") + "\" (\"Id\" int PRIMARY KEY, "
                        + "\"Key\" int NOT NULL)",
                "INSERT INTO \"my \"\"odd\"\" schema\".\"" + table.replace("\"", "\"\"") + "\" SELECT g, g % 4 FROM generate_series(1, 100) g");
        TableConversion conversion = new TableConversion(ConversionSpec.of(TableName.of(schema, table), "Key",
                new HashPolicy(4, NamingPattern.parse("h{remainder}", "test", "naming"))));
        try (Connection connection = db.connection()) {
            assertThat(conversion.run(connection, NOW, ConversionProgress.NONE).phase()).isEqualTo(ConversionStatus.Phase.SWAPPED);
            assertThat(count(connection, "SELECT count(*) FROM \"my \"\"odd\"\" schema\".\"" + table.replace("\"", "\"\"") + "\""))
                    .isEqualTo(100);
            assertThat(strings(connection, "SELECT relname FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE "
                    + "nspname = 'my \"odd\" schema') AND relname LIKE 'Order%' AND relkind IN ('r', 'p') ORDER BY 1"))
                    .as("the retired name and the log's are cut to 63 bytes with a hash").hasSize(3)
                    .allMatch(name -> name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 63);
            conversion.cleanup(connection);
            assertThat(count(connection, "SELECT count(*) FROM pg_inherits WHERE inhparent = (SELECT c.oid FROM pg_class c JOIN pg_namespace n "
                    + "ON n.oid = c.relnamespace WHERE n.nspname = 'my \"odd\" schema' AND c.relkind = 'p')")).isEqualTo(4);
        }
    }

    @Test
    void aCopyStoppedByATerminatedBackendResumesAndTheResultIsExact(TestDatabase db) throws Exception {
        Map<Long, String> initial = events(db, "resumed", 30_000);
        ConversionSpec spec = ConversionSpec.of(TableName.of("resumed"), "at", monthly(0, "{table}_p{yyyy}{MM}")).withBatchSize(500)
                .withPause(Duration.ofMillis(5));
        try (Connection connection = db.connection(); Writers writers = new Writers(db, "resumed", initial, 1)) {
            ExecutorService runner = Executors.newSingleThreadExecutor();
            try (Connection converting = db.connection()) {
                long pid = count(converting, "SELECT pg_backend_pid()");
                AtomicLong copied = new AtomicLong();
                Future<ConversionStatus> run = runner.submit(() -> new TableConversion(spec).run(converting, NOW, new ConversionProgress() {
                    @Override
                    public void copied(long rows, long total, Duration elapsed) {
                        copied.set(rows);
                    }
                }));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (copied.get() < 5_000 && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                count(connection, "SELECT count(*) FROM (SELECT pg_terminate_backend(" + pid + ")) x");
                assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(PartitioningException.class)
                        .hasMessageContaining("The conversion of resumed stopped: ").hasMessageContaining("run it again to resume");
            } finally {
                runner.shutdownNow();
            }
            ConversionStatus stopped = new TableConversion(spec).status(connection);
            assertThat(stopped.phase()).isEqualTo(ConversionStatus.Phase.COPYING);
            assertThat(stopped.rowsCopied()).isBetween(5_000L, 29_999L);
            writers.awaitMore(writers.writes.get() + 100);
            ConversionStatus done = new TableConversion(spec).run(connection, NOW, ConversionProgress.NONE);
            assertThat(done.phase()).isEqualTo(ConversionStatus.Phase.SWAPPED);
            long until = count(connection, "SELECT copy_until[1]::bigint FROM pgpartition_conversions WHERE table_name = 'resumed'");
            long there = 30_000L + Math.max(0, until - 1_030_000L + 1);
            assertThat(done.rowsCopied()).as("nothing copied twice: at most the rows there when the trigger was made, once each")
                    .isLessThanOrEqualTo(there);
            writers.close();
            assertThat(writers.errors.get()).as("writers saw no error: " + writers.firstErrors).isZero();
            assertThat(contents(connection, "resumed")).isEqualTo(new TreeMap<>(writers.expected));
        }
    }

    @Test
    void aConversionProcessKilledMidCopyIsResumedByTheNextRunExactly(TestDatabase db) throws Exception {
        Map<Long, String> initial = events(db, "killed", 40_000);
        ConversionSpec spec = ConversionSpec.of(TableName.of("killed"), "at", monthly(0, "{table}_p{yyyy}{MM}")).withBatchSize(2_000);
        try (Connection connection = db.connection(); Writers writers = new Writers(db, "killed", initial, 1)) {
            Process process = ConversionProcess.start(db, "killed");
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && count(connection, "SELECT (to_regclass('public.pgpartition_conversions') IS NOT NULL)::int") == 0) {
                    Thread.sleep(20);
                }
                while (System.nanoTime() < deadline && count(connection, "SELECT coalesce(max(rows_copied), 0) FROM pgpartition_conversions "
                        + "WHERE table_name = 'killed'") < 4_000) {
                    Thread.sleep(10);
                }
            } finally {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            ConversionStatus killed = new TableConversion(spec).status(connection);
            assertThat(killed.phase()).as("killed while copying").isEqualTo(ConversionStatus.Phase.COPYING);
            assertThat(killed.rowsCopied()).isBetween(4_000L, 39_999L);
            ConversionStatus done = new TableConversion(spec).run(connection, NOW, ConversionProgress.NONE);
            assertThat(done.phase()).isEqualTo(ConversionStatus.Phase.SWAPPED);
            writers.close();
            assertThat(writers.errors.get()).as("writers saw no error: " + writers.firstErrors).isZero();
            assertThat(contents(connection, "killed")).isEqualTo(new TreeMap<>(writers.expected));
        }
    }

    @Test
    void aStoppedRunSaysWhetherItsStateWasKept(TestDatabase db) throws Exception {
        events(db, "stopped", 200);
        ConversionSpec spec = ConversionSpec.of(TableName.of("stopped"), "at", monthly(0, "{table}_p{yyyy}{MM}")).withBatchSize(50);
        spec = spec.withOptions(spec.options().withLockTimeout(Duration.ofMillis(100)).withAttempts(1));
        TableConversion conversion = new TableConversion(spec);
        try (Connection holder = db.connection(); Connection connection = db.connection()) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("LOCK TABLE stopped IN SHARE MODE");
            assertThatThrownBy(() -> conversion.run(connection, NOW, ConversionProgress.NONE))
                    .as("the trigger that logs the writes cannot be created while another session holds the table")
                    .isInstanceOf(PartitioningException.class)
                    .hasMessage("The conversion of stopped stopped: ERROR: canceling statement due to lock timeout (SQLSTATE 55P03). "
                            + "Nothing of it was kept: its preparation was rolled back. Fix the cause and run it again.");
            assertThat(conversion.status(connection).phase()).as("as the message says").isEqualTo(ConversionStatus.Phase.NONE);
            holder.rollback();

            ConversionProgress refuseEveryRow = new ConversionProgress() {
                @Override
                public void step(String line) {
                    if (line.startsWith("prepared ")) {
                        try (Statement statement = holder.createStatement()) {
                            statement.execute("ALTER TABLE stopped_partitioned ADD CONSTRAINT no_rows CHECK (id < 0)");
                            holder.commit();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            };
            assertThatThrownBy(() -> conversion.run(connection, NOW, refuseEveryRow))
                    .as("the copy fails on a constraint someone added to the twin")
                    .isInstanceOf(PartitioningException.class)
                    .hasMessageStartingWith("The conversion of stopped stopped: ERROR: new row for relation ")
                    .hasMessageEndingWith("(SQLSTATE 23514). Its state is recorded (prepared): run it again to resume, or roll it "
                            + "back (pgpartition convert rollback stopped).");
            assertThat(conversion.status(connection).phase()).as("as the message says").isEqualTo(ConversionStatus.Phase.PREPARED);
            holder.createStatement().execute("ALTER TABLE stopped_partitioned DROP CONSTRAINT no_rows");
            holder.commit();
            assertThat(conversion.run(connection, NOW, ConversionProgress.NONE).phase()).as("run again, it resumes")
                    .isEqualTo(ConversionStatus.Phase.SWAPPED);
            assertThat(count(connection, "SELECT count(*) FROM stopped")).isEqualTo(200);
        }
    }

    @Test
    void aSecondRunOnTheSameTableRefuses(TestDatabase db) throws Exception {
        events(db, "contended", 100);
        ConversionSpec spec = ConversionSpec.of(TableName.of("contended"), "at", monthly(0, "{table}_p{yyyy}{MM}"));
        try (Connection holder = db.connection(); Connection connection = db.connection()) {
            count(holder, "SELECT count(*) FROM (SELECT pg_advisory_lock(" + TableConversion.ADVISORY_LOCK_CLASS
                    + ", hashtext('\"public\".\"contended\"'))) x");
            assertThatThrownBy(() -> new TableConversion(spec).run(connection, NOW, ConversionProgress.NONE))
                    .isInstanceOf(PartitioningException.class).hasMessage("Another run is converting public.contended (it holds "
                            + "pg_advisory_lock(1885827171, hashtext('\"public\".\"contended\"'))). Nothing was changed. Fix: let it "
                            + "finish; pgpartition convert status shows where it stands.");
            assertThat(new TableConversion(spec).status(connection).phase()).isEqualTo(ConversionStatus.Phase.NONE);
        }
    }

    @Test
    void listConversionOfSeed000sContentItemsNamesUncoveredValuesThenConverts(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE content_items_all (id bigint PRIMARY KEY, source_type text NOT NULL, title text)",
                "INSERT INTO content_items_all SELECT g, (ARRAY['items', 'auto', 'manual'])[1 + g % 3], 't' || g FROM generate_series(1, 300) g");
        ListPolicy two = new ListPolicy(List.of(new ListPartitionSpec("content_items", List.of("items")),
                new ListPartitionSpec("content_items_auto", List.of("auto"))));
        try (Connection connection = db.connection()) {
            ConversionAnalysis blocked = new TableConversion(ConversionSpec.of(TableName.of("content_items_all"), "source_type", two))
                    .analyze(connection, NOW);
            assertThat(blocked.blockers()).containsExactly("Values of source_type in public.content_items_all have no declared "
                    + "partition: 'manual'. Fix: declare a partition for them (--list NAME=VALUE,...).");
            ListPolicy three = new ListPolicy(List.of(new ListPartitionSpec("content_items", List.of("items")),
                    new ListPartitionSpec("content_items_auto", List.of("auto")), new ListPartitionSpec("content_items_manual",
                            List.of("manual"))));
            new TableConversion(ConversionSpec.of(TableName.of("content_items_all"), "source_type", three)).run(connection, NOW,
                    ConversionProgress.NONE);
            assertThat(strings(connection, "SELECT p || ':' || n FROM (SELECT tableoid::regclass::text AS p, count(*) AS n "
                    + "FROM content_items_all GROUP BY 1) x ORDER BY 1"))
                    .containsExactly("content_items:100", "content_items_auto:100", "content_items_manual:100");
        }
    }

    @Test
    void foreignKeysDroppedWhenAskedAndEveryOneReported(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE tickets (id bigint PRIMARY KEY, created_at date NOT NULL)",
                "CREATE TABLE ticket_notes (id bigint PRIMARY KEY, ticket_id bigint CONSTRAINT notes_ticket REFERENCES tickets (id))",
                "INSERT INTO tickets SELECT g, date '2026-10-01' + g FROM generate_series(1, 20) g",
                "INSERT INTO ticket_notes SELECT g, g FROM generate_series(1, 20) g");
        ConversionSpec spec = ConversionSpec.of(TableName.of("tickets"), "created_at", monthly(0, "{table}_{yyyy}_{MM}"))
                .withForeignKeys(ConversionSpec.ForeignKeys.DROP);
        try (Connection connection = db.connection()) {
            ConversionAnalysis analysis = new TableConversion(spec).analyze(connection, NOW);
            assertThat(analysis.blockers()).isEmpty();
            assertThat(analysis.changes()).extracting(ConversionAnalysis.Change::sql)
                    .contains("ALTER TABLE \"public\".\"ticket_notes\" DROP CONSTRAINT \"notes_ticket\"");
            new TableConversion(spec).run(connection, NOW, ConversionProgress.NONE);
            assertThat(count(connection, "SELECT count(*) FROM pg_constraint WHERE conname = 'notes_ticket'")).isZero();
            assertThat(count(connection, "SELECT count(*) FROM tickets")).isEqualTo(20);
        }
    }

    @Test
    void aPartitionNameOverTheLimitIsABlocker(TestDatabase db) throws SQLException {
        events(db, "lengthy", 10);
        ConversionSpec spec = ConversionSpec.of(TableName.of("lengthy"), "at",
                monthly(0, "{table}_a_naming_pattern_long_enough_to_pass_the_limit_for_{yyyy}_{MM}"));
        try (Connection connection = db.connection()) {
            assertThat(new TableConversion(spec).analyze(connection, NOW).blockers()).containsExactly("Partition name "
                    + "\"lengthy_a_naming_pattern_long_enough_to_pass_the_limit_for_2024_01\" is 66 bytes; PostgreSQL cuts names at 63 "
                    + "bytes. Fix: choose a shorter --naming pattern.");
        }
    }

    @Test
    void foreignKeysThatIncludeTheKeyFollowTheTableThroughTheSwapAndTheRollback(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE claims_production (id bigint NOT NULL, service_from_date date NOT NULL, "
                        + "PRIMARY KEY (id, service_from_date))",
                "CREATE TABLE claim_line_items (id bigint PRIMARY KEY, claim_id bigint NOT NULL, claim_service_from_date date NOT NULL, "
                        + "CONSTRAINT line_claim FOREIGN KEY (claim_id, claim_service_from_date) REFERENCES claims_production "
                        + "(id, service_from_date) ON DELETE CASCADE)",
                "INSERT INTO claims_production SELECT g, date '2026-01-01' + g FROM generate_series(1, 50) g",
                "INSERT INTO claim_line_items SELECT g, g, date '2026-01-01' + g FROM generate_series(1, 50) g");
        RangePolicy yearly = RangePolicy.yearly().premake(1).naming("{table}_y{yyyy}").build();
        ConversionSpec spec = ConversionSpec.of(TableName.of("claims_production"), "service_from_date", yearly);
        try (Connection connection = db.connection()) {
            ConversionAnalysis analysis = new TableConversion(spec).analyze(connection, NOW);
            assertThat(analysis.verdict()).isEqualTo(ConversionAnalysis.Verdict.SAFE);
            assertThat(analysis.carried()).contains("foreign key line_claim of public.claim_line_items(claim_id, claim_service_from_date) "
                    + "(re-pointed at the partitioned table at the swap, validated after it)");
            new TableConversion(spec).run(connection, NOW, ConversionProgress.NONE);
            String references = "SELECT confrelid::regclass::text || ' ' || convalidated FROM pg_constraint WHERE conname = 'line_claim' "
                    + "AND conparentid = 0";
            assertThat(strings(connection, references)).containsExactly("claims_production true");
            assertThat(count(connection, "SELECT count(*) FROM pg_partitioned_table WHERE partrelid = 'claims_production'::regclass")).isEqualTo(1);
            db.execute("DELETE FROM claims_production WHERE id = 1");
            assertThat(count(connection, "SELECT count(*) FROM claim_line_items")).as("ON DELETE CASCADE kept").isEqualTo(49);

            new TableConversion(spec).rollback(connection);
            assertThat(strings(connection, references)).as("back on the plain table").containsExactly("claims_production true");
            assertThat(count(connection, "SELECT count(*) FROM pg_partitioned_table WHERE partrelid = 'claims_production'::regclass")).isZero();
            assertThat(count(connection, "SELECT count(*) FROM claims_production")).isEqualTo(49);

            new TableConversion(spec).run(connection, NOW, ConversionProgress.NONE);
            new TableConversion(spec).cleanup(connection);
            assertThat(strings(connection, references)).containsExactly("claims_production true");
            assertThat(count(connection, "SELECT count(*) FROM pg_class WHERE relname = 'claims_production_old'")).isZero();
        }
    }

    @Test
    void aForeignKeyOfTheTableToItselfIsABlocker(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE threads (id bigint PRIMARY KEY, parent_id bigint CONSTRAINT thread_parent REFERENCES threads (id), "
                + "at date NOT NULL)");
        try (Connection connection = db.connection()) {
            assertThat(new TableConversion(ConversionSpec.of(TableName.of("threads"), "at", monthly(0, "{table}_{yyyy}_{MM}")))
                    .analyze(connection, NOW).blockers()).containsExactly("Foreign key thread_parent of public.threads references the "
                    + "table itself (FOREIGN KEY (parent_id) REFERENCES public.threads(id)): the partitioned table would reference the original, "
                    + "which cleanup drops. Fix: drop it before the conversion and re-create it after, with at on both sides.");
        }
    }
}
