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

    private PlanRelations() {
    }

    /** The relations read, each once, in plan order. */
    public static List<TableName> read(String explainJson) {
        Set<TableName> relations = new LinkedHashSet<>();
        collect(PlanJson.parse(explainJson), relations);
        return List.copyOf(relations);
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
