package io.pgpartition.hibernate.internal.boot;

import io.pgpartition.hibernate.internal.event.KeyAccess;
import io.pgpartition.PartitionDefinitionException;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.SubPartitionedBy;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.validation.SubPartitionLevel;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.PartitionDefinition;
import io.pgpartition.validation.EntityMapping;
import io.pgpartition.validation.KeyAttribute;
import io.pgpartition.validation.MappedForeignKey;
import io.pgpartition.validation.MappedUnique;
import jakarta.persistence.EnumType;
import org.hibernate.MappingException;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.Collection;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.Component;
import org.hibernate.mapping.ForeignKey;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Property;
import org.hibernate.mapping.Selectable;
import org.hibernate.mapping.Table;
import org.hibernate.mapping.UniqueKey;
import org.hibernate.mapping.Value;
import org.hibernate.type.SqlTypes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the {@code @PartitionedBy} entities in Hibernate's boot metadata and describes each as an
 * {@link EntityMapping}: key attributes resolved to physical columns through the real mapping (naming strategies,
 * {@code @Column(name)}, {@code @IdClass} and {@code @EmbeddedId} members, mapped superclasses), enum constants and
 * discriminator values a LIST key can take, declared unique constraints and the foreign keys that point at the table.
 */
final class EntityScanner {

    private EntityScanner() {
    }

    static List<PartitionedEntity> scan(Metadata metadata) {
        List<PartitionedEntity> entities = new ArrayList<>();
        for (PersistentClass entity : metadata.getEntityBindings()) {
            Class<?> type = mappedClass(entity);
            if (type == null || type.getAnnotation(PartitionedBy.class) == null || !ownsTable(entity, type)
                    || entity.getTable().isAbstractUnionTable()) {
                continue;
            }
            entities.add(describe(metadata, entity, type));
        }
        entities.sort(java.util.Comparator.comparing(e -> e.mapping().entity()));
        return entities;
    }

    /**
     * A subclass sharing its parent's table (SINGLE_TABLE) is described through the root, not again. With
     * TABLE_PER_CLASS each concrete class has a table of its own, partitioned as the root declares (an abstract root
     * has no table, and is not described).
     */
    private static boolean ownsTable(PersistentClass entity, Class<?> type) {
        PersistentClass parent = entity.getSuperclass();
        return parent == null || entity instanceof org.hibernate.mapping.UnionSubclass
                || (entity.getTable() != parent.getTable() && type.getDeclaredAnnotation(PartitionedBy.class) != null);
    }

    private static Class<?> mappedClass(PersistentClass entity) {
        try {
            return entity.getMappedClass();
        } catch (MappingException e) {
            return null;
        }
    }

    private static PartitionedEntity describe(Metadata metadata, PersistentClass entity, Class<?> type) {
        Table table = entity.getTable();
        TableName tableName = tableName(metadata, table);
        Optional<PartitionDefinition> definition = Optional.empty();
        Optional<PartitionDefinitionException> error = Optional.empty();
        try {
            definition = Optional.of(PartitionDefinition.of(type, tableName.name()));
        } catch (PartitionDefinitionException e) {
            error = Optional.of(e);
        }
        List<KeyAttribute> keys = new ArrayList<>();
        List<Object> listValues = new ArrayList<>();
        for (String attribute : keyAttributeNames(type)) {
            Property property = findBasicProperty(entity, attribute);
            if (property == null) {
                keys.add(KeyAttribute.unknown(attribute));
                continue;
            }
            List<Column> columns = columns(property.getValue());
            keys.add(new KeyAttribute(attribute, columns.stream().map(EntityScanner::columnName).toList(),
                    columns.stream().anyMatch(Column::isNullable), property.getType().getReturnedClass()));
            listValues.addAll(enumValues(property));
            listValues.addAll(discriminatorValues(entity, columns));
        }
        EntityMapping mapping = new EntityMapping(entity.getJpaEntityName(), tableName, definition, error, keys,
                attributeColumns(entity), listValues, uniques(table), incomingForeignKeys(metadata, table), subLevels(entity, type),
                distribution(entity, type));
        return new PartitionedEntity(mapping, entity, table);
    }

    /** The attribute of {@code @DistributedBy}, resolved as key attributes are. */
    private static Optional<KeyAttribute> distribution(PersistentClass entity, Class<?> type) {
        io.pgpartition.annotations.DistributedBy declared = type.getAnnotation(io.pgpartition.annotations.DistributedBy.class);
        if (declared == null) {
            return Optional.empty();
        }
        Property property = findBasicProperty(entity, declared.value());
        if (property == null) {
            return Optional.of(KeyAttribute.unknown(declared.value()));
        }
        List<Column> columns = columns(property.getValue());
        return Optional.of(new KeyAttribute(declared.value(), columns.stream().map(EntityScanner::columnName).toList(),
                columns.stream().anyMatch(Column::isNullable), property.getType().getReturnedClass()));
    }

    /** The levels of {@code @SubPartitionedBy}, outermost first, their attributes resolved as key attributes are. */
    private static List<SubPartitionLevel> subLevels(PersistentClass entity, Class<?> type) {
        List<SubPartitionLevel> levels = new ArrayList<>();
        SubPartitionedBy[] declared = type.getAnnotationsByType(SubPartitionedBy.class);
        for (int i = 0; i < declared.length; i++) {
            SubPartitionedBy level = declared[i];
            List<PartitionStrategy> set = new ArrayList<>();
            List<String> attributes = new ArrayList<>();
            if (level.range().length > 0) {
                set.add(PartitionStrategy.RANGE);
                attributes.addAll(List.of(level.range()));
            }
            if (level.list().length > 0) {
                set.add(PartitionStrategy.LIST);
                attributes.addAll(List.of(level.list()));
            }
            if (level.hash().length > 0) {
                set.add(PartitionStrategy.HASH);
                attributes.addAll(List.of(level.hash()));
            }
            List<KeyAttribute> keys = new ArrayList<>();
            for (String attribute : attributes) {
                Property property = findBasicProperty(entity, attribute);
                if (property == null) {
                    keys.add(KeyAttribute.unknown(attribute));
                } else {
                    List<Column> columns = columns(property.getValue());
                    keys.add(new KeyAttribute(attribute, columns.stream().map(EntityScanner::columnName).toList(),
                            columns.stream().anyMatch(Column::isNullable), property.getType().getReturnedClass()));
                }
            }
            levels.add(new SubPartitionLevel(i + 1, set.size() == 1 ? set.get(0) : null, keys));
        }
        return levels;
    }

    /**
     * Every key attribute of the entity: {@code @PartitionedBy}'s, then each {@code @SubPartitionedBy} level's, then
     * {@code @DistributedBy}'s unless it is one of those already.
     */
    private static List<KeyAttribute> allKeyAttributes(EntityMapping mapping) {
        List<KeyAttribute> all = new ArrayList<>(mapping.keyAttributes());
        mapping.subLevels().forEach(level -> all.addAll(level.keyAttributes()));
        mapping.distribution().filter(d -> all.stream().noneMatch(k -> k.attribute().equals(d.attribute()))).ifPresent(all::add);
        return all;
    }

    /** The attribute names of {@code @PartitionedBy}, whichever of range, list or hash holds them. */
    private static List<String> keyAttributeNames(Class<?> type) {
        return PartitionDefinition.keyAttributes(type.getAnnotation(PartitionedBy.class));
    }

    /**
     * How to read the entity's key at run time, or empty when its key is not fully resolved (validation reports that).
     */
    static Optional<KeyAccess> keyAccess(PartitionedEntity partitioned) {
        EntityMapping mapping = partitioned.mapping();
        if (mapping.definition().isEmpty() || !mapping.keyAttributes().stream().allMatch(KeyAttribute::resolved)) {
            return Optional.empty();
        }
        PersistentClass entity = partitioned.persistentClass();
        Class<?> type = entity.getMappedClass();
        if (mapping.subLevels().stream().anyMatch(level -> level.strategy() == null
                || !level.keyAttributes().stream().allMatch(KeyAttribute::resolved))) {
            return Optional.empty();
        }
        List<KeyAccess.Key> keys = new ArrayList<>();
        List<KeyAccess.Key> subKeys = new ArrayList<>();
        List<KeyAccess.Key> distributionKeys = new ArrayList<>();
        int partitionKeys = mapping.keyAttributes().size() + mapping.subLevels().stream().mapToInt(l -> l.keyAttributes().size()).sum();
        for (KeyAttribute key : allKeyAttributes(mapping)) {
            Property property = findBasicProperty(entity, key.attribute());
            if (key.columns().size() != 1 || property == null) {
                if (keys.size() + subKeys.size() == partitionKeys) {
                    continue; // validation reports it; the partition key is guarded all the same
                }
                return Optional.empty();
            }
            boolean sub = keys.size() == mapping.keyAttributes().size();
            boolean distribution = keys.size() + subKeys.size() == partitionKeys;
            List<KeyAccess.Key> into = distribution ? distributionKeys : sub ? subKeys : keys;
            PartitionStrategy subStrategy = sub ? mapping.subLevels().stream().filter(level -> level.keyAttributes().contains(key))
                    .findFirst().map(SubPartitionLevel::strategy).orElse(null) : null;
            boolean inEmbeddedId = entity.getIdentifier() instanceof Component id && id.getProperties().contains(property)
                    && entity.getIdentifierProperty() != null && entity.getIdentifierProperty() != property;
            boolean inIdClass = entity.getIdentifierMapper() != null && entity.getIdentifierMapper().getProperties().contains(property);
            boolean filledOnInsert = (!property.isInsertable() && !inIdClass) || property.getValueGeneratorCreator() != null;
            boolean converted = property.getValue() instanceof BasicValue basic && basic.getJpaAttributeConverterDescriptor() != null;
            into.add(inEmbeddedId
                    ? new KeyAccess.Key(key.attribute(), key.columns().get(0),
                            property.getGetter(((Component) entity.getIdentifier()).getComponentClass()),
                            entity.getIdentifierProperty().getGetter(type), filledOnInsert, converted, subStrategy)
                    : new KeyAccess.Key(key.attribute(), key.columns().get(0), property.getGetter(type), null, filledOnInsert, converted, subStrategy));
        }
        return Optional.of(new KeyAccess(entity.getEntityName(), mapping.entity(), mapping.table(),
                mapping.definition().get().strategy(), keys, subKeys, distributionKeys));
    }

    /**
     * A problem for each JOINED subclass of a partitioned entity: its own table lacks the partition key that
     * Hibernate puts in the WHERE clause of its updates and deletes, so they would fail at run time.
     */
    static List<io.pgpartition.MappingProblem> joinedSubclasses(Metadata metadata, List<PartitionedEntity> entities) {
        List<io.pgpartition.MappingProblem> problems = new ArrayList<>();
        for (PartitionedEntity partitioned : entities) {
            PersistentClass root = partitioned.persistentClass();
            for (PersistentClass subclass : root.getSubclassClosure()) {
                if (subclass instanceof org.hibernate.mapping.JoinedSubclass) {
                    String table = tableName(metadata, subclass.getTable()).toString();
                    problems.add(new io.pgpartition.MappingProblem(io.pgpartition.ProblemCode.SUBCLASS_TABLE_WITHOUT_KEY,
                            subclass.getJpaEntityName(), table, "JOINED subclass of partitioned entity " + root.getJpaEntityName()
                            + " keeps its attributes in table " + table + ", which has no partition key for its updates and "
                            + "deletes to name; found @Inheritance(strategy = JOINED), expected SINGLE_TABLE. Fix: "
                            + "@Inheritance(strategy = InheritanceType.SINGLE_TABLE) on " + root.getJpaEntityName()
                            + ", so that every subclass is stored in " + partitioned.mapping().table()));
                }
            }
        }
        return problems;
    }

    /**
     * A problem for each unidirectional {@code @OneToMany @JoinColumn} whose elements are partitioned entities:
     * Hibernate keeps the join column up to date with {@code UPDATE element SET fk = ? WHERE id = ?}, which names no
     * partition key, so every such update scans every partition.
     */
    static List<io.pgpartition.MappingProblem> collectionsUpdatingById(Metadata metadata, List<PartitionedEntity> entities) {
        List<io.pgpartition.MappingProblem> problems = new ArrayList<>();
        for (Collection collection : metadata.getCollectionBindings()) {
            if (collection.isInverse() || !(collection.getElement() instanceof org.hibernate.mapping.OneToMany element)) {
                continue;
            }
            for (PartitionedEntity partitioned : entities) {
                PersistentClass target = element.getAssociatedClass();
                if (target == null || target.getTable() != partitioned.persistentClass().getTable()) {
                    continue;
                }
                String owner = collection.getOwner().getJpaEntityName();
                String attribute = collection.getRole().substring(collection.getRole().lastIndexOf('.') + 1);
                String joinColumns = String.join(", ", columns(collection.getKey()).stream().map(EntityScanner::columnName).toList());
                String table = partitioned.mapping().table().toString();
                String elementEntity = target.getJpaEntityName();
                problems.add(new io.pgpartition.MappingProblem(io.pgpartition.ProblemCode.COLLECTION_UPDATE_WITHOUT_KEY, owner, table,
                        "collection " + owner + "." + attribute + " (unidirectional @OneToMany with join column " + joinColumns
                                + ") sets " + joinColumns + " on rows of " + table + " by their id alone, so every such update "
                                + "scans every partition; found the collection owning the join column, expected " + elementEntity
                                + " to own it. Fix: map the association on " + elementEntity + " as @ManyToOne @JoinColumn(name = \""
                                + joinColumns + "\") and declare " + owner + "." + attribute + " as @OneToMany(mappedBy = ...)"));
            }
        }
        return problems;
    }

    /**
     * The entity names of the subclasses that share the partitioned table (SINGLE_TABLE inheritance): each is
     * guarded like the root, whose key attributes it inherits.
     */
    static List<PersistentClass> subclassesSharingTable(PartitionedEntity partitioned) {
        PersistentClass root = partitioned.persistentClass();
        return root.getSubclassClosure().stream().filter(subclass -> subclass.getTable() == root.getTable()).toList();
    }

    /**
     * Marks the key attributes outside the identifier with Hibernate's own partition-key flag (what
     * {@code @org.hibernate.annotations.PartitionKey} sets), so that entity UPDATE and DELETE statements carry the
     * loaded key value in their WHERE clause and PostgreSQL prunes them to one partition, and makes them
     * non-updatable, so that no entity UPDATE sets a key column: an UPDATE that does is a bulk or native statement.
     * Key attributes inside the identifier are in the WHERE clause already and never updatable.
     */
    static void markPartitionKeys(PartitionedEntity partitioned) {
        PersistentClass entity = partitioned.persistentClass();
        for (KeyAttribute key : allKeyAttributes(partitioned.mapping())) {
            Property property = key.resolved() ? findBasicProperty(entity, key.attribute()) : null;
            boolean inIdentifier = property == null || property == entity.getIdentifierProperty()
                    || (entity.getIdentifier() instanceof Component id && id.getProperties().contains(property))
                    || (entity.getIdentifierMapper() != null && entity.getIdentifierMapper().getProperties().contains(property));
            if (!inIdentifier && property.getValue() instanceof BasicValue value) {
                value.setPartitionKey(true);
                property.setUpdatable(false);
            }
        }
    }

    /** The basic persistent attribute of that name, including identifier, {@code @IdClass} and {@code @EmbeddedId} members. */
    private static Property findBasicProperty(PersistentClass entity, String name) {
        Property property = null;
        int dot = name.indexOf('.');
        if (dot > 0) {
            // a member of the @EmbeddedId, named through it: "id.postedOn"
            Property identifier = entity.getIdentifierProperty();
            if (identifier != null && identifier.getName().equals(name.substring(0, dot)) && entity.getIdentifier() instanceof Component id) {
                String member = name.substring(dot + 1);
                property = id.getProperties().stream().filter(p -> p.getName().equals(member)).findFirst().orElse(null);
            }
            return property != null && property.getValue() instanceof BasicValue && !columns(property.getValue()).isEmpty()
                    ? property : null;
        }
        try {
            property = entity.getProperty(name);
        } catch (MappingException notAProperty) {
            if (entity.getIdentifier() instanceof Component id) {
                property = id.getProperties().stream().filter(p -> p.getName().equals(name)).findFirst().orElse(null);
            }
        }
        return property != null && property.getValue() instanceof BasicValue && !columns(property.getValue()).isEmpty()
                ? property : null;
    }

    private static List<Column> columns(Value value) {
        List<Column> columns = new ArrayList<>();
        for (Selectable selectable : value.getSelectables()) {
            if (!(selectable instanceof Column column)) {
                return List.of();
            }
            columns.add(column);
        }
        return columns;
    }

    /** The name PostgreSQL stores: unquoted names are folded to lower case. */
    static String columnName(Column column) {
        return column.isQuoted() ? column.getName() : column.getName().toLowerCase(Locale.ROOT);
    }

    static TableName tableName(Metadata metadata, Table table) {
        String name = table.isQuoted() ? table.getName() : table.getName().toLowerCase(Locale.ROOT);
        Identifier schema = table.getSchemaIdentifier();
        if (schema == null) {
            schema = metadata.getDatabase().getDefaultNamespace().getPhysicalName().schema();
        }
        if (schema == null) {
            return TableName.of(name);
        }
        return TableName.of(schema.isQuoted() ? schema.getText() : schema.getText().toLowerCase(Locale.ROOT), name);
    }

    private static Map<String, List<String>> attributeColumns(PersistentClass entity) {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        List<Property> properties = new ArrayList<>(entity.getPropertyClosure());
        if (entity.getIdentifierProperty() != null) {
            properties.add(entity.getIdentifierProperty());
        }
        if (entity.getIdentifier() instanceof Component id) {
            properties.addAll(id.getProperties());
        }
        if (entity.getIdentifierMapper() != null) {
            properties.addAll(entity.getIdentifierMapper().getProperties());
        }
        for (Property property : properties) {
            if (property.getValue() instanceof BasicValue) {
                List<Column> mapped = columns(property.getValue());
                if (!mapped.isEmpty()) {
                    columns.putIfAbsent(property.getName(), mapped.stream().map(EntityScanner::columnName).toList());
                }
            }
        }
        return columns;
    }

    /** The constants of an enum attribute as stored: names for string and enum columns, ordinals otherwise. */
    private static List<Object> enumValues(Property property) {
        Class<?> type = property.getType().getReturnedClass();
        if (!type.isEnum() || !(property.getValue() instanceof BasicValue basic) || basic.getJpaAttributeConverterDescriptor() != null) {
            return List.of();
        }
        boolean byName = basic.getEnumeratedType() == EnumType.STRING;
        if (basic.getEnumeratedType() == null) {
            int code = basic.resolve().getJdbcType().getDefaultSqlTypeCode();
            byName = SqlTypes.isCharacterType(code) || code == SqlTypes.ENUM || code == SqlTypes.NAMED_ENUM;
        }
        List<Object> values = new ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            Enum<?> value = (Enum<?>) constant;
            values.add(byName ? value.name() : (Object) value.ordinal());
        }
        return values;
    }

    /** When the key column is the SINGLE_TABLE discriminator, every concrete class's discriminator value. */
    private static List<Object> discriminatorValues(PersistentClass entity, List<Column> keyColumns) {
        PersistentClass root = entity.getRootClass();
        Value discriminator = root.getDiscriminator();
        if (discriminator == null || keyColumns.size() != 1 || !columns(discriminator).equals(keyColumns)) {
            return List.of();
        }
        List<Object> values = new ArrayList<>();
        List<PersistentClass> hierarchy = new ArrayList<>();
        hierarchy.add(root);
        hierarchy.addAll(root.getSubclassClosure());
        for (PersistentClass member : hierarchy) {
            String value = member.getDiscriminatorValue();
            boolean concrete = member.isAbstract() == null || !member.isAbstract();
            if (concrete && value != null && !value.equals("null") && !value.equals("not null") && !values.contains(value)) {
                values.add(value);
            }
        }
        return values;
    }

    private static List<MappedUnique> uniques(Table table) {
        List<MappedUnique> uniques = new ArrayList<>();
        for (UniqueKey unique : table.getUniqueKeys().values()) {
            uniques.add(new MappedUnique(unique.getName(), unique.getColumns().stream().map(EntityScanner::columnName).toList()));
        }
        return uniques;
    }

    private static List<MappedForeignKey> incomingForeignKeys(Metadata metadata, Table target) {
        List<MappedForeignKey> keys = new ArrayList<>();
        for (Table table : metadata.collectTableMappings()) {
            for (ForeignKey key : table.getForeignKeyCollection()) {
                if (key.getReferencedTable() != target) {
                    continue;
                }
                List<Column> referenced = key.isReferenceToPrimaryKey() ? target.getPrimaryKey().getColumns() : key.getReferencedColumns();
                keys.add(new MappedForeignKey(source(metadata, table), tableName(metadata, table),
                        key.getColumns().stream().map(EntityScanner::columnName).toList(),
                        referenced.stream().map(EntityScanner::columnName).toList(),
                        key.isCreationEnabled() && key.isPhysicalConstraint()));
            }
        }
        return keys;
    }

    /** Who declares a table's foreign keys: the entity mapped to it, else the collection whose table it is. */
    private static String source(Metadata metadata, Table table) {
        for (PersistentClass entity : metadata.getEntityBindings()) {
            if (entity.getTable() == table) {
                return entity.getJpaEntityName();
            }
        }
        for (Collection collection : metadata.getCollectionBindings()) {
            if (collection.getCollectionTable() == table) {
                String role = collection.getRole();
                String owner = collection.getOwner().getEntityName();
                return "collection " + collection.getOwner().getJpaEntityName()
                        + (role.startsWith(owner + ".") ? role.substring(owner.length()) : role.substring(role.lastIndexOf('.')));
            }
        }
        return "table " + table.getName();
    }
}
