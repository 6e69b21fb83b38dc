package io.pgpartition.hibernate.internal.boot;

import io.pgpartition.MappingProblem;
import io.pgpartition.ProblemCode;
import io.pgpartition.pruning.internal.KeylessQuery;
import io.pgpartition.validation.KeyAttribute;
import io.pgpartition.validation.MappedForeignKey;
import jakarta.persistence.NamedQuery;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.query.NamedQueryDefinition;
import org.hibernate.boot.spi.AbstractNamedQueryDefinition;
import org.hibernate.mapping.Collection;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.OneToOne;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Property;
import org.hibernate.mapping.ToOne;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The mappings that always produce statements scanning every partition, found in the boot metadata: associations
 * that reach a partitioned entity by columns without its key, and named queries on one whose text has no condition on
 * its key (where the text says so for certain). Reported when {@code pgpartition.unpruned_statements} is on.
 */
final class UnprunedMappings {

    /** The query hint that marks a named query whose scan of every partition is meant. */
    static final String FULL_SCAN_HINT = "pgpartition.full_scan";

    private UnprunedMappings() {
    }

    static List<MappingProblem> of(Metadata metadata, List<PartitionedEntity> entities) {
        List<MappingProblem> problems = new ArrayList<>();
        problems.addAll(associations(metadata, entities));
        problems.addAll(collections(metadata, entities));
        problems.addAll(namedQueries(metadata, entities));
        return problems;
    }

    /** The partitioned entity whose table the named entity maps (itself or a subclass sharing its table). */
    private static Optional<PartitionedEntity> partitioned(Metadata metadata, List<PartitionedEntity> entities, String entityName) {
        PersistentClass binding = entityName == null ? null : metadata.getEntityBinding(entityName);
        if (binding == null) {
            return Optional.empty();
        }
        return entities.stream().filter(entity -> entity.table() == binding.getTable()).findFirst();
    }

    private static List<String> names(List<Column> columns) {
        return columns.stream().map(EntityScanner::columnName).toList();
    }

    /** {@code @ManyToOne} and owning {@code @OneToOne} associations whose join columns miss the target's key. */
    private static List<MappingProblem> associations(Metadata metadata, List<PartitionedEntity> entities) {
        List<MappingProblem> problems = new ArrayList<>();
        for (PersistentClass owner : metadata.getEntityBindings()) {
            for (Property property : owner.getProperties()) {
                if (!(property.getValue() instanceof ToOne toOne) || toOne instanceof OneToOne one && one.getMappedByProperty() != null
                        || !toOne.isReferenceToPrimaryKey()) {
                    continue;
                }
                Optional<PartitionedEntity> target = partitioned(metadata, entities, toOne.getReferencedEntityName());
                if (target.isEmpty()) {
                    continue;
                }
                List<String> keyColumns = target.get().mapping().keyColumns();
                List<String> referenced = names(target.get().persistentClass().getIdentifier().getColumns());
                List<String> joinColumns = names(toOne.getColumns());
                if (keyColumns.isEmpty() || referenced.containsAll(keyColumns) || constrained(target.get(), owner, joinColumns)) {
                    continue;
                }
                String entity = target.get().mapping().entity();
                String table = target.get().mapping().table().toString();
                String kind = toOne instanceof OneToOne ? "@OneToOne" : "@ManyToOne";
                String keys = String.join(", ", keyColumns);
                problems.add(new MappingProblem(ProblemCode.ASSOCIATION_WITHOUT_KEY, entity, table, "association "
                        + owner.getJpaEntityName() + "." + property.getName() + " (" + kind + " joined by " + String.join(", ", joinColumns)
                        + ") reaches " + entity + " by (" + String.join(", ", referenced) + ") alone, so that loading it reads every "
                        + "partition of " + table + "; found join columns referencing (" + String.join(", ", referenced)
                        + "), expected join columns referencing (" + String.join(", ", referenced) + ", " + keys + "). Fix: make "
                        + keys + " part of " + entity + "'s identifier (@IdClass or @EmbeddedId) and join on it too (@JoinColumns "
                        + "naming " + String.join(", ", joinColumns) + " and " + keys + "), or map " + String.join(", ", joinColumns)
                        + " as a plain attribute and load " + entity + " with PartitionedFinder.find(em, " + entity + ".class, id, "
                        + String.join(", ", target.get().mapping().keyAttributes().stream().map(KeyAttribute::attribute).toList()) + ")"));
            }
        }
        return problems;
    }

    /** Whether a database constraint backs these join columns: FOREIGN_KEY_TO_PARTITIONED reports it already. */
    private static boolean constrained(PartitionedEntity target, PersistentClass owner, List<String> joinColumns) {
        for (MappedForeignKey key : target.mapping().incomingForeignKeys()) {
            if (key.constraint() && key.columns().equals(joinColumns) && key.table().name().equals(owner.getTable().getName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code @OneToMany} collections whose elements are partitioned entities and whose join columns miss their key (a
     * unidirectional one owning its join column is reported as COLLECTION_UPDATE_WITHOUT_KEY already).
     */
    private static List<MappingProblem> collections(Metadata metadata, List<PartitionedEntity> entities) {
        List<MappingProblem> problems = new ArrayList<>();
        for (Collection collection : metadata.getCollectionBindings()) {
            if (!collection.isInverse() || !(collection.getElement() instanceof org.hibernate.mapping.OneToMany element)) {
                continue;
            }
            Optional<PartitionedEntity> target = partitioned(metadata, entities, element.getReferencedEntityName());
            if (target.isEmpty()) {
                continue;
            }
            List<String> keyColumns = target.get().mapping().keyColumns();
            List<String> joinColumns = names(collection.getKey().getColumns());
            if (keyColumns.isEmpty() || joinColumns.containsAll(keyColumns)) {
                continue;
            }
            String entity = target.get().mapping().entity();
            String table = target.get().mapping().table().toString();
            String owner = collection.getOwner().getJpaEntityName();
            String attribute = collection.getRole().substring(collection.getRole().lastIndexOf('.') + 1);
            String keys = String.join(", ", keyColumns);
            problems.add(new MappingProblem(ProblemCode.ASSOCIATION_WITHOUT_KEY, entity, table, "collection " + owner + "." + attribute
                    + " (@OneToMany joined by " + String.join(", ", joinColumns) + ") reads its " + entity + " elements by "
                    + String.join(", ", joinColumns) + " alone, so that loading it reads every partition of " + table
                    + "; found join columns (" + String.join(", ", joinColumns) + "), expected join columns including (" + keys
                    + "). Fix: join on the partition key too (@JoinColumns naming " + keys + " besides " + String.join(", ", joinColumns)
                    + ", where " + owner + " holds the same key), or drop the collection and read the elements with a query that "
                    + "names " + keys));
        }
        return problems;
    }

    /** Named JPQL/HQL and native queries on a partitioned entity whose text has no condition on its key. */
    private static List<MappingProblem> namedQueries(Metadata metadata, List<PartitionedEntity> entities) {
        List<MappingProblem> problems = new ArrayList<>();
        metadata.visitNamedHqlQueryDefinitions(definition -> check(definition, definition.getHqlString(), false, entities, problems));
        metadata.visitNamedNativeQueryDefinitions(definition -> check(definition, definition.getSqlQueryString(), true, entities, problems));
        return problems;
    }

    private static void check(NamedQueryDefinition<?> definition, String text, boolean nativeSql, List<PartitionedEntity> entities,
                              List<MappingProblem> problems) {
        if (text == null || markedFullScan(definition, entities)) {
            return;
        }
        for (PartitionedEntity entity : entities) {
            if (!certain(entity)) {
                continue;
            }
            PersistentClass type = entity.persistentClass();
            Set<String> targets = new LinkedHashSet<>();
            if (nativeSql) {
                targets.add(entity.mapping().table().name());
                targets.add(entity.mapping().table().toString());
            } else {
                targets.add(type.getJpaEntityName());
                targets.add(type.getEntityName());
            }
            Set<String> keys = new LinkedHashSet<>(entity.mapping().keyColumns());
            entity.mapping().keyAttributes().forEach(key -> keys.add(key.attribute()));
            if (KeylessQuery.target(text, targets, keys).isEmpty()) {
                continue;
            }
            String keyAttributes = String.join(", ", entity.mapping().keyAttributes().stream().map(KeyAttribute::attribute).toList());
            String keyColumns = String.join(", ", entity.mapping().keyColumns());
            String name = definition.getRegistrationName();
            String location = definition.getLocation() == null ? "" : " declared on " + definition.getLocation();
            problems.add(new MappingProblem(ProblemCode.QUERY_WITHOUT_KEY, entity.mapping().entity(), entity.mapping().table().toString(),
                    (nativeSql ? "named native query " : "named query ") + name + location + " has no condition on the partition key "
                            + (nativeSql ? keyColumns : keyAttributes) + ", so that it reads every partition of "
                            + entity.mapping().table() + "; found: " + text + "; expected a condition on " + (nativeSql ? keyColumns : keyAttributes)
                            + ". Fix: add one (an equality, a range or an IN list), or where reading every partition is meant, mark it "
                            + "with @QueryHint(name = \"" + FULL_SCAN_HINT + "\", value = \"true\")"));
        }
    }

    /**
     * Whether the query carries the {@value #FULL_SCAN_HINT} hint: in the hints Hibernate keeps (native queries), else
     * on the {@code @NamedQuery} annotation where it was declared (Hibernate does not keep the other hints of JPQL ones).
     */
    private static boolean markedFullScan(NamedQueryDefinition<?> definition, List<PartitionedEntity> entities) {
        Map<String, Object> hints = definition instanceof AbstractNamedQueryDefinition<?> named ? named.getHints() : Map.of();
        if (hints != null && hints.containsKey(FULL_SCAN_HINT)) {
            return "true".equalsIgnoreCase(String.valueOf(hints.get(FULL_SCAN_HINT)).trim());
        }
        if (definition.getLocation() == null) {
            return false;
        }
        for (PartitionedEntity entity : entities) {
            Class<?> mapped = entity.persistentClass().getMappedClass();
            ClassLoader loader = mapped == null ? UnprunedMappings.class.getClassLoader() : mapped.getClassLoader();
            try {
                Class<?> declaring = Class.forName(definition.getLocation(), false, loader);
                for (NamedQuery query : declaring.getAnnotationsByType(NamedQuery.class)) {
                    if (query.name().equals(definition.getRegistrationName())) {
                        return Arrays.stream(query.hints()).anyMatch(hint -> hint.name().equals(FULL_SCAN_HINT)
                                && "true".equalsIgnoreCase(hint.value().trim()));
                    }
                }
                return false;
            } catch (ClassNotFoundException | LinkageError notFromHere) {
                // a package name, or a class this loader cannot see: try the next entity's
            }
        }
        return false;
    }

    /**
     * Whether a query's text alone can tell: not where the identifier holds the key (a condition on the id names it),
     * nor where a restriction or filter of the entity may add a condition the text does not show.
     */
    private static boolean certain(PartitionedEntity entity) {
        PersistentClass type = entity.persistentClass();
        List<String> idColumns = names(type.getIdentifier().getColumns());
        boolean keyInId = entity.mapping().keyColumns().stream().anyMatch(idColumns::contains);
        return !keyInId && type.getWhere() == null && type.getFilters().isEmpty() && !entity.mapping().keyColumns().isEmpty();
    }
}
