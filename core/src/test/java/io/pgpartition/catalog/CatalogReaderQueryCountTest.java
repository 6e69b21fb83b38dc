package io.pgpartition.catalog;

import io.pgpartition.model.TableName;
import io.pgpartition.support.CountingConnection;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reader's round trips do not grow with tables or partitions (not timed: counts statements executed).
 */
@PostgresTest
class CatalogReaderQueryCountTest {

    private static final int TABLES = 20;

    @BeforeAll
    static void createTables(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            for (int t = 0; t < TABLES; t++) {
                statement.execute("CREATE TABLE t" + t + " (id bigint NOT NULL, day date NOT NULL, PRIMARY KEY (id, day)) PARTITION BY RANGE (day)");
            }
            statement.execute("CREATE TABLE ref_t0 (id bigint PRIMARY KEY, t_id bigint, t_day date, FOREIGN KEY (t_id, t_day) REFERENCES t0 (id, day))");
            statement.execute("CREATE TABLE one (id bigint NOT NULL, day date NOT NULL, PRIMARY KEY (id, day)) PARTITION BY RANGE (day)");
            statement.execute("CREATE TABLE one_p0 PARTITION OF one FOR VALUES FROM ('2000-01-01') TO ('2000-01-02')");
            statement.execute("CREATE TABLE many (id bigint NOT NULL, day date NOT NULL, PRIMARY KEY (id, day)) PARTITION BY RANGE (day)");
            LocalDate day = LocalDate.of(2000, 1, 1);
            for (int p = 0; p < 500; p++) {
                statement.execute("CREATE TABLE many_p" + p + " PARTITION OF many FOR VALUES FROM ('" + day.plusDays(p)
                        + "') TO ('" + day.plusDays(p + 1) + "')");
            }
            connection.commit();
        }
    }

    @Test
    void queriesStayConstantFromOneToFiveHundredPartitions(TestDatabase db) throws SQLException {
        try (Connection raw = db.connection()) {
            CountingConnection counting = new CountingConnection(raw);
            CatalogReader reader = new CatalogReader();

            int first = count(counting, () -> reader.read(counting.connection(), List.of(TableName.of("one"))));
            int onePartition = count(counting, () -> reader.read(counting.connection(), List.of(TableName.of("one"))));
            CatalogSnapshot many = reader.read(counting.connection(), List.of(TableName.of("many")));
            int fiveHundred = count(counting, () -> reader.read(counting.connection(), List.of(TableName.of("many"))));

            assertThat(many.partitionedTable(TableName.of("many")).orElseThrow().partitions())
                    .as("all 500 partitions are read").hasSize(500);
            assertThat(fiveHundred).as("statements for 500 partitions equal those for 1").isEqualTo(onePartition);
            assertThat(onePartition).as("a read is six statements").isEqualTo(6);
            assertThat(first).as("the first read of a reader also checks the server version, once").isEqualTo(7);
        }
    }

    @Test
    void queriesStayConstantFromOneToManyTables(TestDatabase db) throws SQLException {
        try (Connection raw = db.connection()) {
            CountingConnection counting = new CountingConnection(raw);
            CatalogReader reader = new CatalogReader();
            List<TableName> all = new ArrayList<>();
            for (int t = 0; t < TABLES; t++) {
                all.add(TableName.of("t" + t));
            }
            all.add(TableName.of("many"));

            reader.read(counting.connection(), List.of());
            int oneTable = count(counting, () -> reader.read(counting.connection(), List.of(TableName.of("t0"))));
            int manyTables = count(counting, () -> reader.read(counting.connection(), all));
            int everything = count(counting, () -> reader.readAllPartitioned(counting.connection()));

            assertThat(manyTables).as("statements for %d tables equal those for 1", all.size()).isEqualTo(oneTable);
            assertThat(everything).as("reading every partitioned table costs the same").isEqualTo(oneTable);
        }
    }

    @Test
    void aLayoutReadIsThreeStatementsAndGivesTheSameLayouts(TestDatabase db) throws SQLException {
        try (Connection raw = db.connection()) {
            CountingConnection counting = new CountingConnection(raw);
            CatalogReader reader = new CatalogReader();
            List<TableName> tables = List.of(TableName.of("many"), TableName.of("t0"), TableName.of("missing"));
            CatalogSnapshot full = reader.read(counting.connection(), tables);

            counting.reset();
            CatalogSnapshot layouts = reader.readLayouts(counting.connection(), tables);

            assertThat(counting.executions()).as("resolve, relations, keys: no columns, constraints or foreign keys").isEqualTo(3);
            for (TableName table : tables) {
                assertThat(layouts.partitionedTable(table)).as("layout of %s", table).isEqualTo(full.partitionedTable(table));
                assertThat(layouts.relation(table).map(Relation::kind)).as("kind of %s", table)
                        .isEqualTo(full.relation(table).map(Relation::kind));
            }
            Relation t0 = layouts.relation(TableName.of("t0")).orElseThrow();
            Relation fullT0 = full.relation(TableName.of("t0")).orElseThrow();
            assertThat(fullT0.columns()).as("the full read has columns").hasSize(2);
            assertThat(fullT0.uniqueConstraints()).as("the full read has the primary key").hasSize(1);
            assertThat(fullT0.referencedBy()).as("the full read has the foreign key of ref_t0").hasSize(1);
            assertThat(t0.columns()).as("columns are not read").isEmpty();
            assertThat(t0.uniqueConstraints()).as("constraints are not read").isEmpty();
            assertThat(t0.referencedBy()).as("foreign keys are not read").isEmpty();
        }
    }

    @Test
    void readingTakesNoLockOnAnyPartition(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            CatalogSnapshot snapshot = new CatalogReader().read(connection, List.of(TableName.of("many")));
            assertThat(snapshot.partitionedTable(TableName.of("many")).orElseThrow().partitions()).as("read").hasSize(500);
            try (java.sql.ResultSet rs = statement.executeQuery("""
                    SELECT count(*) FROM pg_catalog.pg_locks l
                      JOIN pg_catalog.pg_inherits i ON i.inhrelid = l.relation
                     WHERE l.pid = pg_catalog.pg_backend_pid() AND i.inhparent = 'many'::regclass""")) {
                rs.next();
                assertThat(rs.getInt(1))
                        .as("no partition is locked: a lock per partition would exhaust a default lock table on large layouts")
                        .isZero();
            }
            connection.rollback();
        }
    }

    private static int count(CountingConnection counting, Runnable read) {
        counting.reset();
        read.run();
        return counting.executions();
    }
}
