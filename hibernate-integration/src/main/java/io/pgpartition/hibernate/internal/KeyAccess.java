package io.pgpartition.hibernate.internal;

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
record KeyAccess(String entityName, String entity, TableName table, PartitionStrategy strategy, List<Key> keys) {

    /** One key attribute: its name, its column, and how to read it from an entity instance. */
    record Key(String attribute, String column, Getter getter, Getter identifierGetter) {

        Object read(Object entity) {
            return identifierGetter == null ? getter.get(entity) : getter.get(identifierGetter.get(entity));
        }
    }
}
