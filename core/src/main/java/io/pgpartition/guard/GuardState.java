package io.pgpartition.guard;

import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the server guard looks like in the database now, per partitioned root table: its key columns, which of its
 * triggers exist, its partitions at every level and whether each has its trigger, and whether the trigger functions
 * in its schema are the current ones.
 *
 * @param roots the partitioned root tables looked at, in name order
 */
public record GuardState(List<Root> roots) {

    public GuardState {
        roots = List.copyOf(roots);
    }

    /**
     * One partitioned root table.
     *
     * @param name            the root
     * @param keyColumns      its partition key columns; an expression part is {@code null}
     * @param keyGuarded      whether it has the key trigger
     * @param partitions      its partitions at every level, each with whether it has the write trigger
     * @param functions       whether each trigger function in the root's schema exists with the current body
     */
    public record Root(TableName name, List<String> keyColumns, boolean keyGuarded,
                       Map<TableName, Boolean> partitions, Map<String, Boolean> functions) {

        public Root {
            Objects.requireNonNull(name, "name");
            keyColumns = java.util.Collections.unmodifiableList(new ArrayList<>(keyColumns));
            partitions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(partitions));
            functions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(functions));
        }

        /** Whether some key part is an expression, which a row trigger's WHEN clause cannot name. */
        public boolean hasExpressionKey() {
            return keyColumns.contains(null);
        }

        /** What is missing for this root to be fully guarded, one line each; empty when nothing is. */
        public List<String> gaps() {
            List<String> gaps = new ArrayList<>();
            functions.forEach((function, current) -> {
                if (!current) {
                    gaps.add("function " + name.schema() + "." + function + " is missing or outdated");
                }
            });
            if (hasExpressionKey()) {
                gaps.add(name + " is partitioned by an expression, which the guard's trigger cannot compare: key changes are not refused");
            } else if (!keyGuarded) {
                gaps.add(name + " has no " + GuardSql.KEY_TRIGGER + " trigger: key changes are not refused");
            }
            partitions.forEach((partition, guarded) -> {
                if (!guarded) {
                    gaps.add("partition " + partition + " of " + name + " has no " + GuardSql.WRITE_TRIGGER
                            + " trigger: direct writes are not refused");
                }
            });
            return gaps;
        }
    }

    /** Every gap of every root, each line naming the root first. */
    public List<String> gaps() {
        return roots.stream().flatMap(root -> root.gaps().stream()).toList();
    }

    /** Whether every root looked at is fully guarded. */
    public boolean complete() {
        return gaps().isEmpty();
    }
}
