package io.pgpartition.policy;

import io.pgpartition.model.PartitionStrategy;

/**
 * How a table's partitions are laid out: one of a {@link RangePolicy} (an interval stepped through time or numbers,
 * premake and retention), a {@link ListPolicy} (declared partitions and their values) or a {@link HashPolicy} (a
 * modulus). Annotations and command-line options both produce one; maintenance and conversion plan from it.
 */
public sealed interface PartitionPolicy permits RangePolicy, ListPolicy, HashPolicy {

    /** The partitioning strategy the policy lays out. */
    PartitionStrategy strategy();

    /** What to do with each kind of policy; see {@link #match}. */
    interface Cases<R> {
        R range(RangePolicy policy);

        R list(ListPolicy policy);

        R hash(HashPolicy policy);
    }

    /** The answer of the case for this kind of policy: callers say what each kind means once, without casts. */
    <R> R match(Cases<R> cases);
}
