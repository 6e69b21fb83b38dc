package io.pgpartition.model;

/**
 * The rows a partition accepts: a range, a list of values, a hash remainder, or everything no other partition takes.
 */
public sealed interface PartitionBound permits RangeBound, ListBound, HashBound, DefaultBound {

    /** Whether this is the default partition's bound. */
    default boolean isDefault() {
        return this instanceof DefaultBound;
    }
}
