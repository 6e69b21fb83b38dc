package io.pgpartition.benchmarks;

import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.TableName;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * How the catalog reader's time grows with partitions and tables. Baseline: one table with one partition.
 */
final class CatalogReadBenchmark {

    static final String NAME = "catalog-read";
    static final String SCHEMA = "bench_catalog";
    static final int WIDE_TABLES = 50;
    private static final int WIDE_PARTITIONS = 1000;
    private static final int WARMUPS = 20;
    private static final int REPETITIONS = 50;

    private CatalogReadBenchmark() {
    }

    static List<Measurement> run(Connection connection) throws Exception {
        createTables(connection);
        CatalogReader reader = new CatalogReader();
        List<TableName> wide = new ArrayList<>();
        for (int t = 0; t < WIDE_TABLES; t++) {
            wide.add(TableName.of(SCHEMA, "wide_" + t));
        }
        List<Measurement> results = new ArrayList<>();
        results.add(Timer.measure(NAME, "1 table, 1 partition (baseline)", WARMUPS, REPETITIONS,
                () -> reader.read(connection, List.of(TableName.of(SCHEMA, "single")))));
        results.add(Timer.measure(NAME, "1 table, 1000 partitions", WARMUPS, REPETITIONS,
                () -> reader.read(connection, List.of(wide.get(0)))));
        results.add(Timer.measure(NAME, WIDE_TABLES + " tables, 1000 partitions each", 3, 10,
                () -> reader.read(connection, wide)));
        return results;
    }

    /**
     * Creates the layout unless a previous run left it complete (creating 50,000 partitions takes minutes).
     * Partitions carry no index: the reader's cost does not depend on them, and creation is several times faster.
     */
    static void createTables(Connection connection) throws Exception {
        int expected = 1 + WIDE_TABLES * WIDE_PARTITIONS;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                     + "ON n.oid = c.relnamespace WHERE n.nspname = '" + SCHEMA + "' AND c.relispartition")) {
            rs.next();
            if (rs.getInt(1) == expected) {
                return;
            }
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + Sql.identifier(SCHEMA) + " CASCADE");
            statement.execute("CREATE SCHEMA " + Sql.identifier(SCHEMA));
            List<String> tables = new ArrayList<>(List.of("single"));
            for (int t = 0; t < WIDE_TABLES; t++) {
                tables.add("wide_" + t);
            }
            LocalDate start = LocalDate.of(2000, 1, 1);
            for (String name : tables) {
                TableName parent = TableName.of(SCHEMA, name);
                statement.execute("CREATE TABLE " + Sql.table(parent)
                        + " (id bigint NOT NULL, day date NOT NULL) PARTITION BY RANGE (day)");
                int partitions = name.equals("single") ? 1 : WIDE_PARTITIONS;
                for (int p = 0; p < partitions; p++) {
                    statement.execute(PartitionDdl.createPartitionOf(parent, parent.sibling(name + "_p" + p),
                            RangeBound.of(start.plusDays(p), start.plusDays(p + 1))));
                }
                connection.commit();
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
