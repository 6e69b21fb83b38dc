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
