package io.pgpartition;

import java.util.List;

/**
 * No partition of a table accepts a key value, and the table has no default partition.
 */
public class NoPartitionForKeyException extends PartitioningException {

    private final String table;
    private final Object value;
    private final List<String> nearestPartitions;

    public NoPartitionForKeyException(String table, Object value, List<String> nearestPartitions, String detail) {
        super(ErrorCode.NO_PARTITION_FOR_KEY,
                "No partition of table " + table + " accepts partition key value " + value
                        + (nearestPartitions.isEmpty() ? "" : "; nearest partitions: " + String.join(", ", nearestPartitions))
                        + ". Create a partition for this value or run partition maintenance."
                        + (detail == null || detail.isEmpty() ? "" : " Server detail: " + detail));
        this.table = table;
        this.value = value;
        this.nearestPartitions = List.copyOf(nearestPartitions);
    }

    public String getTable() {
        return table;
    }

    public Object getValue() {
        return value;
    }

    /** Names of the partitions whose bounds lie closest to the value, nearest first. */
    public List<String> getNearestPartitions() {
        return nearestPartitions;
    }
}
