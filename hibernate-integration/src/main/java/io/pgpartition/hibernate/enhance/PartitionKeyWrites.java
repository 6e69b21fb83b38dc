package io.pgpartition.hibernate.enhance;

import io.pgpartition.PartitionKeyChangedException;

import java.util.Objects;

/**
 * Called by enhanced entities before each write of a partition key field. Not for direct use.
 */
public final class PartitionKeyWrites {

    private PartitionKeyWrites() {
    }

    /**
     * Refuses a new key value on a persistent instance.
     *
     * @throws PartitionKeyChangedException naming the entity, the attribute, the old and the new value
     */
    public static void check(boolean persistent, Object current, Object next, String entity, String attribute) {
        if (persistent && !Objects.equals(current, next)) {
            throw new PartitionKeyChangedException(entity, "(persistent instance)", attribute, current, next);
        }
    }
}
