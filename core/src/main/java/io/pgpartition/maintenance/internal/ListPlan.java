package io.pgpartition.maintenance.internal;

import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.ListBound;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.ListPartitionSpec;
import io.pgpartition.policy.ListPolicy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** What a list policy wants of its table: each declared partition, unless it exists or its values are held elsewhere. */
final class ListPlan {

    private ListPlan() {
    }

    static Draft plan(Draft draft, ListPolicy policy) {
        PartitionedTable layout = draft.layout();
        ColumnType type = layout.key().parts().get(0).type();
        for (ListPartitionSpec spec : policy.partitions()) {
            TableName name = draft.parent().sibling(spec.name());
            List<Object> values = new ArrayList<>();
            for (String text : spec.values()) {
                values.add(type.parse(text));
            }
            ListBound bound = new ListBound(values);
            Optional<Partition> existing = layout.partition(spec.name());
            if (existing.isPresent()) {
                if (!(existing.get().bound() instanceof ListBound held) || !new HashSet<>(held.values()).equals(new HashSet<>(values))) {
                    draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.NAME_TAKEN, draft.parent(), name,
                            "Partition " + name + " of " + draft.parent() + " holds " + existing.get().bound()
                                    + ", but the policy declares it for IN " + spec.values() + ". Fix: correct the declaration, "
                                    + "or move the values between partitions yourself."));
                }
                continue;
            }
            List<String> taken = new ArrayList<>();
            for (Object value : values) {
                layout.orderedPartitions().stream()
                        .filter(p -> p.bound() instanceof ListBound held && held.values().contains(value))
                        .forEach(p -> taken.add(Sql.literal(value) + " in " + p.name().name()));
            }
            if (!taken.isEmpty()) {
                draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.OVERLAP, draft.parent(), name,
                        "Partition " + name + " is not created: other partitions of " + draft.parent() + " already hold "
                                + String.join(", ", taken) + ". Fix: correct the declaration, or move the values yourself."));
                continue;
            }
            draft.wanted().add(new Draft.Wanted(name, bound, true, bound.toString()));
        }
        return draft;
    }
}
