package io.pgpartition.hibernate;

import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.hibernate.internal.event.KeyedQuery;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import java.util.List;

/**
 * Loads an entity by its identifier plus its partition key, so that PostgreSQL reads one partition where
 * {@code EntityManager.find} by identifier alone would probe every partition.
 *
 * <pre>{@code
 * ChatMessage message = PartitionedFinder.find(em, ChatMessage.class, id, createdAt);
 * }</pre>
 */
public final class PartitionedFinder {

    private PartitionedFinder() {
    }

    /**
     * The entity with this identifier and partition key, or {@code null} when there is none (like
     * {@code EntityManager.find}). An instance already in the persistence context is returned as it is.
     *
     * @param key the key values in {@code @PartitionedBy} order
     * @throws IllegalArgumentException if the type has no {@code @PartitionedBy}, or the number of key values differs
     */
    public static <T> T find(EntityManager entityManager, Class<T> type, Object id, Object... key) {
        List<String> attributes = keyAttributes(type);
        if (attributes.size() != key.length) {
            throw new IllegalArgumentException(type.getSimpleName() + " is partitioned by " + attributes + ": pass "
                    + attributes.size() + " key value(s), got " + key.length);
        }
        TypedQuery<T> query = entityManager.createQuery(KeyedQuery.text(entityManager.getMetamodel().entity(type).getName(), attributes),
                type).setParameter("id", id);
        for (int i = 0; i < key.length; i++) {
            query.setParameter("key" + i, key[i]);
        }
        List<T> found = query.getResultList();
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<String> keyAttributes(Class<?> type) {
        PartitionedBy partitionedBy = type.getAnnotation(PartitionedBy.class);
        if (partitionedBy == null) {
            throw new IllegalArgumentException(type.getName() + " has no @PartitionedBy: use EntityManager.find");
        }
        return io.pgpartition.policy.PartitionDefinition.keyAttributes(partitionedBy);
    }
}
