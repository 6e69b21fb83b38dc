package io.pgpartition.hibernate;

import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.hibernate.internal.event.KeyedQuery;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Loads an entity by its identifier plus its partition key, so that PostgreSQL reads one partition where
 * {@code EntityManager.find} by identifier alone would probe every partition. For an entity with
 * {@code @DistributedBy} (a Citus distributed table) the distribution value follows the key values, so that Citus
 * reads one shard.
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
     * @param key the key values in {@code @PartitionedBy} order, then the {@code @DistributedBy} value when the entity
     *            declares one that is not a partition key
     * @throws IllegalArgumentException if the type has no {@code @PartitionedBy}, or the number of key values differs
     */
    public static <T> T find(EntityManager entityManager, Class<T> type, Object id, Object... key) {
        Keyed keyed = KEYED.get(type);
        if (keyed.attributes().size() != key.length) {
            throw new IllegalArgumentException(type.getSimpleName() + " is partitioned by " + keyed.attributes() + ": pass "
                    + keyed.attributes().size() + " key value(s), got " + key.length);
        }
        TypedQuery<T> query = entityManager.createQuery(keyed.text(entityManager.getMetamodel().entity(type).getName()), type)
                .setParameter("id", id);
        for (int i = 0; i < key.length; i++) {
            query.setParameter(keyed.parameters().get(i), key[i]);
        }
        List<T> found = query.getResultList();
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * What the finder needs of an entity class, worked out on its first use: the key attributes, the names of their
     * query parameters, and the query text per entity name (one class may be mapped under different names by different
     * persistence units).
     */
    private record Keyed(List<String> attributes, List<String> parameters, Map<String, String> texts) {

        String text(String entityName) {
            return texts.computeIfAbsent(entityName, name -> KeyedQuery.text(name, attributes));
        }
    }

    /** Per entity class: its keys, or the refusal of a class without {@code @PartitionedBy}. */
    private static final ClassValue<Keyed> KEYED = new ClassValue<>() {
        @Override
        protected Keyed computeValue(Class<?> type) {
            List<String> attributes = List.copyOf(keyAttributes(type));
            return new Keyed(attributes, IntStream.range(0, attributes.size()).mapToObj(KeyedQuery::parameter).toList(),
                    new ConcurrentHashMap<>());
        }
    };

    private static List<String> keyAttributes(Class<?> type) {
        PartitionedBy partitionedBy = type.getAnnotation(PartitionedBy.class);
        if (partitionedBy == null) {
            throw new IllegalArgumentException(type.getName() + " has no @PartitionedBy: use EntityManager.find");
        }
        List<String> attributes = io.pgpartition.policy.PartitionDefinition.keyAttributes(partitionedBy);
        io.pgpartition.annotations.DistributedBy distributedBy = type.getAnnotation(io.pgpartition.annotations.DistributedBy.class);
        if (distributedBy != null && !attributes.contains(distributedBy.value())) {
            attributes = new java.util.ArrayList<>(attributes);
            attributes.add(distributedBy.value());
        }
        return attributes;
    }
}
