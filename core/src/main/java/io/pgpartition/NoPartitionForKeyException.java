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

    private NoPartitionForKeyException(String message, String table, Object value, List<String> nearestPartitions) {
        super(ErrorCode.NO_PARTITION_FOR_KEY, message);
        this.table = table;
        this.value = value;
        this.nearestPartitions = List.copyOf(nearestPartitions);
    }

    /**
     * No partition of {@code level}, itself a partition of {@code root} partitioned again, accepts the key: maintenance
     * does not manage the partitions of a sub-partitioned table, so the way out is a partition of that level.
     *
     * @param value the key values of every level down to this one, as shown
     */
    public static NoPartitionForKeyException ofSubPartition(String level, String root, Object value, List<String> nearestPartitions) {
        return new NoPartitionForKeyException("No partition of table " + level + " (a partition of " + root
                + ", partitioned again) accepts partition key value " + value
                + (nearestPartitions.isEmpty() ? "" : "; nearest partitions: " + String.join(", ", nearestPartitions))
                + ". Create a partition of " + level + " for this value, or a DEFAULT partition of it; partition maintenance "
                + "does not manage the partitions of a sub-partitioned table.", level, value, nearestPartitions);
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
