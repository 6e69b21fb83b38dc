package io.pgpartition.hibernate.internal.boot;

import io.pgpartition.PartitioningException;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.DefaultBound;
import io.pgpartition.model.HashBound;
import io.pgpartition.model.ListBound;
import io.pgpartition.model.PartitionBound;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.TableName;
import io.pgpartition.model.ValueKind;
import io.pgpartition.policy.ListPartitionSpec;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.policy.NumericInterval;
import io.pgpartition.policy.PartitionDefinition;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.policy.TimeInterval;
import io.pgpartition.validation.EntityMapping;
import io.pgpartition.validation.KeyAttribute;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.model.relational.Database;
import org.hibernate.boot.model.relational.SimpleAuxiliaryDatabaseObject;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.PrimaryKey;
import org.hibernate.mapping.Table;
import org.hibernate.mapping.UniqueKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Makes Hibernate's schema generation create {@code @PartitionedBy} tables partitioned: {@code PARTITION BY} after the
 * column list, the key columns in the primary key, and initial partitions from {@code @ListPartition},
 * {@code @HashPartitions} and {@code @RangePartitions} (the current period through {@code premake} periods ahead,
 * plus the default partition when asked). Affects only DDL that Hibernate generates; the runtime mapping is untouched.
 */
final class PartitionedSchema {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionedSchema.class);

    private PartitionedSchema() {
    }

    static void contribute(Metadata metadata, List<PartitionedEntity> entities, Clock clock) {
        Database database = metadata.getDatabase();
        for (PartitionedEntity entity : entities) {
            EntityMapping mapping = entity.mapping();
            if (mapping.definition().isEmpty() || !mapping.keyAttributes().stream().allMatch(KeyAttribute::resolved)) {
                continue;
            }
            PartitionDefinition definition = mapping.definition().get();
            Table table = entity.table();
            String existing = table.getOptions();
            if (existing != null && existing.toUpperCase(Locale.ROOT).contains("PARTITION BY")) {
                continue;
            }
            String partitionBy = PartitionDdl.partitionBy(definition.strategy(), mapping.keyColumns());
            table.setOptions(existing == null || existing.isBlank() ? partitionBy : existing + " " + partitionBy);
            addKeyToPrimaryKey(table, mapping.keyColumns());
            List<String> create = new ArrayList<>();
            List<String> drop = new ArrayList<>();
            for (Initial partition : initialPartitions(mapping, definition, clock)) {
                TableName name = mapping.table().sibling(partition.name());
                try {
                    create.add(PartitionDdl.createPartitionOfIfNotExists(mapping.table(), name, partition.bound()));
                    drop.add("DROP TABLE IF EXISTS " + Sql.table(name));
                } catch (PartitioningException e) {
                    LOG.warn("Not creating partition {} of {}: {}", partition.name(), mapping.table(), e.getMessage());
                }
            }
            if (!create.isEmpty()) {
                database.addAuxiliaryDatabaseObject(new SimpleAuxiliaryDatabaseObject(database.getDefaultNamespace(),
                        create.toArray(String[]::new), drop.toArray(String[]::new), Set.of()));
            }
        }
    }

    /**
     * PostgreSQL requires every unique constraint of a partitioned table, the primary key included, to hold the key.
     * The identifier columns stay first (Hibernate would otherwise reorder them), so that a lookup by identifier alone
     * can still use each partition's primary key index.
     */
    private static void addKeyToPrimaryKey(Table table, List<String> keyColumns) {
        PrimaryKey primaryKey = table.getPrimaryKey();
        if (primaryKey == null) {
            return;
        }
        List<Column> ordered = new ArrayList<>(primaryKey.getColumns());
        for (String keyColumn : keyColumns) {
            boolean present = ordered.stream().anyMatch(c -> EntityScanner.columnName(c).equals(keyColumn));
            if (!present) {
                table.getColumns().stream().filter(c -> EntityScanner.columnName(c).equals(keyColumn)).findFirst()
                        .ifPresent(column -> {
                            primaryKey.addColumn(column);
                            ordered.add(column);
                        });
            }
        }
        if (primaryKey.getOrderingUniqueKey() == null) {
            UniqueKey ordering = new UniqueKey(table);
            ordered.forEach(ordering::addColumn);
            primaryKey.setOrderingUniqueKey(ordering);
        }
    }

    /** A partition to create with the table. */
    private record Initial(String name, PartitionBound bound) {
    }

    private static List<Initial> initialPartitions(EntityMapping mapping, PartitionDefinition definition, Clock clock) {
        String table = mapping.table().name();
        List<Initial> partitions = new ArrayList<>();
        definition.list().ifPresent(policy -> {
            for (ListPartitionSpec spec : policy.partitions()) {
                partitions.add(new Initial(spec.name(), new ListBound(List.copyOf(spec.values()))));
            }
        });
        definition.hash().ifPresent(policy -> {
            for (int r = 0; r < policy.modulus(); r++) {
                partitions.add(new Initial(policy.partitionName(table, r), new HashBound(policy.modulus(), r)));
            }
        });
        definition.range().ifPresent(policy -> partitions.addAll(rangePartitions(table, policy, mapping.keyAttributes(), clock)));
        return partitions;
    }

    private static List<Initial> rangePartitions(String table, RangePolicy policy, List<KeyAttribute> key, Clock clock) {
        List<Initial> partitions = new ArrayList<>();
        if (key.size() != 1) {
            return partitions;
        }
        Class<?> type = key.get(0).javaType();
        if (policy.interval() instanceof TimeInterval interval) {
            LocalDate start = interval.periodStart(LocalDate.now(clock.withZone(policy.zone())));
            ValueKind kind = type == LocalDate.class || type == java.sql.Date.class ? ValueKind.DATE
                    : type == Instant.class || type == OffsetDateTime.class || type == ZonedDateTime.class ? ValueKind.TIMESTAMPTZ
                    : ValueKind.TIMESTAMP;
            for (int i = 0; i <= policy.premake(); i++) {
                LocalDate from = interval.plus(start, i);
                partitions.add(new Initial(policy.naming().format(table, from), interval.bound(from, kind, policy.zone())));
            }
        } else if (policy.interval() instanceof NumericInterval numeric) {
            for (int i = 0; i <= policy.premake(); i++) {
                BigInteger from = numeric.step().multiply(BigInteger.valueOf(i));
                partitions.add(new Initial(policy.naming().format(table, NamingPattern.Token.VALUE, from.toString()),
                        RangeBound.of(from, from.add(numeric.step()))));
            }
        }
        if (policy.defaultPartition()) {
            partitions.add(new Initial(table + "_default", DefaultBound.INSTANCE));
        }
        return partitions;
    }
}
