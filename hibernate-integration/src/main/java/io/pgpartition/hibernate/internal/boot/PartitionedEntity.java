package io.pgpartition.hibernate.internal.boot;

import io.pgpartition.validation.EntityMapping;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Table;

/**
 * A {@code @PartitionedBy} entity found in the boot metadata: its description for validation and the boot-model
 * objects the schema contribution adjusts.
 */
record PartitionedEntity(EntityMapping mapping, PersistentClass persistentClass, Table table) {
}
