package io.pgpartition.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A partitioned table with the layouts of its partitioned partitions, to route a row through every level to the leaf
 * that holds it, as PostgreSQL does: the root's key picks a partition; if that partition is partitioned itself, its own
 * key picks among its partitions; and so on.
 *
 * @param root  the partitioned table at the top
 * @param below the layout of each partitioned partition at any depth, by name; a partitioned partition missing here
 *              is answered with {@link KeyRoute.AskServer}
 */
public record PartitionTree(PartitionedTable root, Map<TableName, PartitionedTable> below) {

    public PartitionTree {
        Objects.requireNonNull(root, "root");
        below = Map.copyOf(below);
    }

    /**
     * Where a row goes: the leaf partition (possibly a default partition at some level), {@link KeyRoute.NoPartition}
     * when some level has no partition for it (PostgreSQL refuses the row), or {@link KeyRoute.AskServer} where the
     * model cannot tell at some level, or the value of a column a level's key needs is not given.
     *
     * @param values a row's values by column name; a column absent from it is unknown, a column mapped to null is NULL
     */
    public KeyRoute route(Map<String, ?> values) {
        return walk(values).route();
    }

    /**
     * The partitioned table whose own key gave {@link #route}'s answer: the root, or the partitioned partition at the
     * level where the row found no partition, or the model could not tell — the table a message names.
     */
    public PartitionedTable answeredBy(Map<String, ?> values) {
        return walk(values).table();
    }

    private record Step(PartitionedTable table, KeyRoute route) {
    }

    private Step walk(Map<String, ?> values) {
        PartitionedTable table = root;
        while (true) {
            List<Object> key = new ArrayList<>();
            for (KeyPart part : table.key().parts()) {
                if (part.isExpression()) {
                    return new Step(table, new KeyRoute.AskServer(table.name() + " is partitioned by an expression"));
                }
                if (!values.containsKey(part.column())) {
                    return new Step(table, new KeyRoute.AskServer("the value of " + part.column() + ", a key column of "
                            + table.name() + ", is not known"));
                }
                key.add(values.get(part.column()));
            }
            KeyRoute route = table.route(key);
            if (!(route instanceof KeyRoute.Routed routed) || !routed.partition().subpartitioned()) {
                return new Step(table, route);
            }
            PartitionedTable next = below.get(routed.partition().name());
            if (next == null) {
                return new Step(table, new KeyRoute.AskServer("the partitions of " + routed.partition().name() + " are not known"));
            }
            table = next;
        }
    }
}
