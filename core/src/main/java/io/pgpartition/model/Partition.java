package io.pgpartition.model;

import java.util.Objects;

/**
 * One partition of a partitioned table.
 *
 * @param name           the partition's table name
 * @param bound          the rows it accepts
 * @param subpartitioned whether the partition is itself partitioned
 * @param estimatedRows  the planner's row estimate ({@code pg_class.reltuples}), or -1 when never analyzed
 */
public record Partition(TableName name, PartitionBound bound, boolean subpartitioned, long estimatedRows) {

    public Partition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bound, "bound");
    }

    /** A leaf partition whose row count is unknown. */
    public static Partition of(TableName name, PartitionBound bound) {
        return new Partition(name, bound, false, -1);
    }

    public boolean isDefault() {
        return bound.isDefault();
    }
}
