package io.pgpartition;

/**
 * A data-changing statement targets a partition directly instead of its parent table.
 */
public class ChildPartitionWriteException extends PartitioningException {

    private final String partition;
    private final String parent;

    public ChildPartitionWriteException(String partition, String parent, String statement) {
        this(partition, parent, statement, ", or set pgpartition.child_partition_dml=allow.");
    }

    /**
     * The server guard's refusal of a direct write (SQLSTATE {@code PGP02}), which no client setting lifts.
     *
     * @param serverGuard marks this constructor; always {@code true}
     */
    public ChildPartitionWriteException(String partition, String parent, String statement, boolean serverGuard) {
        this(partition, parent, statement, "; the server guard refuses direct writes (a maintenance transaction may "
                + "SET LOCAL pgpartition.bypass = on).");
    }

    private ChildPartitionWriteException(String partition, String parent, String statement, String wayOut) {
        super(ErrorCode.CHILD_PARTITION_WRITE,
                "Statement writes to partition " + partition + " directly instead of its parent table " + parent
                        + ": " + statement + ". Write to " + parent + " and let PostgreSQL route the row" + wayOut);
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
