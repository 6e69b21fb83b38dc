package io.pgpartition.benchmarks;

import io.pgpartition.annotations.DistributedBy;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.hibernate.PartitionedFinder;
import io.pgpartition.benchmarks.Alternation.Variant;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Entity update by id on a Citus distributed table (seed 002's {@code event_impressions} distributed by tenant over 32
 * shards, twelve monthly partitions, 240,000 rows): pgpartition with {@code @DistributedBy} (the UPDATE names the
 * partition key and the tenant) against the same SQL written by hand, and against plain Hibernate with the tenant
 * {@code updatable = false} (load and update by id alone). Needs a Citus coordinator: {@code --url} and
 * {@code --only citus}. Prints the Citus task count of each case's UPDATE, from {@code EXPLAIN}.
 */
final class CitusBenchmark {

    static final String NAME = "citus";
    private static final int ROWS = 240_000;
    private static final int TENANTS = 40;
    private static final int OPS = 1000;
    private static final int WARMUP = 3000;
    private static final Instant FIRST = Instant.parse("2026-01-01T00:00:00Z");

    /** The impression as pgpartition maps it: range by time, distributed by tenant. */
    @Entity(name = "CitusImpression")
    @Table(name = "citus_bench_impressions")
    @PartitionedBy(range = "createdAt")
    @DistributedBy("tenantId")
    public static class CitusImpression {
        @Id public Long id;
        @Column(name = "tenant_id", nullable = false) public Long tenantId;
        @Column(name = "event_id", nullable = false) public Long eventId;
        @Column(name = "created_at", nullable = false) public Instant createdAt;
    }

    /** The same table as plain Hibernate maps it when the tenant must not be updated. */
    @Entity(name = "PlainCitusImpression")
    @Table(name = "citus_bench_impressions")
    public static class PlainCitusImpression {
        @Id public Long id;
        @Column(name = "tenant_id", nullable = false, updatable = false) public Long tenantId;
        @Column(name = "event_id", nullable = false) public Long eventId;
        @Column(name = "created_at", nullable = false, updatable = false) public Instant createdAt;
    }

    private CitusBenchmark() {
    }

    static long tenantOf(long id) {
        return 1 + id % TENANTS;
    }

    static Instant createdAtOf(long id) {
        return FIRST.plusSeconds(id * 120);
    }

    static List<Measurement> run(Connection connection, DataSource dataSource) throws Exception {
        PGSimpleDataSource target = (PGSimpleDataSource) dataSource;
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS citus_bench_impressions");
            statement.execute("CREATE TABLE citus_bench_impressions (id bigint NOT NULL, tenant_id bigint NOT NULL, "
                    + "event_id bigint NOT NULL, created_at timestamptz NOT NULL, PRIMARY KEY (id, created_at, tenant_id)) "
                    + "PARTITION BY RANGE (created_at)");
            for (int month = 0; month < 12; month++) {
                statement.execute(String.format("CREATE TABLE citus_bench_impressions_m%02d PARTITION OF citus_bench_impressions "
                        + "FOR VALUES FROM ('2026-01-01'::timestamptz + interval '%d months') TO ('2026-01-01'::timestamptz + interval '%d months')",
                        month + 1, month, month + 1));
            }
            statement.execute("SELECT create_distributed_table('citus_bench_impressions', 'tenant_id', shard_count => 32)");
            statement.execute("INSERT INTO citus_bench_impressions SELECT i, 1 + i % " + TENANTS + ", i, "
                    + "timestamptz '2026-01-01' + i * interval '120 seconds' FROM generate_series(1, " + ROWS + ") i");
            statement.execute("ANALYZE citus_bench_impressions");
        }
        long[] next = {1};
        try (SessionFactory library = RuntimeBenchmark.factory(target, true, 0, CitusImpression.class);
             SessionFactory plain = RuntimeBenchmark.factory(target, false, 0, PlainCitusImpression.class);
             Connection jdbc = target.getConnection();
             PreparedStatement update = jdbc.prepareStatement(
                     "UPDATE citus_bench_impressions SET event_id = event_id + 1 WHERE id = ? AND created_at = ? AND tenant_id = ?");
             PreparedStatement select = jdbc.prepareStatement(
                     "SELECT event_id FROM citus_bench_impressions WHERE id = ? AND created_at = ? AND tenant_id = ?");
             PreparedStatement write = jdbc.prepareStatement(
                     "UPDATE citus_bench_impressions SET event_id = ? WHERE id = ? AND created_at = ? AND tenant_id = ?")) {
            System.out.println("citus: Citus tasks of each case's UPDATE (EXPLAIN): hand-written "
                    + tasks(jdbc, "UPDATE citus_bench_impressions SET event_id = event_id + 1 WHERE id = 7 AND created_at = '"
                    + createdAtOf(7) + "' AND tenant_id = " + tenantOf(7))
                    + ", pgpartition " + tasks(jdbc, "UPDATE citus_bench_impressions SET event_id = 8 WHERE id = 7 AND created_at = '"
                    + createdAtOf(7) + "' AND tenant_id = " + tenantOf(7))
                    + ", plain Hibernate " + tasks(jdbc, "UPDATE citus_bench_impressions SET event_id = 8 WHERE id = 7"));
            List<Measurement> results = new ArrayList<>();
            results.addAll(Alternation.operations(NAME, WARMUP, OPS, () -> next[0]++ % ROWS + 1,
                    new Variant("update by id: hand-written UPDATE naming key and tenant, JDBC (baseline)", id -> {
                        bind(update, 1, id);
                        update.executeUpdate();
                    }),
                    new Variant("update by id: hand-written SELECT and UPDATE naming key and tenant, JDBC", id -> {
                        jdbc.setAutoCommit(false);
                        bind(select, 1, id);
                        long event;
                        try (ResultSet rs = select.executeQuery()) {
                            rs.next();
                            event = rs.getLong(1);
                        }
                        write.setLong(1, event + 1);
                        bind(write, 2, id);
                        write.executeUpdate();
                        jdbc.commit();
                        jdbc.setAutoCommit(true);
                    }),
                    new Variant("update by id: pgpartition entity (@DistributedBy, loaded by PartitionedFinder)", id -> library.inTransaction(s -> {
                        CitusImpression impression = PartitionedFinder.find(s, CitusImpression.class, id, createdAtOf(id), tenantOf(id));
                        impression.eventId = impression.eventId + 1;
                    })),
                    new Variant("update by id: plain Hibernate (tenant updatable = false, em.find by id)", id -> plain.inTransaction(s -> {
                        PlainCitusImpression impression = s.find(PlainCitusImpression.class, id);
                        impression.eventId = impression.eventId + 1;
                    }))));
            return results;
        } finally {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS citus_bench_impressions");
            }
        }
    }

    private static void bind(PreparedStatement statement, int first, long id) throws SQLException {
        statement.setLong(first, id);
        statement.setTimestamp(first + 1, Timestamp.from(createdAtOf(id)));
        statement.setLong(first + 2, tenantOf(id));
    }

    private static String tasks(Connection connection, String update) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("EXPLAIN (COSTS OFF) " + update)) {
            while (rs.next()) {
                String line = rs.getString(1).trim();
                if (line.startsWith("Task Count: ")) {
                    return line.substring("Task Count: ".length());
                }
            }
        }
        return "?";
    }
}
