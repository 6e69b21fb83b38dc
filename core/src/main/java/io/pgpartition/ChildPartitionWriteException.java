package io.pgpartition;

/**
 * A data-changing statement targets a partition directly instead of its parent table.
 */
public class ChildPartitionWriteException extends PartitioningException {

    private final String partition;
    private final String parent;

    public ChildPartitionWriteException(String partition, String parent, String statement) {
        super(ErrorCode.CHILD_PARTITION_WRITE,
                "Statement writes to partition " + partition + " directly instead of its parent table " + parent
                        + ": " + statement + ". Write to " + parent + " and let PostgreSQL route the row, "
                        + "or set pgpartition.child_partition_dml=allow.");
        this.partition = partition;
        this.parent = parent;
    }

    public String getPartition() {
        return partition;
    }

    public String getParent() {
        return parent;
    }
}
