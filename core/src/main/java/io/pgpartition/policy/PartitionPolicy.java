package io.pgpartition.policy;

import io.pgpartition.model.PartitionStrategy;

import java.util.List;

/**
 * How a table's partitions are laid out: one of a {@link RangePolicy} (an interval stepped through time or numbers,
 * premake and retention), a {@link ListPolicy} (declared partitions and their values) or a {@link HashPolicy} (a
 * modulus). Annotations and command-line options both produce one; maintenance and conversion plan from it.
 */
public sealed interface PartitionPolicy permits RangePolicy, ListPolicy, HashPolicy {

    /** The partitioning strategy the policy lays out. */
    PartitionStrategy strategy();

    /**
     * The options of pgpartition's command line ({@code convert}, {@code maintain}) that describe the partitions this
     * policy lays out, one word each and unquoted: {@code [--interval, 1 month, --premake, 3, --naming, {table}_{yyyy}_{MM}]}.
     * Retention, which only {@code maintain} takes, is {@link RangePolicy#retentionOptions()}.
     */
    List<String> commandLineOptions();

    /** What to do with each kind of policy; see {@link #match}. */
    interface Cases<R> {
        R range(RangePolicy policy);

        R list(ListPolicy policy);

        R hash(HashPolicy policy);
    }

    /** The answer of the case for this kind of policy: callers say what each kind means once, without casts. */
    <R> R match(Cases<R> cases);
}
