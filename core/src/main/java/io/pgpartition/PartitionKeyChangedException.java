package io.pgpartition;

/**
 * An update would change the partition key of an existing row. PostgreSQL 11+ would silently move the row to
 * another partition (a delete plus an insert); pgpartition refuses instead.
 */
public class PartitionKeyChangedException extends PartitioningException {

    private final String entity;
    private final Object id;
    private final String attribute;
    private final Object oldValue;
    private final Object newValue;

    public PartitionKeyChangedException(String entity, Object id, String attribute, Object oldValue, Object newValue) {
        super(ErrorCode.PARTITION_KEY_CHANGED,
                "Cannot update " + entity + " with id " + id + ": partition key attribute '" + attribute
                        + "' would change from " + oldValue + " to " + newValue + ". "
                        + "The partition key of a stored row never changes: delete the row and insert a new one instead.");
        this.entity = entity;
        this.id = id;
        this.attribute = attribute;
        this.oldValue = oldValue;
        this.newValue = newValue;
    }

    /**
     * A bulk or native UPDATE whose SET clause assigns a partition key column; which rows and values it would change
     * is not known before it runs, so {@link #getId()}, {@link #getOldValue()} and {@link #getNewValue()} are null.
     */
    public PartitionKeyChangedException(String entity, String attribute, String column, String statement) {
        super(ErrorCode.PARTITION_KEY_CHANGED,
                "Cannot run " + statement + ": it sets partition key attribute '" + attribute + "' (column " + column + ") of "
                        + entity + ", which would move rows between partitions. The partition key of a stored row never "
                        + "changes: delete the rows and insert new ones instead.");
        this.entity = entity;
        this.id = null;
        this.attribute = attribute;
        this.oldValue = null;
        this.newValue = null;
    }

    public String getEntity() {
        return entity;
    }

    public Object getId() {
        return id;
    }

    public String getAttribute() {
        return attribute;
    }

    public Object getOldValue() {
        return oldValue;
    }

    public Object getNewValue() {
        return newValue;
    }
}
