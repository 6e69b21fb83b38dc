package io.pgpartition.pruning.internal;

import io.pgpartition.model.TableName;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The relations a plan reads, from {@code EXPLAIN (FORMAT JSON, VERBOSE)}: every node that names a relation except the
 * {@code ModifyTable} node, which names the statement's target without reading it. Partitions pruned at planning are
 * not in the plan, and those pruned when the executor starts ("Subplans Removed") are not printed, so what is left is
 * what the statement can touch.
 */
public final class PlanRelations {

    /** A task count as EXPLAIN prints it; more digits than an {@code int} holds are no count Citus prints. */
    private static final java.util.regex.Pattern TASK_COUNT = java.util.regex.Pattern.compile("[0-9]{1,9}");

    private PlanRelations() {
    }

    /** The relations read, each once, in plan order. */
    public static List<TableName> read(String explainJson) {
        return plan(explainJson).relations();
    }

    /**
     * What a plan reads.
     *
     * @param relations the relations read, each once, in plan order (on Citus, the shards of the one task shown)
     * @param tasks     on Citus, the most tasks a distributed job of the plan sends to the workers (one per shard, or
     *                  group of colocated shards, it reaches); 0 for a plan Citus does not distribute
     */
    public record Plan(List<TableName> relations, int tasks) {

        public Plan {
            relations = List.copyOf(relations);
        }
    }

    /** The relations and Citus tasks of a plan. */
    public static Plan plan(String explainJson) {
        Set<TableName> relations = new LinkedHashSet<>();
        Object parsed = PlanJson.parse(explainJson);
        collect(parsed, relations);
        return new Plan(List.copyOf(relations), tasks(parsed));
    }

    private static int tasks(Object value) {
        int most = 0;
        if (value instanceof List<?> items) {
            for (Object item : items) {
                most = Math.max(most, tasks(item));
            }
        } else if (value instanceof Map<?, ?> node) {
            if (node.get("Task Count") instanceof String count && TASK_COUNT.matcher(count).matches()) {
                most = Integer.parseInt(count);
            }
            for (Object member : node.values()) {
                most = Math.max(most, tasks(member));
            }
        }
        return most;
    }

    private static void collect(Object value, Set<TableName> into) {
        if (value instanceof List<?> items) {
            for (Object item : items) {
                collect(item, into);
            }
        } else if (value instanceof Map<?, ?> node) {
            Object relation = node.get("Relation Name");
            if (relation instanceof String name && !"ModifyTable".equals(node.get("Node Type"))) {
                Object schema = node.get("Schema");
                into.add(schema instanceof String s ? TableName.of(s, name) : TableName.of(name));
            }
            for (Object member : node.values()) {
                if (member instanceof Map<?, ?> || member instanceof List<?>) {
                    collect(member, into);
                }
            }
        }
    }
}
