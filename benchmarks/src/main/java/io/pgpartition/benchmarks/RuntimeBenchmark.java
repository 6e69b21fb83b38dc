package io.pgpartition.benchmarks;

import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.hibernate.PartitionedFinder;
import io.pgpartition.hibernate.PartitioningSettings;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Table;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.annotations.PartitionKey;
import org.hibernate.cfg.Configuration;
import org.postgresql.ds.PGSimpleDataSource;
import io.pgpartition.benchmarks.Alternation.Op;
import io.pgpartition.benchmarks.Alternation.Variant;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Run-time costs on a RANGE table of 1,000,000 rows in two layouts. With 120 monthly partitions: entity update and
 * delete by surrogate id and load by id plus key, each measured twice, first against the floor (Hibernate's own
 * {@code @PartitionKey}, the same SQL through a Hibernate session, hand-written JDBC), then against plain Hibernate
 * (update and delete by id alone, {@code em.find}), whose unpruned statements are kept out of the floor's alternation
 * and measured over fewer operations; batched inserts and updates
 * (plain vs pgpartition with every guard on), and inserts through the parent vs into the partition; insert rounds
 * start on an emptied partition. With 1,000 daily partitions, where an unpruned statement's cost grows with the
 * partition count: the update, delete and load cases again.
 */
final class RuntimeBenchmark {

    static final String NAME = "runtime";
    private static final int ROWS = 1_000_000;
    private static final int OPS = 1500;
    /**
     * Warm-up operations per variant. Hibernate's per-transaction paths need several thousand runs before the JIT
     * has compiled them fully; with 500 the entity variants still ran 1.2× slower than after 3,000.
     */
    private static final int WARMUP = 5000;
    /**
     * Warm-up and measured operations of the alternations against plain Hibernate, whose unpruned statements take up
     * to 30 ms at 1,000 partitions and whose ratios are an order of magnitude from one: they run after the floor's
     * alternation of the same case, on code that alternation has warmed.
     */
    private static final int UNPRUNED_WARMUP = 300;
    private static final int UNPRUNED_OPS = 300;
    private static final int BATCH_ROWS = 5_000;
    private static final int UPDATE_BATCH_ROWS = 1_000;
    private static final int BATCH_WARMUP = 3;
    /**
     * Rounds of each batch case: a round's time spreads (p95 1.5-1.9x the median) wider than the gap measured, hence
     * many; with 160 the batched insert's median still moved by 2% between runs of the same build.
     */
    private static final int BATCH_ROUNDS = 300;
    /** Rounds of the batched update, whose plain-Hibernate rounds take seconds each and whose ratio is far from one. */
    private static final int UPDATE_BATCH_ROUNDS = 40;
    private static final LocalDateTime FIRST_DAY = LocalDateTime.of(2017, 1, 1, 0, 0);

    /** A layout of the table: how many partitions, each how long, over how many days the rows' keys spread. */
    private record Layout(String label, int partitions, String step, int keyDays) {
    }

    private static final Layout MONTHLY = new Layout("120 monthly partitions", 120, "months", 3650);
    private static final Layout DAILY = new Layout("1,000 daily partitions", 1000, "days", 1000);

    /** The layout the table has now; {@link #keyOf} spreads keys over its days. */
    private static Layout layout = MONTHLY;

    /** What the two mappings of the table share. */
    @MappedSuperclass
    abstract static class ClaimRow {
        @Id Long id;
        @Column(nullable = false) BigDecimal amount;
    }

    @Entity(name = "BenchClaim")
    @Table(schema = "bench_runtime", name = "claims")
    @PartitionedBy(range = "createdAt")
    static class BenchClaim extends ClaimRow {
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
    }

    /**
     * The same table under plain Hibernate with its own {@code @PartitionKey} on the key, which puts the key in entity
     * UPDATE and DELETE too, without any of pgpartition's guards: what pgpartition's entity update costs beyond the
     * best plain Hibernate can do.
     */
    @Entity(name = "KeyedClaim")
    @Table(schema = "bench_runtime", name = "claims")
    static class KeyedClaim extends ClaimRow {
        @PartitionKey @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
    }

    private RuntimeBenchmark() {
    }

    /** The key of a seeded row, as the setup computes it. */
    private static LocalDateTime keyOf(long id) {
        return FIRST_DAY.plusDays(id % layout.keyDays()).plusSeconds(id % 86400);
    }

    /** Only the batched-insert cases on the monthly layout: {@code --only runtime-insert}, for profiling the insert path. */
    static final String INSERT_ONLY = "runtime-insert";

    static List<Measurement> runInsertsOnly(Connection connection, DataSource dataSource) throws Exception {
        layout = MONTHLY;
        createTable(connection);
        PGSimpleDataSource target = (PGSimpleDataSource) dataSource;
        try (SessionFactory libraryBatched = factory(target, true, 50, BenchClaim.class);
             SessionFactory plainBatched = factory(target, false, 50, BenchClaim.class)) {
            long[] newIds = {ROWS + 1};
            Op emptyTarget = round -> truncate(connection, "bench_runtime.claims_p118");
            return alternateRounds(
                    new Variant("batched insert 5000 rows: plain Hibernate (baseline)", round -> batch(plainBatched, newIds), emptyTarget),
                    new Variant("batched insert 5000 rows: pgpartition", round -> batch(libraryBatched, newIds), emptyTarget));
        }
    }

    /**
     * The unpruned-statement sentinel's cost: {@code --only sentinel}. The runtime cases on the monthly layout with
     * {@code pgpartition.unpruned_statements} off and at {@code log}, alternated, after the warm-up (each distinct text
     * is explained once, during it); then how many statements the sentinel explained against the distinct texts it saw.
     */
    static final String SENTINEL = "sentinel";

    static List<Measurement> runSentinel(Connection connection, DataSource dataSource) throws Exception {
        layout = MONTHLY;
        createTable(connection);
        PGSimpleDataSource target = (PGSimpleDataSource) dataSource;
        java.util.Map<String, String> log = java.util.Map.of(PartitioningSettings.UNPRUNED_STATEMENTS, "log");
        try (SessionFactory off = factory(target, true, 1, java.util.Map.of(), BenchClaim.class);
             SessionFactory watched = factory(target, true, 1, log, BenchClaim.class);
             SessionFactory offBatched = factory(target, true, 50, java.util.Map.of(), BenchClaim.class);
             SessionFactory watchedBatched = factory(target, true, 50, log, BenchClaim.class)) {
            List<Measurement> results = new ArrayList<>();
            long[] next = {1};
            results.addAll(Alternation.operations(SENTINEL, WARMUP, OPS, () -> next[0]++ * 7 % ROWS + 1,
                    new Variant("update by id: sentinel off (baseline)", id -> update(off, BenchClaim.class, id)),
                    new Variant("update by id: sentinel log", id -> update(watched, BenchClaim.class, id))));
            results.addAll(Alternation.operations(SENTINEL, WARMUP, OPS, () -> next[0]++ * 7 % ROWS + 1,
                    new Variant("delete by id: sentinel off (baseline)", id -> delete(off, BenchClaim.class, id)),
                    new Variant("delete by id: sentinel log", id -> delete(watched, BenchClaim.class, id))));
            results.addAll(Alternation.operations(SENTINEL, WARMUP, OPS, () -> next[0]++ * 7 % ROWS + 1,
                    new Variant("load by id and key: sentinel off (baseline)",
                            id -> off.inTransaction(s -> PartitionedFinder.find(s, BenchClaim.class, id, keyOf(id)))),
                    new Variant("load by id and key: sentinel log",
                            id -> watched.inTransaction(s -> PartitionedFinder.find(s, BenchClaim.class, id, keyOf(id))))));
            long[] newIds = {ROWS + 1};
            Op emptyTarget = round -> truncate(connection, "bench_runtime.claims_p118");
            results.addAll(Alternation.rounds(SENTINEL, BATCH_WARMUP, BATCH_ROUNDS,
                    new Variant("batched insert 5000 rows: sentinel off (baseline)", round -> batch(offBatched, newIds), emptyTarget),
                    new Variant("batched insert 5000 rows: sentinel log", round -> batch(watchedBatched, newIds), emptyTarget)));
            for (SessionFactory factory : List.of(watched, watchedBatched)) {
                io.pgpartition.pruning.internal.Sentinel sentinel = ((org.hibernate.engine.spi.SessionFactoryImplementor) factory)
                        .getServiceRegistry().requireService(org.hibernate.engine.jdbc.connections.spi.ConnectionProvider.class)
                        .unwrap(io.pgpartition.hibernate.internal.jdbc.GuardedConnectionProvider.class).guard().sentinel();
                System.out.println("sentinel (" + (factory == watched ? "batch size 1" : "batch size 50") + "): "
                        + sentinel.explained() + " statements explained, " + sentinel.judged().size() + " distinct texts seen: "
                        + sentinel.judged());
            }
            return results;
        }
    }

    /**
     * One case alone, for a profiler: {@code --only runtime-profile:CASE:SIDE} with CASE one of {@code update},
     * {@code delete}, {@code load}, {@code insert} and SIDE {@code pgpartition} or {@code floor} (Hibernate's own
     * {@code @PartitionKey} for update and delete, the finder's SQL through a session for load, plain Hibernate for
     * insert), on the monthly layout: the warm-up, then the case run over and over for {@value #PROFILE_SECONDS}
     * seconds, so that a recording started with the JVM ({@code -XX:StartFlightRecording}) is mostly that case.
     */
    static final String PROFILE = "runtime-profile";
    private static final int PROFILE_SECONDS = 60;

    static List<Measurement> runProfile(Connection connection, DataSource dataSource, String spec) throws Exception {
        String[] parts = spec.split(":");
        if (parts.length != 3 || !List.of("update", "delete", "load", "insert").contains(parts[1])
                || !List.of("pgpartition", "floor").contains(parts[2])) {
            throw new IllegalArgumentException("--only " + PROFILE + ":update|delete|load|insert:pgpartition|floor, got " + spec);
        }
        layout = MONTHLY;
        createTable(connection);
        PGSimpleDataSource target = (PGSimpleDataSource) dataSource;
        boolean library = parts[2].equals("pgpartition");
        try (SessionFactory factory = parts[1].equals("insert") ? factory(target, library, 50, BenchClaim.class)
                : library || parts[1].equals("load") ? factory(target, true, 1, BenchClaim.class)
                : factory(target, false, 1, KeyedClaim.class)) {
            long[] next = {1};
            Op op = switch (parts[1]) {
                case "update" -> id -> update(factory, library ? BenchClaim.class : KeyedClaim.class, id);
                case "delete" -> id -> delete(factory, library ? BenchClaim.class : KeyedClaim.class, id);
                case "load" -> library
                        ? id -> factory.inTransaction(s -> PartitionedFinder.find(s, BenchClaim.class, id, keyOf(id)))
                        : id -> nativeLoad(factory, id);
                default -> round -> {
                    truncate(connection, "bench_runtime.claims_p118");
                    batch(factory, next);
                };
            };
            boolean rounds = parts[1].equals("insert");
            for (int i = 0; i < (rounds ? BATCH_WARMUP * 10 : WARMUP); i++) {
                op.run(next[0]++ * 7 % ROWS + 1);
            }
            int count = 0;
            long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(PROFILE_SECONDS);
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                op.run(next[0]++ * 7 % ROWS + 1);
                count++;
            }
            double[] mean = {(System.nanoTime() - start) / 1_000_000.0 / count};
            return List.of(new Measurement(NAME, spec + " (mean of " + count + ")", mean));
        }
    }

    /**
     * What an unpruned case does to the cases measured beside it: {@code --only runtime-order}. The update cases on the
     * monthly layout, each of pgpartition, Hibernate's {@code @PartitionKey} and the same SQL through a session
     * alternated with plain Hibernate's unpruned update by id alone, then the three alternated without it, in the order
     * reversed every other turn as this benchmark once measured.
     */
    static final String ORDER = "runtime-order";

    static List<Measurement> runOrder(Connection connection, DataSource dataSource) throws Exception {
        layout = MONTHLY;
        createTable(connection);
        PGSimpleDataSource target = (PGSimpleDataSource) dataSource;
        try (SessionFactory library = factory(target, true, 1, BenchClaim.class); SessionFactory plain = factory(target, false, 1, BenchClaim.class);
             SessionFactory keyed = factory(target, false, 1, KeyedClaim.class)) {
            List<Measurement> results = new ArrayList<>();
            long[] next = {1};
            Variant baseline = new Variant("update by id: plain Hibernate (baseline)", id -> update(plain, BenchClaim.class, id));
            Variant pgpartition = new Variant("update by id: pgpartition", id -> update(library, BenchClaim.class, id));
            Variant partitionKey = new Variant("update by id: plain Hibernate with its @PartitionKey, no pgpartition",
                    id -> update(keyed, KeyedClaim.class, id));
            Variant session = new Variant("update by id: same SQL through a Hibernate session", id -> nativeUpdate(library, id));
            try {
                Alternation.order = Alternation.Order.REVERSED;
                results.addAll(renamed("[with the baseline] ", alternate(next, baseline, pgpartition)));
                results.addAll(renamed("[with the baseline] ", alternate(next, baseline, partitionKey)));
                results.addAll(renamed("[with the baseline] ", alternate(next, baseline, session)));
                results.addAll(renamed("[without it] ", alternate(next, pgpartition, partitionKey, session)));
            } finally {
                Alternation.order = Alternation.Order.SHUFFLED;
            }
            return results;
        }
    }

    private static List<Measurement> renamed(String prefix, List<Measurement> measured) {
        return measured.stream().map(m -> new Measurement(m.benchmark(), prefix + m.name(), m.millis())).toList();
    }

    static List<Measurement> run(Connection connection, DataSource dataSource) throws Exception {
        List<Measurement> results = new ArrayList<>(run(connection, dataSource, MONTHLY));
        results.addAll(run(connection, dataSource, DAILY));
        return results;
    }

    private static List<Measurement> run(Connection connection, DataSource dataSource, Layout chosen) throws Exception {
        layout = chosen;
        createTable(connection);
        String in = "[" + chosen.label() + "] ";
        PGSimpleDataSource target = (PGSimpleDataSource) dataSource;
        try (SessionFactory library = factory(target, true, 1, BenchClaim.class); SessionFactory plain = factory(target, false, 1, BenchClaim.class);
             SessionFactory keyed = factory(target, false, 1, KeyedClaim.class);
             SessionFactory libraryBatched = factory(target, true, 50, BenchClaim.class);
             SessionFactory plainBatched = factory(target, false, 50, BenchClaim.class)) {
            List<Measurement> results = new ArrayList<>();
            long[] next = {1};
            // each operation twice: against its floor, then against plain Hibernate, whose unpruned statements pgpartition
            // spares (a case run right after an unpruned statement runs slower, so they are not alternated with the floor)
            results.addAll(alternate(next,
                    new Variant(in + "update by id: plain Hibernate with its @PartitionKey, no pgpartition (baseline)",
                            id -> update(keyed, KeyedClaim.class, id)),
                    new Variant(in + "update by id: pgpartition, every guard on", id -> update(library, BenchClaim.class, id)),
                    new Variant(in + "update by id: same SQL through a Hibernate session", id -> nativeUpdate(library, id)),
                    new Variant(in + "update by id: SQL with the key", id -> sqlUpdate(connection, id))));
            results.addAll(alternateUnpruned(next,
                    new Variant(in + "update by id: plain Hibernate (baseline)", id -> update(plain, BenchClaim.class, id)),
                    new Variant(in + "update by id: pgpartition", id -> update(library, BenchClaim.class, id))));
            results.addAll(alternate(next,
                    new Variant(in + "delete by id: plain Hibernate with its @PartitionKey, no pgpartition (baseline)",
                            id -> delete(keyed, KeyedClaim.class, id)),
                    new Variant(in + "delete by id: pgpartition, every guard on", id -> delete(library, BenchClaim.class, id)),
                    new Variant(in + "delete by id: same SQL through a Hibernate session", id -> nativeDelete(library, id)),
                    new Variant(in + "delete by id: SQL with the key", id -> sqlDelete(connection, id))));
            results.addAll(alternateUnpruned(next,
                    new Variant(in + "delete by id: plain Hibernate (baseline)", id -> delete(plain, BenchClaim.class, id)),
                    new Variant(in + "delete by id: pgpartition", id -> delete(library, BenchClaim.class, id))));
            results.addAll(alternate(next,
                    new Variant(in + "load: the finder's SQL through a Hibernate session (baseline)", id -> nativeLoad(library, id)),
                    new Variant(in + "load: PartitionedFinder by id and key, every guard on",
                            id -> library.inTransaction(s -> PartitionedFinder.find(s, BenchClaim.class, id, keyOf(id)))),
                    new Variant(in + "load: SQL select by id and key", id -> sqlSelect(connection, id))));
            results.addAll(alternateUnpruned(next,
                    new Variant(in + "load: em.find by id (baseline)", id -> library.inTransaction(s -> s.find(BenchClaim.class, id))),
                    new Variant(in + "load: PartitionedFinder by id and key",
                            id -> library.inTransaction(s -> PartitionedFinder.find(s, BenchClaim.class, id, keyOf(id))))));
            if (chosen != MONTHLY) {
                return results;
            }
            long[] newIds = {ROWS + 1};
            Op emptyTarget = round -> truncate(connection, "bench_runtime.claims_p118");
            results.addAll(alternateRounds(
                    new Variant(in + "batched insert 5000 rows: plain Hibernate (baseline)", round -> batch(plainBatched, newIds), emptyTarget),
                    new Variant(in + "batched insert 5000 rows: pgpartition", round -> batch(libraryBatched, newIds), emptyTarget)));
            results.addAll(alternateRounds(UPDATE_BATCH_ROUNDS,
                    new Variant(in + "batched update 1000 rows: plain Hibernate (baseline)", round -> batchUpdate(plainBatched, round)),
                    new Variant(in + "batched update 1000 rows: pgpartition", round -> batchUpdate(libraryBatched, round))));
            results.addAll(alternateRounds(
                    new Variant(in + "JDBC insert 5000 rows: into the partition (baseline)",
                            round -> jdbcInsert(connection, "bench_runtime.claims_p118", newIds), emptyTarget),
                    new Variant(in + "JDBC insert 5000 rows: through the parent",
                            round -> jdbcInsert(connection, "bench_runtime.claims", newIds), emptyTarget)));
            return results;
        }
    }

    /** The row by id and key, by hand: what the finder's own cost is measured against. */
    private static void sqlSelect(Connection connection, long id) throws Exception {
        connection.setAutoCommit(false);
        try (PreparedStatement select = connection.prepareStatement(
                "select id, created_at, amount from bench_runtime.claims where id = ? and created_at = ?")) {
            select.setLong(1, id);
            select.setTimestamp(2, Timestamp.valueOf(keyOf(id)));
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
            }
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    private static List<Measurement> alternate(long[] next, Variant... variants) throws Exception {
        return Alternation.operations(NAME, WARMUP, OPS, () -> next[0]++ * 7 % ROWS + 1, variants);
    }

    private static List<Measurement> alternateUnpruned(long[] next, Variant... variants) throws Exception {
        return Alternation.operations(NAME, UNPRUNED_WARMUP, UNPRUNED_OPS, () -> next[0]++ * 7 % ROWS + 1, variants);
    }

    private static List<Measurement> alternateRounds(Variant... variants) throws Exception {
        return alternateRounds(BATCH_ROUNDS, variants);
    }

    private static List<Measurement> alternateRounds(int rounds, Variant... variants) throws Exception {
        return Alternation.rounds(NAME, BATCH_WARMUP, rounds, variants);
    }

    /** Load by id and key (pruned for both), change, flush: the entity UPDATE is what differs. */
    private static void update(SessionFactory factory, Class<? extends ClaimRow> type, long id) {
        factory.inTransaction(s -> {
            ClaimRow claim = load(s, type, id);
            claim.amount = claim.amount.add(BigDecimal.ONE);
        });
    }

    private static void delete(SessionFactory factory, Class<? extends ClaimRow> type, long id) {
        factory.inTransaction(s -> s.remove(load(s, type, id)));
    }

    /** The entity with this id, loaded by id and key. */
    private static <T extends ClaimRow> T load(Session session, Class<T> type, long id) {
        return session.createQuery("from " + type.getSimpleName() + " where id = :id and createdAt = :key", type)
                .setParameter("id", id).setParameter("key", keyOf(id)).getSingleResult();
    }

    /** The hand-written statements as native queries in a Hibernate transaction: Hibernate's own cost, no entity. */
    private static void nativeUpdate(SessionFactory factory, long id) {
        factory.inTransaction(s -> {
            s.createNativeQuery("select amount from bench_runtime.claims where id = :id and created_at = :key", BigDecimal.class)
                    .setParameter("id", id).setParameter("key", keyOf(id)).getSingleResult();
            s.createNativeMutationQuery("update bench_runtime.claims set amount = amount + 1 where id = :id and created_at = :key")
                    .setParameter("id", id).setParameter("key", keyOf(id)).executeUpdate();
        });
    }

    /** The finder's SQL as a native query of the entity in a Hibernate transaction: what the finder is measured against. */
    private static void nativeLoad(SessionFactory factory, long id) {
        factory.inTransaction(s -> s.createNativeQuery(
                        "select id, created_at, amount from bench_runtime.claims where id = :id and created_at = :key", BenchClaim.class)
                .setParameter("id", id).setParameter("key", keyOf(id)).getResultList());
    }

    private static void nativeDelete(SessionFactory factory, long id) {
        factory.inTransaction(s -> {
            s.createNativeQuery("select amount from bench_runtime.claims where id = :id and created_at = :key", BigDecimal.class)
                    .setParameter("id", id).setParameter("key", keyOf(id)).getSingleResult();
            s.createNativeMutationQuery("delete from bench_runtime.claims where id = :id and created_at = :key")
                    .setParameter("id", id).setParameter("key", keyOf(id)).executeUpdate();
        });
    }

    /** The same statements by hand, in one transaction like Hibernate's. */
    private static void sqlUpdate(Connection connection, long id) throws Exception {
        connection.setAutoCommit(false);
        try (PreparedStatement select = connection.prepareStatement(
                "select amount from bench_runtime.claims where id = ? and created_at = ?")) {
            select.setLong(1, id);
            select.setTimestamp(2, Timestamp.valueOf(keyOf(id)));
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "update bench_runtime.claims set amount = amount + 1 where id = ? and created_at = ?")) {
            update.setLong(1, id);
            update.setTimestamp(2, Timestamp.valueOf(keyOf(id)));
            update.executeUpdate();
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    private static void sqlDelete(Connection connection, long id) throws Exception {
        connection.setAutoCommit(false);
        try (PreparedStatement select = connection.prepareStatement(
                "select amount from bench_runtime.claims where id = ? and created_at = ?");
             PreparedStatement delete = connection.prepareStatement("delete from bench_runtime.claims where id = ? and created_at = ?")) {
            select.setLong(1, id);
            select.setTimestamp(2, Timestamp.valueOf(keyOf(id)));
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
            }
            delete.setLong(1, id);
            delete.setTimestamp(2, Timestamp.valueOf(keyOf(id)));
            delete.executeUpdate();
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    private static void batch(SessionFactory factory, long[] nextId) {
        factory.inTransaction(s -> {
            for (int i = 0; i < BATCH_ROWS; i++) {
                BenchClaim claim = new BenchClaim();
                claim.id = nextId[0]++;
                claim.createdAt = LocalDateTime.of(2026, 11, 1, 0, 0).plusMinutes(i);
                claim.amount = BigDecimal.TEN;
                s.persist(claim);
            }
        });
    }

    /** Loads {@value UPDATE_BATCH_ROWS} rows of one month and changes each; the UPDATEs go out in JDBC batches at commit. */
    private static void batchUpdate(SessionFactory factory, long round) {
        LocalDateTime month = FIRST_DAY.plusMonths(round % 100);
        factory.inTransaction(s -> {
            for (BenchClaim claim : s.createQuery("from BenchClaim where createdAt >= :from and createdAt < :to order by id",
                            BenchClaim.class)
                    .setParameter("from", month).setParameter("to", month.plusMonths(1)).setMaxResults(UPDATE_BATCH_ROWS).getResultList()) {
                claim.amount = claim.amount.add(BigDecimal.ONE);
            }
        });
    }

    /** Empties the partition the inserts go to, so that every round inserts into the same empty table. */
    private static void truncate(Connection connection, String table) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE " + table);
        }
    }

    /** 5,000 rows of November 2026 into {@code table} in JDBC batches of 50, in one transaction. */
    static void jdbcInsert(Connection connection, String table, long[] nextId) throws Exception {
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("insert into " + table + " (id, created_at, amount) values (?, ?, ?)")) {
            for (int i = 0; i < BATCH_ROWS; i++) {
                insert.setLong(1, nextId[0]++);
                insert.setTimestamp(2, Timestamp.valueOf(LocalDateTime.of(2026, 11, 1, 0, 0).plusMinutes(i)));
                insert.setBigDecimal(3, BigDecimal.TEN);
                insert.addBatch();
                if (i % 50 == 49) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            connection.commit();
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * A session factory on the data source's URL with Hibernate's built-in pool, pgpartition on or off; the
     * hand-written SQL uses one reused connection, so that no case pays for opening connections.
     */
    static SessionFactory factory(PGSimpleDataSource target, boolean pgpartition, int batchSize, Class<?>... entities) {
        return factory(target, pgpartition, batchSize, java.util.Map.of(), entities);
    }

    static SessionFactory factory(PGSimpleDataSource target, boolean pgpartition, int batchSize, java.util.Map<String, String> settings,
                                  Class<?>... entities) {
        Configuration configuration = new Configuration();
        // every client-side guard on, as by default: child-partition writes refused (validation runs at startup)
        configuration.setProperty(PartitioningSettings.CHILD_PARTITION_DML, "reject");
        settings.forEach(configuration::setProperty);
        configuration.setProperty("hibernate.connection.url", target.getUrl());
        if (target.getUser() != null) {
            configuration.setProperty("hibernate.connection.username", target.getUser());
        }
        if (target.getPassword() != null) {
            configuration.setProperty("hibernate.connection.password", target.getPassword());
        }
        configuration.setProperty("hibernate.connection.pool_size", "4");
        configuration.setProperty(PartitioningSettings.ENABLED, Boolean.toString(pgpartition));
        configuration.setProperty("hibernate.jdbc.batch_size", Integer.toString(batchSize));
        configuration.setProperty("hibernate.order_inserts", "true");
        configuration.setProperty("hibernate.order_updates", "true");
        for (Class<?> entity : entities) {
            configuration.addAnnotatedClass(entity);
        }
        return configuration.buildSessionFactory();
    }

    /**
     * The layout's partitions from January 2017 and 1,000,000 rows, created server-side; partitions are created a
     * hundred per transaction, so that a server with the default {@code max_locks_per_transaction} (64) has room.
     */
    private static void createTable(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS bench_runtime CASCADE");
            statement.execute("CREATE SCHEMA bench_runtime");
            statement.execute("CREATE TABLE bench_runtime.claims (id bigint NOT NULL, created_at timestamp NOT NULL, "
                    + "amount numeric(12, 2) NOT NULL, PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at)");
            for (int first = 0; first < layout.partitions(); first += 100) {
                int last = Math.min(first + 100, layout.partitions()) - 1;
                statement.execute("DO $$ BEGIN FOR m IN " + first + ".." + last + " LOOP EXECUTE format('CREATE TABLE "
                        + "bench_runtime.claims_p%s PARTITION OF bench_runtime.claims FOR VALUES FROM (%L) TO (%L)', m, "
                        + "date '2017-01-01' + make_interval(" + layout.step() + " => m), date '2017-01-01' + make_interval("
                        + layout.step() + " => m + 1)); END LOOP; END $$");
            }
            if (layout == DAILY) { // so that the current time has a partition, as startup validation wants
                statement.execute("CREATE TABLE bench_runtime.claims_rest PARTITION OF bench_runtime.claims FOR VALUES FROM "
                        + "(date '2017-01-01' + " + layout.partitions() + ") TO (MAXVALUE)");
            }
            statement.execute("INSERT INTO bench_runtime.claims SELECT g, timestamp '2017-01-01' + (g % " + layout.keyDays()
                    + ") * interval '1 day' + (g % 86400) * interval '1 second', (g % 1000)::numeric FROM generate_series(1, " + ROWS + ") g");
            statement.execute("VACUUM ANALYZE bench_runtime.claims");
        }
    }
}
