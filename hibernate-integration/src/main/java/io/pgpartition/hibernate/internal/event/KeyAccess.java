package io.pgpartition.hibernate.internal.event;

import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.TableName;
import org.hibernate.property.access.spi.Getter;

import java.util.List;

/**
 * How to read a partitioned entity's key at run time.
 *
 * @param entityName the persister's entity name
 * @param entity     the entity name used in messages
 * @param table      the mapped table
 * @param strategy   its partitioning strategy
 * @param keys       the key attributes, in key order
 */
public record KeyAccess(String entityName, String entity, TableName table, PartitionStrategy strategy, List<Key> keys) {

    /** The position of each key attribute in the persister's state arrays, in key order; -1 inside the identifier. */
    int[] stateIndexes(org.hibernate.persister.entity.EntityPersister persister) {
        List<String> names = java.util.Arrays.asList(persister.getPropertyNames());
        return keys.stream().mapToInt(key -> names.indexOf(key.attribute())).toArray();
    }

    /** The same keys, read from a subclass stored in the same table and named as that subclass in messages. */
    public KeyAccess forSubclass(String subclassEntityName, String subclassEntity) {
        return new KeyAccess(subclassEntityName, subclassEntity, table, strategy, keys);
    }

    /**
     * One key attribute: its name, its column, how to read it from an entity instance, and whether a generator or the
     * database fills it in during the insert ({@code @CreationTimestamp}, {@code @Generated}, {@code insertable =
     * false} with a column default), so that the client leaves it to them and to the server; and whether an
     * {@code AttributeConverter} stands between the attribute's value and the column's, so that only the server can
     * route it.
     */
    public record Key(String attribute, String column, Getter getter, Getter identifierGetter, boolean filledOnInsert,
               boolean converted) {

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
