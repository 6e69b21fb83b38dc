package io.pgpartition.pruning;

import io.pgpartition.model.TableName;
import io.pgpartition.pruning.internal.PlanRelations;
import io.pgpartition.pruning.internal.RecordedParameters;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks PostgreSQL which partitions a statement can touch, without running it: {@code EXPLAIN} without {@code ANALYZE},
 * with the statement's parameter values, then one catalog question for the partitioned tables behind the relations
 * in the plan. Inside a transaction it runs in a savepoint that is rolled back, so that a failure (or the locks the
 * planner takes) does not outlive it.
 */
public final class PruningProbe {

    private static final String TABLES = "SELECT n.nspname, c.relname, rn.nspname, r.relname, pg_catalog.pg_get_partkeydef(r.oid), "
            + "(SELECT pg_catalog.count(*) FROM pg_catalog.pg_partition_tree(r.oid) t WHERE t.isleaf)::int "
            + "FROM ROWS FROM (pg_catalog.unnest(?::text[]), pg_catalog.unnest(?::text[])) WITH ORDINALITY AS s(nsp, rel, i) "
            + "JOIN pg_catalog.pg_namespace n ON n.nspname = s.nsp "
            + "JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = s.rel "
            + "JOIN pg_catalog.pg_class r ON r.oid = pg_catalog.pg_partition_root(c.oid) "
            + "JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace "
            + "WHERE c.relispartition ORDER BY s.i";

    private PruningProbe() {
    }

    /** The partitions {@code sql} can touch with these parameter values (in order, as {@code setObject} binds them). */
    public static StatementScan explain(Connection connection, String sql, List<?> parameters) throws SQLException {
        return explain(connection, sql, statement -> {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
        });
    }

    /** The partitions {@code sql} can touch with the parameter values recorded from its execution. */
    public static StatementScan explain(Connection connection, String sql, RecordedParameters parameters) throws SQLException {
        return explain(connection, sql, parameters::applyTo);
    }

    /** Sets a statement's parameters. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private static StatementScan explain(Connection connection, String sql, Binder binder) throws SQLException {
        Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
        try {
            PlanRelations.Plan plan;
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN (FORMAT JSON, VERBOSE, COSTS OFF) " + sql)) {
                binder.bind(explain);
                try (ResultSet rs = explain.executeQuery()) {
                    StringBuilder text = new StringBuilder();
                    while (rs.next()) {
                        text.append(rs.getString(1));
                    }
                    plan = PlanRelations.plan(text.toString());
                }
            }
            if (plan.tasks() == 0) {
                return new StatementScan(sql, tables(connection, plan.relations(), Map.of(), 0));
            }
            // a Citus plan shows the shards of one task: the partitions are the tables those shards belong to
            Map<TableName, io.pgpartition.catalog.internal.CitusCatalog.Shard> shards =
                    io.pgpartition.catalog.internal.CitusCatalog.shards(connection, plan.relations());
            List<TableName> relations = plan.relations().stream().map(r -> shards.containsKey(r) ? shards.get(r).table() : r).distinct().toList();
            return new StatementScan(sql, tables(connection, relations, shards, plan.tasks()));
        } finally {
            if (savepoint != null) {
                connection.rollback(savepoint);
                connection.releaseSavepoint(savepoint);
            }
        }
    }

    /**
     * The partitioned tables behind the relations, each with the partitions among them; plain tables are left out. On
     * Citus, a distributed table's scan says how many of its shards the plan's tasks reach.
     */
    private static List<TableScan> tables(Connection connection, List<TableName> relations,
                                          Map<TableName, io.pgpartition.catalog.internal.CitusCatalog.Shard> shards, int tasks)
            throws SQLException {
        if (relations.isEmpty()) {
            return List.of();
        }
        record Root(TableName table, String key, int total) {
        }
        Map<Root, List<TableName>> touched = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(TABLES)) {
            Array schemas = connection.createArrayOf("text", relations.stream().map(TableName::schema).toArray());
            Array names = connection.createArrayOf("text", relations.stream().map(TableName::name).toArray());
            statement.setArray(1, schemas);
            statement.setArray(2, names);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Root root = new Root(TableName.of(rs.getString(3), rs.getString(4)), rs.getString(5), rs.getInt(6));
                    touched.computeIfAbsent(root, r -> new ArrayList<>()).add(TableName.of(rs.getString(1), rs.getString(2)));
                }
            }
        }
        List<TableScan> tables = new ArrayList<>();
        touched.forEach((root, partitions) -> {
            int shardTotal = shards.values().stream().filter(s -> partitions.contains(s.table())).mapToInt(
                    io.pgpartition.catalog.internal.CitusCatalog.Shard::shardCount).max().orElse(0);
            tables.add(new TableScan(root.table(), root.key(), partitions, root.total(), shardTotal > 0 ? tasks : 0, shardTotal));
        });
        return tables;
    }
}
