package io.pgpartition.benchmarks;

import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.guard.ServerGuard;
import io.pgpartition.model.TableName;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What the server guard costs the application: three tables of the same layout (120 monthly partitions, 200,000
 * rows), one with the guard installed, measured alternately: entity updates by surrogate id, batched entity inserts,
 * and JDBC inserts through the parent. The second unguarded table is a control: its ratio to the first shows how far
 * two identical tables differ in the same run, the noise the guard's ratio is to be read against. The guard's row
 * trigger fires only for statements that assign the key and its statement triggers only for statements naming a
 * partition, so none of these cases should pay for it.
 */
final class ServerGuardBenchmark {

    static final String NAME = "server-guard";
    private static final int ROWS = 200_000;
    private static final int OPS = 1500;
    private static final int WARMUP = 5000;
    private static final int BATCH_ROWS = 5_000;
    private static final int BATCH_WARMUP = 3;
    private static final int BATCH_ROUNDS = 60;
    private static final LocalDateTime FIRST_DAY = LocalDateTime.of(2017, 1, 1, 0, 0);

    @MappedSuperclass
    abstract static class GuardRow {
        @Id Long id;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
        @Column(nullable = false) BigDecimal amount;
    }

    @Entity(name = "OpenClaim")
    @Table(schema = "bench_guard", name = "open_claims")
    @PartitionedBy(range = "createdAt")
    static class OpenClaim extends GuardRow {
    }

    @Entity(name = "ControlClaim")
    @Table(schema = "bench_guard", name = "control_claims")
    @PartitionedBy(range = "createdAt")
    static class ControlClaim extends GuardRow {
    }

    @Entity(name = "GuardedClaim")
    @Table(schema = "bench_guard", name = "guarded_claims")
    @PartitionedBy(range = "createdAt")
    static class GuardedClaim extends GuardRow {
    }

    private ServerGuardBenchmark() {
    }

    private static LocalDateTime keyOf(long id) {
        return FIRST_DAY.plusDays(id % 3650).plusSeconds(id % 86400);
    }

    static List<Measurement> run(Connection connection, DataSource dataSource) throws Exception {
        createTables(connection);
        new ServerGuard().install(connection, List.of(TableName.of("bench_guard", "guarded_claims")));
        PGSimpleDataSource target = (PGSimpleDataSource) dataSource;
        try (SessionFactory single = RuntimeBenchmark.factory(target, true, 1, OpenClaim.class, ControlClaim.class, GuardedClaim.class);
             SessionFactory batched = RuntimeBenchmark.factory(target, true, 50, OpenClaim.class, ControlClaim.class, GuardedClaim.class)) {
            List<Measurement> results = new ArrayList<>();
            long[] next = {1};
            results.addAll(Alternation.operations(NAME, WARMUP, OPS, () -> next[0]++ * 7 % ROWS + 1,
                    new Alternation.Variant("entity update by id: no server guard (baseline)", id -> update(single, OpenClaim.class, id)),
                    new Alternation.Variant("entity update by id: control, another table without it", id -> update(single, ControlClaim.class, id)),
                    new Alternation.Variant("entity update by id: server guard installed", id -> update(single, GuardedClaim.class, id))));
            results.addAll(Alternation.operations(NAME, WARMUP, OPS, () -> next[0]++ * 7 % ROWS + 1,
                    new Alternation.Variant("JDBC update of another column by id and key: no server guard (baseline)",
                            id -> jdbcUpdate(connection, "open_claims", id)),
                    new Alternation.Variant("JDBC update of another column by id and key: control, another table without it",
                            id -> jdbcUpdate(connection, "control_claims", id)),
                    new Alternation.Variant("JDBC update of another column by id and key: server guard installed",
                            id -> jdbcUpdate(connection, "guarded_claims", id))));
            long[] newIds = {ROWS + 1};
            results.addAll(Alternation.rounds(NAME, BATCH_WARMUP, BATCH_ROUNDS,
                    new Alternation.Variant("batched entity insert 5000 rows: no server guard (baseline)",
                            round -> insert(batched, OpenClaim::new, newIds), round -> truncate(connection, "open_claims_p118")),
                    new Alternation.Variant("batched entity insert 5000 rows: control, another table without it",
                            round -> insert(batched, ControlClaim::new, newIds), round -> truncate(connection, "control_claims_p118")),
                    new Alternation.Variant("batched entity insert 5000 rows: server guard installed",
                            round -> insert(batched, GuardedClaim::new, newIds), round -> truncate(connection, "guarded_claims_p118"))));
            results.addAll(Alternation.rounds(NAME, BATCH_WARMUP, BATCH_ROUNDS,
                    new Alternation.Variant("JDBC insert 5000 rows through the parent: no server guard (baseline)",
                            round -> RuntimeBenchmark.jdbcInsert(connection, "bench_guard.open_claims", newIds), round -> truncate(connection, "open_claims_p118")),
                    new Alternation.Variant("JDBC insert 5000 rows through the parent: control, another table without it",
                            round -> RuntimeBenchmark.jdbcInsert(connection, "bench_guard.control_claims", newIds), round -> truncate(connection, "control_claims_p118")),
                    new Alternation.Variant("JDBC insert 5000 rows through the parent: server guard installed",
                            round -> RuntimeBenchmark.jdbcInsert(connection, "bench_guard.guarded_claims", newIds), round -> truncate(connection, "guarded_claims_p118"))));
            return results;
        }
    }

    private static void update(SessionFactory factory, Class<? extends GuardRow> type, long id) {
        factory.inTransaction(s -> {
            GuardRow row = s.createQuery("from " + type.getSimpleName() + " where id = :id and createdAt = :key", type)
                    .setParameter("id", id).setParameter("key", keyOf(id)).getSingleResult();
            row.amount = row.amount.add(BigDecimal.ONE);
        });
    }

    /** An update that leaves the key alone and does not name it, as hand-written SQL does: the key trigger still runs. */
    private static void jdbcUpdate(Connection connection, String table, long id) throws Exception {
        try (java.sql.PreparedStatement statement = connection.prepareStatement("UPDATE bench_guard." + table
                + " SET amount = amount + 1 WHERE id = ? AND created_at = ?")) {
            statement.setLong(1, id);
            statement.setObject(2, keyOf(id));
            statement.executeUpdate();
        }
    }

    private static void insert(SessionFactory factory, java.util.function.Supplier<? extends GuardRow> rows, long[] nextId) {
        factory.inTransaction(s -> {
            for (int i = 0; i < BATCH_ROWS; i++) {
                GuardRow row = rows.get();
                row.id = nextId[0]++;
                row.createdAt = LocalDateTime.of(2026, 11, 1, 0, 0).plusMinutes(i);
                row.amount = BigDecimal.TEN;
                s.persist(row);
            }
        });
    }

    /** Empties the partition the inserts go to, with the guard's bypass: the guard refuses a TRUNCATE naming a partition. */
    private static void truncate(Connection connection, String partition) throws Exception {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL pgpartition.bypass = on");
            statement.execute("TRUNCATE bench_guard." + partition);
            connection.commit();
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Three identical tables of 120 monthly partitions from January 2017 and 200,000 rows each. */
    private static void createTables(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS bench_guard CASCADE");
            statement.execute("CREATE SCHEMA bench_guard");
            for (String table : List.of("open_claims", "control_claims", "guarded_claims")) {
                statement.execute("CREATE TABLE bench_guard." + table + " (id bigint NOT NULL, created_at timestamp NOT NULL, "
                        + "amount numeric(12, 2) NOT NULL, PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at)");
                statement.execute("DO $$ BEGIN FOR m IN 0..119 LOOP EXECUTE format('CREATE TABLE bench_guard." + table
                        + "_p%s PARTITION OF bench_guard." + table + " FOR VALUES FROM (%L) TO (%L)', m, "
                        + "date '2017-01-01' + make_interval(months => m), date '2017-01-01' + make_interval(months => m + 1)); END LOOP; END $$");
                statement.execute("INSERT INTO bench_guard." + table + " SELECT g, timestamp '2017-01-01' + (g % 3650) * interval '1 day' "
                        + "+ (g % 86400) * interval '1 second', (g % 1000)::numeric FROM generate_series(1, " + ROWS + ") g");
                statement.execute("VACUUM ANALYZE bench_guard." + table);
            }
        }
    }
}
