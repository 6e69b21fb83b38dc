package io.pgpartition.hibernate;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.annotations.DistributedBy;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.policy.PartitionDefinition;
import jakarta.persistence.EntityManager;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.metamodel.mapping.AttributeMapping;
import org.hibernate.persister.entity.EntityPersister;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which partition holds an entity's row, as PostgreSQL says ({@code tableoid::regclass}): for tests, debugging and
 * audit logs.
 */
public final class PartitionLocator {

    private PartitionLocator() {
    }

    /**
     * The name of the partition holding the entity's row, schema-qualified only where the search path needs it.
     * Pending changes to the entity's table are flushed first (automatic flush), so a just-persisted entity is found.
     *
     * @throws IllegalArgumentException if the object is not an entity with an identifier
     * @throws PartitioningException    if no row of the entity's table has its identifier
     */
    public static String partitionOf(EntityManager entityManager, Object entity) {
        SessionImplementor session = entityManager.unwrap(SessionImplementor.class);
        EntityPersister persister = session.getEntityPersister(null, entity);
        Object id = persister.getIdentifier(entity, session);
        if (id == null) {
            throw new IllegalArgumentException("Entity " + persister.getEntityName() + " has no identifier yet; persist it first");
        }
        List<Object> values = new ArrayList<>();
        persister.getIdentifierMapping().forEachJdbcValue(id, values, null,
                (index, collected, unused, value, jdbcMapping) -> collected.add(value), session);
        List<String> columns = new ArrayList<>(List.of(persister.getIdentifierColumnNames()));
        int idColumns = columns.size();
        keyColumns(persister, entity, session, columns, values);
        StringBuilder sql = new StringBuilder("select tableoid::regclass::text from ").append(persister.getTableName()).append(" where ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : " and ").append(columns.get(i)).append(" = ?").append(i + 1);
        }
        var query = session.createNativeQuery(sql.toString(), String.class)
                .addSynchronizedEntityName(persister.getEntityName());
        for (int i = 0; i < values.size(); i++) {
            query.setParameter(i + 1, values.get(i));
        }
        List<String> partitions = query.getResultList();
        if (partitions.isEmpty()) {
            throw new PartitioningException(ErrorCode.NO_PARTITION_FOR_KEY, "No row of " + persister.getTableName()
                    + " has the identifier of " + persister.getEntityName() + " " + id + " ("
                    + String.join(", ", columns.subList(0, idColumns)) + " = " + values.subList(0, idColumns).stream()
                    .map(String::valueOf).collect(Collectors.joining(", "))
                    + "). Persist it, or check that it was not deleted.");
        }
        String partition = partitions.get(0);
        return persister.getMappedClass() != null && persister.getMappedClass().isAnnotationPresent(DistributedBy.class)
                ? partitionOfShard(session, partition) : partition;
    }

    /**
     * On Citus a row's {@code tableoid} is read on a worker and names the shard ({@code events_2026_12_102077}): the
     * partition is the table that shard belongs to. Asked only for {@code @DistributedBy} entities.
     */
    private static String partitionOfShard(SessionImplementor session, String name) {
        return session.doReturningWork(connection -> {
            try (var statement = connection.prepareStatement("SELECT " + io.pgpartition.catalog.internal.CitusCatalog.VERSION_COLUMN
                    + " IS NOT NULL"); var rs = statement.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return name;
                }
            }
            io.pgpartition.catalog.internal.CitusCatalog.Shard shard = io.pgpartition.catalog.internal.CitusCatalog.shards(connection,
                    List.of(io.pgpartition.model.TableName.parse(name))).values().stream().findFirst().orElse(null);
            return shard == null ? name : shard.regclass();
        });
    }

    /**
     * The partition key columns the identifier does not hold, with the entity's values for them as JDBC values, so that
     * PostgreSQL reads one partition (a key attribute without a value, or not mapped as expected, is left out).
     */
    private static void keyColumns(EntityPersister persister, Object entity, SessionImplementor session, List<String> columns,
                                   List<Object> values) {
        Class<?> type = persister.getMappedClass();
        PartitionedBy partitionedBy = type == null ? null : type.getAnnotation(PartitionedBy.class);
        if (partitionedBy == null) {
            return;
        }
        for (String attribute : PartitionDefinition.keyAttributes(partitionedBy)) {
            AttributeMapping mapping = persister.findAttributeMapping(attribute);
            if (mapping == null) {
                continue;
            }
            Object value = mapping.getValue(entity);
            List<String> names = new ArrayList<>();
            mapping.forEachSelectable((index, selectable) -> names.add(selectable.getSelectionExpression()));
            List<Object> jdbc = new ArrayList<>();
            if (value != null) {
                mapping.forEachJdbcValue(value, jdbc, null, (index, collected, unused, v, jdbcMapping) -> collected.add(v), session);
            }
            if (value == null || names.size() != jdbc.size() || columns.containsAll(names)) {
                continue;
            }
            columns.addAll(names);
            values.addAll(jdbc);
        }
    }
}
