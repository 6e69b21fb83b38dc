package io.pgpartition;

import io.pgpartition.model.PartitionStrategy;

/**
 * An insert carried no value for the partition key. Thrown before any SQL is sent.
 */
public class PartitionKeyMissingException extends PartitioningException {

    private final String entity;
    private final String attribute;
    private final String column;
    private final String table;

    public PartitionKeyMissingException(String entity, String attribute, String column, String table, PartitionStrategy strategy) {
        super(ErrorCode.PARTITION_KEY_MISSING,
                "Cannot insert " + entity + ": partition key attribute '" + attribute + "' (column " + column
                        + " of table " + table + ", partitioned by " + strategy + ") is null. "
                        + "Set " + entity + "." + attribute + " before persisting: PostgreSQL needs it to choose the partition.");
        this.entity = entity;
        this.attribute = attribute;
        this.column = column;
        this.table = table;
    }

    /**
     * A key of the partitions below the table ({@code @SubPartitionedBy}) that is null.
     *
     * @param subStrategy how the table's partitions are partitioned by it
     */
    public static PartitionKeyMissingException ofSubPartitionKey(String entity, String attribute, String column, String table,
                                                                 PartitionStrategy subStrategy) {
        return new PartitionKeyMissingException(entity, attribute, column, table, "Cannot insert " + entity
                + ": sub-partition key attribute '" + attribute + "' (column " + column + "; the partitions of table " + table
                + " are partitioned by " + subStrategy + " on it) is null. Set " + entity + "." + attribute
                + " before persisting: PostgreSQL needs it to choose the partition.");
    }

    /** The Citus distribution column ({@code @DistributedBy}) is null. */
    public static PartitionKeyMissingException ofDistributionColumn(String entity, String attribute, String column, String table) {
        return new PartitionKeyMissingException(entity, attribute, column, table, "Cannot insert " + entity
                + ": distribution attribute '" + attribute + "' (column " + column + " of table " + table
                + ", distributed by it with Citus) is null. Set " + entity + "." + attribute
                + " before persisting: Citus needs it to choose the shard.");
    }

    private PartitionKeyMissingException(String entity, String attribute, String column, String table, String message) {
        super(ErrorCode.PARTITION_KEY_MISSING, message);
        this.entity = entity;
        this.attribute = attribute;
        this.column = column;
        this.table = table;
    }

    public String getEntity() {
        return entity;
    }

    public String getAttribute() {
        return attribute;
    }

    public String getColumn() {
        return column;
    }

    public String getTable() {
        return table;
    }
}
