package io.pgpartition.validation;

import io.pgpartition.PartitionDefinitionException;
import io.pgpartition.policy.PartitionDefinition;
import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What validation needs to know of one partitioned entity's mapping.
 *
 * @param entity            the entity name
 * @param table             the mapped table (schema when the mapping gives one)
 * @param definition        the parsed annotations, unless they could not be read
 * @param definitionError   why the annotations could not be read
 * @param keyAttributes     the key attributes in {@code @PartitionedBy} order
 * @param attributeColumns  every basic attribute of the entity and the column(s) it maps to, for suggestions
 * @param listValues        values a LIST key can take besides declared {@code @ListPartition} values: enum constants as
 *                          mapped (names, or ordinals as {@code Integer}) and discriminator values of subclasses
 * @param uniques           unique constraints declared in the mapping
 * @param incomingForeignKeys foreign keys declared in the mapping that reference this entity's table
 * @param subLevels         the levels of sub-partitioning declared with {@code @SubPartitionedBy}, outermost first
 * @param distribution      the attribute declared with {@code @DistributedBy} (a Citus distribution column), if any
 */
public record EntityMapping(String entity, TableName table, Optional<PartitionDefinition> definition,
                            Optional<PartitionDefinitionException> definitionError, List<KeyAttribute> keyAttributes,
                            Map<String, List<String>> attributeColumns, List<Object> listValues, List<MappedUnique> uniques,
                            List<MappedForeignKey> incomingForeignKeys, List<SubPartitionLevel> subLevels,
                            Optional<KeyAttribute> distribution) {

    /** A mapping that declares no distribution column. */
    public EntityMapping(String entity, TableName table, Optional<PartitionDefinition> definition,
                         Optional<PartitionDefinitionException> definitionError, List<KeyAttribute> keyAttributes,
                         Map<String, List<String>> attributeColumns, List<Object> listValues, List<MappedUnique> uniques,
                         List<MappedForeignKey> incomingForeignKeys, List<SubPartitionLevel> subLevels) {
        this(entity, table, definition, definitionError, keyAttributes, attributeColumns, listValues, uniques, incomingForeignKeys,
                subLevels, Optional.empty());
    }

    /** A mapping that declares no sub-partitioning. */
    public EntityMapping(String entity, TableName table, Optional<PartitionDefinition> definition,
                         Optional<PartitionDefinitionException> definitionError, List<KeyAttribute> keyAttributes,
                         Map<String, List<String>> attributeColumns, List<Object> listValues, List<MappedUnique> uniques,
                         List<MappedForeignKey> incomingForeignKeys) {
        this(entity, table, definition, definitionError, keyAttributes, attributeColumns, listValues, uniques, incomingForeignKeys,
                List.of());
    }

    public EntityMapping {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(table, "table");
        if (definition.isPresent() == definitionError.isPresent()) {
            throw new IllegalArgumentException("An entity mapping has either a definition or the error reading it");
        }
        keyAttributes = List.copyOf(keyAttributes);
        attributeColumns = Map.copyOf(attributeColumns);
        listValues = Collections.unmodifiableList(new ArrayList<>(listValues));
        uniques = List.copyOf(uniques);
        incomingForeignKeys = List.copyOf(incomingForeignKeys);
        subLevels = List.copyOf(subLevels);
        Objects.requireNonNull(distribution, "distribution");
    }

    /** The key columns in order, when every key attribute resolved. */
    public List<String> keyColumns() {
        return keyAttributes.stream().flatMap(k -> k.columns().stream()).toList();
    }

    /** The attribute mapped to exactly these columns, if any. */
    public Optional<String> attributeFor(List<String> columns) {
        return attributeColumns.entrySet().stream().filter(e -> e.getValue().equals(columns)).map(Map.Entry::getKey)
                .sorted().findFirst();
    }
}
