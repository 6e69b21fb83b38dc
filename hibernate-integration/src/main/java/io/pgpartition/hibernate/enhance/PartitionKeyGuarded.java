package io.pgpartition.hibernate.enhance;

/**
 * Implemented by entities that {@link PartitionKeyGuardPlugin} enhanced. pgpartition calls it when an instance
 * becomes persistent (inserted or loaded); from then on, assigning another value to a partition key field throws.
 */
public interface PartitionKeyGuarded {

    /** Marks the instance persistent. Called by pgpartition's Hibernate listeners. */
    void $$_pgpartition_markPersistent();
}
