package io.pgpartition.hibernate.internal.event;

import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.TableName;
import org.hibernate.property.access.spi.Getter;

import java.util.List;

/**
 * How to read a partitioned entity's key at run time.
 */
public final class KeyAccess {

    private final String entityName;
    private final String entity;
    private final TableName table;
    private final PartitionStrategy strategy;
    private final List<Key> keys;
    private final List<Key> subKeys;
    private final List<Key> distributionKeys;
    private final List<Key> allKeys;

    /**
     * @param entityName the persister's entity name
     * @param entity     the entity name used in messages
     * @param table      the mapped table
     * @param strategy   its partitioning strategy
     * @param keys       the key attributes, in key order
     * @param subKeys    the key attributes of the levels below ({@code @SubPartitionedBy}), level by level: required on
     *                   insert and never changed like {@code keys}, but not part of the root's routing
     * @param distributionKeys the attribute of {@code @DistributedBy} (a Citus distribution column), when it is no partition
     *                   key already: required and never changed like {@code keys}, not part of partition routing
     */
    public KeyAccess(String entityName, String entity, TableName table, PartitionStrategy strategy, List<Key> keys,
                     List<Key> subKeys, List<Key> distributionKeys) {
        this.entityName = entityName;
        this.entity = entity;
        this.table = table;
        this.strategy = strategy;
        this.keys = List.copyOf(keys);
        this.subKeys = List.copyOf(subKeys);
        this.distributionKeys = List.copyOf(distributionKeys);
        this.allKeys = java.util.stream.Stream.of(this.keys, this.subKeys, this.distributionKeys).flatMap(List::stream).toList();
    }

    public KeyAccess(String entityName, String entity, TableName table, PartitionStrategy strategy, List<Key> keys, List<Key> subKeys) {
        this(entityName, entity, table, strategy, keys, subKeys, List.of());
    }

    public String entityName() {
        return entityName;
    }

    public String entity() {
        return entity;
    }

    public TableName table() {
        return table;
    }

    public PartitionStrategy strategy() {
        return strategy;
    }

    public List<Key> keys() {
        return keys;
    }

    public List<Key> subKeys() {
        return subKeys;
    }

    public List<Key> distributionKeys() {
        return distributionKeys;
    }

    /** Every key attribute, the root's first: what is required on insert and never changes. */
    public List<Key> allKeys() {
        return allKeys;
    }

    /** The position of each key attribute ({@link #allKeys}) in the persister's state arrays; -1 inside the identifier. */
    int[] stateIndexes(org.hibernate.persister.entity.EntityPersister persister) {
        List<String> names = java.util.Arrays.asList(persister.getPropertyNames());
        return allKeys().stream().mapToInt(key -> names.indexOf(key.attribute())).toArray();
    }

    /** The same keys, read from a subclass stored in the same table and named as that subclass in messages. */
    public KeyAccess forSubclass(String subclassEntityName, String subclassEntity) {
        return new KeyAccess(subclassEntityName, subclassEntity, table, strategy, keys, subKeys, distributionKeys);
    }

    /**
     * One key attribute: its name, its column, how to read it from an entity instance, and whether a generator or the
     * database fills it in during the insert ({@code @CreationTimestamp}, {@code @Generated}, {@code insertable =
     * false} with a column default), so that the client leaves it to them and to the server; and whether an
     * {@code AttributeConverter} stands between the attribute's value and the column's, so that only the server can
     * route it. {@code subStrategy} is how the partitions below the table are partitioned by it, null for a key of
     * the table itself.
     */
    public record Key(String attribute, String column, Getter getter, Getter identifierGetter, boolean filledOnInsert,
               boolean converted, PartitionStrategy subStrategy) {

        /** Whether the attribute belongs to the entity's identifier. */
        boolean inIdentifier(org.hibernate.persister.entity.EntityPersister persister) {
            return identifierGetter != null || attribute.equals(persister.getIdentifierPropertyName())
                    || (persister.getIdentifierType() instanceof org.hibernate.type.ComponentType id
                    && java.util.Arrays.asList(id.getPropertyNames()).contains(attribute));
        }

        Object read(Object entity) {
            return identifierGetter == null ? getter.get(entity) : getter.get(identifierGetter.get(entity));
        }
    }
}
