package io.pgpartition.maintenance.internal;

import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.model.HashBound;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.HashPolicy;

import java.util.ArrayList;
import java.util.List;

/** What a hash policy wants of its table: every remainder of its modulus; a table of another modulus is reported. */
final class HashPlan {

    private HashPlan() {
    }

    static Draft plan(Draft draft, HashPolicy policy) {
        PartitionedTable layout = draft.layout();
        List<HashBound> missing;
        if (layout.partitions().stream().allMatch(p -> p.isDefault())) {
            missing = new ArrayList<>();
            for (int r = 0; r < policy.modulus(); r++) {
                missing.add(new HashBound(policy.modulus(), r));
            }
        } else {
            int modulus = layout.partitions().stream().filter(p -> p.bound() instanceof HashBound)
                    .mapToInt(p -> ((HashBound) p.bound()).modulus()).max().orElse(0);
            if (modulus != policy.modulus()) {
                draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.POLICY_MISMATCH, draft.parent(),
                        "Table " + draft.parent() + " is hash-partitioned with modulus " + modulus + ", but its policy says "
                                + policy.modulus() + ". Changing the modulus means re-partitioning the rows; maintenance "
                                + "does not do that. Fix: set the policy's modulus to " + modulus + "."));
                return draft;
            }
            missing = layout.missingRemainders();
        }
        for (HashBound bound : missing) {
            TableName name = draft.parent().sibling(policy.partitionName(draft.parent().name(), bound.remainder()));
            if (layout.partition(name.name()).isPresent()) {
                draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.NAME_TAKEN, draft.parent(), name,
                        "Partition " + name + " for " + bound + " is not created: " + draft.parent()
                                + " already has a partition of that name. Fix: rename it, or change the naming pattern."));
                continue;
            }
            draft.wanted().add(new Draft.Wanted(name, bound, true, bound.toString()));
        }
        return draft;
    }
}
