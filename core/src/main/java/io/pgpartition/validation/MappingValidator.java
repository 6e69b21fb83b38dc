package io.pgpartition.validation;

import io.pgpartition.MappingProblem;
import io.pgpartition.PartitionDefinitionException;
import io.pgpartition.PartitioningException;
import io.pgpartition.ProblemCode;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.catalog.Distribution;
import io.pgpartition.catalog.Column;
import io.pgpartition.catalog.Relation;
import io.pgpartition.catalog.RelationKind;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.internal.ShellWords;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.HashBound;
import io.pgpartition.model.KeyPart;
import io.pgpartition.model.ListBound;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionBound;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.HashPolicy;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.policy.PartitionDefinition;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.policy.TimeInterval;
import io.pgpartition.policy.TimeUnit;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks partitioned entity mappings against what the catalog says of their tables and returns every problem of
 * every entity. Each problem's message reads {@code what is wrong; found X, expected Y. Fix: one concrete action},
 * the fix being the DDL to run where a partition is missing.
 */
public final class MappingValidator {

    private final Clock clock;
    private final List<String> connectionOptions;

    /** A validator whose printed commands name the database as {@code --url ...}. */
    public MappingValidator(Clock clock) {
        this(clock, List.of("--url", "..."));
    }

    /**
     * A validator whose printed commands reach the database with these options of pgpartition's command line
     * (see {@link ShellWords#connectionOptions}), so that they run as printed.
     */
    public MappingValidator(Clock clock, List<String> connectionOptions) {
        this.clock = clock;
        this.connectionOptions = List.copyOf(connectionOptions);
    }

    /** The tables a catalog read must cover to validate these entities. */
    public static List<TableName> tablesToRead(Collection<EntityMapping> entities) {
        List<TableName> tables = new ArrayList<>(entities.stream().map(EntityMapping::table).distinct().toList());
        // the tables whose mapped associations reference them: on Citus, whether they are colocated with them
        entities.stream().flatMap(e -> e.incomingForeignKeys().stream()).map(MappedForeignKey::table)
                .filter(t -> !tables.contains(t)).distinct().forEach(tables::add);
        return tables;
    }

    /**
     * For each range entity whose policy names partitions by period, the name of the partition that should hold the
     * current time: reading just those (see {@link io.pgpartition.catalog.CatalogReader#read(java.sql.Connection,
     * Collection, Map)}) answers the common case without reading every bound of very large tables.
     */
    public Map<TableName, Set<String>> focus(Collection<EntityMapping> entities) {
        Map<TableName, Set<String>> focus = new LinkedHashMap<>();
        for (EntityMapping entity : entities) {
            Optional<RangePolicy> policy = entity.definition().flatMap(PartitionDefinition::range);
            if (policy.isPresent() && policy.get().interval() instanceof TimeInterval interval) {
                LocalDate start = interval.periodStart(LocalDate.now(clock.withZone(policy.get().zone())));
                focus.computeIfAbsent(entity.table(), t -> new LinkedHashSet<>())
                        .add(policy.get().naming().format(entity.table().name(), start));
            }
        }
        return focus;
    }

    /**
     * The tables read with a focus whose listed partitions do not answer validation's questions (no listed partition
     * holds the current time), so that their full layout must be read.
     */
    public List<TableName> needingCompleteLayout(Collection<EntityMapping> entities, CatalogSnapshot snapshot) {
        List<TableName> tables = new ArrayList<>();
        for (EntityMapping entity : entities) {
            Optional<PartitionedTable> table = snapshot.partitionedTable(entity.table());
            if (table.isEmpty() || table.get().isComplete() || tables.contains(entity.table())) {
                continue;
            }
            PartitionedTable layout = table.get();
            ZoneId zone = entity.definition().flatMap(PartitionDefinition::range).map(RangePolicy::zone).orElse(ZoneOffset.UTC);
            boolean answered = layout.strategy() == PartitionStrategy.RANGE && layout.key().size() == 1
                    && layout.key().parts().get(0).type().isTemporal()
                    && new PartitionedTable(layout.name(), layout.key(), layout.partitions())
                    .accepts(now(layout.key().parts().get(0).type(), zone));
            if (!answered) {
                tables.add(entity.table());
            }
        }
        return tables;
    }

    /** The current time as a key value (see {@link ColumnType#valueAt}). */
    private Object now(ColumnType type, ZoneId zone) {
        return type.valueAt(clock.instant(), zone);
    }

    /** Every problem of every entity, entity by entity in the order given. */
    public List<MappingProblem> validate(List<EntityMapping> entities, CatalogSnapshot snapshot) {
        List<MappingProblem> problems = new ArrayList<>();
        for (EntityMapping entity : entities) {
            new EntityCheck(entity, snapshot, problems).run();
        }
        return problems;
    }

    /** The checks of one entity. */
    private final class EntityCheck {
        private final EntityMapping entity;
        private final CatalogSnapshot snapshot;
        private final List<MappingProblem> problems;
        private final CoverageChecks coverage;

        EntityCheck(EntityMapping entity, CatalogSnapshot snapshot, List<MappingProblem> problems) {
            this.entity = entity;
            this.snapshot = snapshot;
            this.problems = problems;
            this.coverage = new CoverageChecks(entity, clock, this::report);
        }

        void run() {
            entity.definitionError().ifPresent(this::annotationInvalid);
            entity.definition().ifPresent(definition -> entity.keyAttributes().stream()
                    .filter(k -> !k.resolved()).forEach(this::keyAttributeUnknown));
            entity.distribution().filter(d -> !d.resolved()).ifPresent(d -> report(ProblemCode.KEY_ATTRIBUTE_UNKNOWN,
                    "distribution attribute '" + d.attribute() + "' is not a basic persistent attribute",
                    "attributes " + entity.attributeColumns().keySet().stream().sorted().toList(), "one of them",
                    "name the attribute of the distribution column in @DistributedBy on " + entity.entity()));

            Optional<Relation> found = snapshot.relation(entity.table());
            if (found.isEmpty()) {
                report(ProblemCode.PARENT_TABLE_MISSING, "the table does not exist", "no relation named " + entity.table(),
                        expectedTable(), "let Hibernate create it (hibernate.hbm2ddl.auto=create, or "
                                + "jakarta.persistence.schema-generation.database.action=create: pgpartition makes it partitioned "
                                + "with its first partitions), or create it in your migration with PARTITION BY " + expectedKeySql());
                mappingOnly();
                return;
            }
            Relation relation = found.get();
            if (relation.isPartition()) {
                TableName root = relation.root().orElseThrow();
                report(ProblemCode.MAPS_CHILD_PARTITION, "the table is a partition of " + root,
                        "a partition", "its partitioned parent table",
                        "map the parent table instead: @Table(name = \"" + root.name() + "\")");
                mappingOnly();
                return;
            }
            if (relation.kind() != RelationKind.PARTITIONED_TABLE) {
                report(ProblemCode.TABLE_NOT_PARTITIONED, "the table is not partitioned", describe(relation.kind()),
                        expectedTable(), conversionFix());
                mappingOnly();
                return;
            }
            checkDistribution(relation);
            if (entity.definition().isEmpty()) {
                return;
            }
            PartitionDefinition definition = entity.definition().get();
            PartitionedTable table = snapshot.partitionedTable(relation.name()).orElseThrow();
            if (table.strategy() != definition.strategy()) {
                report(ProblemCode.STRATEGY_MISMATCH, "the partition strategy differs", table.key().toString(),
                        definition.strategy().name(), "declare " + suggestedAnnotation(table) + " to match the table, or "
                                + "repartition the table by " + definition.strategy());
                mappingOnly();
                return;
            }
            if (entity.keyAttributes().stream().anyMatch(k -> !k.resolved())) {
                return;
            }
            List<String> mappedKey = entity.keyColumns();
            if (table.key().hasExpressions()) {
                report(ProblemCode.KEY_MISMATCH, "the table is partitioned by an expression", table.key().toString(),
                        definition.strategy() + " (" + String.join(", ", mappedKey) + ")",
                        "partition the table by the column(s) " + String.join(", ", mappedKey)
                                + ": rows cannot be routed by an expression the entity does not map");
                mappingOnly();
                return;
            }
            if (!table.key().columns().equals(mappedKey)) {
                report(ProblemCode.KEY_MISMATCH, "the partition key columns differ", table.key().toString(),
                        definition.strategy() + " (" + String.join(", ", mappedKey) + ")",
                        "declare " + suggestedAnnotation(table) + " to match the table (the order counts)");
                mappingOnly();
                return;
            }
            checkNullable(relation, table);
            checkUniques(mappedKey);
            checkForeignKeys(mappedKey);
            checkSubLevels(List.of(table), 1);
            if (table.partitionCount() == 0) {
                report(ProblemCode.NO_PARTITIONS, "the table has no partitions, so every insert fails", "0 partitions",
                        "at least one", String.join("; ", coverage.firstPartitions(definition, table)));
                return;
            }
            switch (table.strategy()) {
                case LIST -> coverage.listValues(definition, table);
                case RANGE -> coverage.nowCovered(definition, table);
                case HASH -> coverage.remainders(definition, table);
            }
        }

        private void annotationInvalid(PartitionDefinitionException error) {
            report(ProblemCode.ANNOTATION_INVALID, error.getAnnotation() + "(" + error.getAttribute() + ") cannot be read",
                    "\"" + error.getText() + "\"", error.getExpected(),
                    "correct " + error.getAnnotation() + "(" + error.getAttribute() + ") on " + entity.entity());
        }

        private void keyAttributeUnknown(KeyAttribute key) {
            if (key.attribute().contains(".")) {
                report(ProblemCode.KEY_ATTRIBUTE_UNKNOWN, "key attribute '" + key.attribute() + "' is not a basic attribute of the "
                                + "entity's @EmbeddedId (a key inside an @Embedded other than the identifier is not supported)",
                        "attributes " + entity.attributeColumns().keySet().stream().sorted().toList(), "one of them, or <id>.<member>",
                        "map the key's column as a basic attribute of " + entity.entity() + " and name it in @PartitionedBy; the "
                                + "embeddable's attribute on the same column then takes @Column(insertable = false, updatable = false)");
                return;
            }
            report(ProblemCode.KEY_ATTRIBUTE_UNKNOWN, "key attribute '" + key.attribute() + "' is not a basic persistent attribute",
                    "attributes " + entity.attributeColumns().keySet().stream().sorted().toList(), "one of them",
                    "name an attribute of " + entity.entity() + " in @PartitionedBy");
        }

        /**
         * The partitions of {@code tables} (the partitioned tables at {@code depth - 1}) that are partitioned themselves, against the {@code @SubPartitionedBy} level
         * of their depth: each sub-partition key is a partition key, which the entity must declare to have it guarded
         * (an undeclared one could change and move the row). One problem per distinct key found at a depth.
         */
        private void checkSubLevels(List<PartitionedTable> tables, int depth) {
            Optional<SubPartitionLevel> declared = entity.subLevels().stream().filter(level -> level.depth() == depth).findFirst();
            if (declared.isPresent() && declared.get().strategy() == null) {
                report(ProblemCode.ANNOTATION_INVALID, "@SubPartitionedBy number " + depth + " sets none or several of range, "
                        + "list and hash", declared.get().annotation(), "exactly one of them",
                        "correct @SubPartitionedBy number " + depth + " on " + entity.entity());
                return;
            }
            if (declared.isPresent()) {
                declared.get().keyAttributes().stream().filter(k -> !k.resolved()).forEach(k ->
                        report(ProblemCode.KEY_ATTRIBUTE_UNKNOWN, "sub-partition key attribute '" + k.attribute()
                                        + "' is not a basic persistent attribute",
                                "attributes " + entity.attributeColumns().keySet().stream().sorted().toList(), "one of them",
                                "name an attribute of " + entity.entity() + " in @SubPartitionedBy"));
                if (declared.get().keyAttributes().stream().anyMatch(k -> !k.resolved())) {
                    return;
                }
            }
            Map<String, List<PartitionedTable>> byKey = new LinkedHashMap<>();
            for (PartitionedTable table : tables) {
                for (Partition partition : table.partitions()) {
                    if (partition.subpartitioned()) {
                        snapshot.partitionedTable(partition.name()).ifPresent(sub -> byKey.computeIfAbsent(sub.key().toString(),
                                k -> new ArrayList<>()).add(sub));
                    }
                }
            }
            for (List<PartitionedTable> subs : byKey.values()) {
                PartitionedTable first = subs.get(0);
                String which = "partition " + first.name() + (subs.size() > 1 ? " (and " + (subs.size() - 1) + " more)" : "");
                if (declared.isEmpty()) {
                    report(ProblemCode.KEY_MISMATCH, which + " is partitioned by " + first.key() + ", which the entity does not "
                                    + "declare, so a change of it would move the row", "sub-partition key " + first.key(),
                            "it declared", "declare " + subAnnotation(first) + " on " + entity.entity() + " (one per level, in order), "
                                    + "so that it is guarded as a partition key: required on insert, never changed");
                    continue;
                }
                SubPartitionLevel level = declared.get();
                if (first.key().hasExpressions() || first.strategy() != level.strategy()
                        || !first.key().columns().equals(level.keyColumns())) {
                    report(ProblemCode.KEY_MISMATCH, which + " is partitioned by " + first.key() + ", but the entity declares "
                                    + level.annotation(), "sub-partition key " + first.key(),
                            level.strategy() + " (" + String.join(", ", level.keyColumns()) + ")",
                            "declare " + subAnnotation(first) + " on " + entity.entity() + " to match the table (the order counts)");
                    continue;
                }
                checkSubLevels(subs, depth + 1);
            }
        }

        private String subAnnotation(PartitionedTable table) {
            return suggestedAnnotation(table).replace("@PartitionedBy(", "@SubPartitionedBy(");
        }

        /**
         * The problems the mapping shows whatever state its table is in, for an entity whose table is not (yet) what it
         * declares: reported beside that, so that one report lists them all.
         */
        private void mappingOnly() {
            if (entity.definition().isEmpty() || entity.keyAttributes().stream().anyMatch(k -> !k.resolved())) {
                return;
            }
            entity.keyAttributes().stream().filter(KeyAttribute::optional).forEach(this::optionalKey);
            checkUniques(entity.keyColumns());
            checkForeignKeys(entity.keyColumns());
        }

        /**
         * On a Citus database: a distributed table's distribution column must be declared with {@code @DistributedBy},
         * mapped, not nullable; {@code @DistributedBy} on a table that is not distributed is a mistake; associations
         * from other distributed tables must join by the distribution column within one colocation group.
         */
        private void checkDistribution(Relation relation) {
            if (snapshot.citus().isEmpty()) {
                return;
            }
            Optional<Distribution> citus = snapshot.distribution(relation.name());
            Optional<KeyAttribute> declared = entity.distribution();
            String table = Sql.literal(Sql.table(relation.name()));
            if (citus.isEmpty() || !citus.get().distributedByColumn()) {
                declared.filter(KeyAttribute::resolved).ifPresent(attribute -> report(ProblemCode.TABLE_NOT_DISTRIBUTED, "@DistributedBy(\"" + attribute.attribute()
                        + "\") is declared but the table is not distributed by a column", citus.map(d -> d.type() == Distribution.Type.DISTRIBUTED
                                ? "a Citus distributed table of a distributed schema, which has one shard and no distribution column"
                                : d.describe()).orElse("a plain PostgreSQL table"), "a Citus distributed table", "SELECT create_distributed_table(" + table
                        + ", " + Sql.literal(attribute.columns().isEmpty() ? attribute.attribute() : attribute.columns().get(0))
                        + "), or remove @DistributedBy from " + entity.entity()));
                return;
            }
            String column = citus.get().column().orElseThrow();
            Optional<String> attributeOfColumn = entity.attributeFor(List.of(column));
            String annotation = "@DistributedBy(\"" + attributeOfColumn.orElse("...") + "\") on " + entity.entity()
                    + (attributeOfColumn.isEmpty() ? ", mapping column " + column + " as a basic attribute" : "");
            if (declared.isPresent() && !declared.get().resolved()) {
                return; // reported as KEY_ATTRIBUTE_UNKNOWN
            }
            if (declared.isEmpty() || !declared.get().columns().equals(List.of(column))) {
                report(ProblemCode.DISTRIBUTION_MISMATCH, "the table is distributed by " + column + " over "
                        + citus.get().shardCount() + " shards, so that entity updates setting " + column + " are refused by Citus "
                        + "and updates and deletes by id reach every shard", declared.map(d -> "@DistributedBy(\"" + d.attribute()
                        + "\")" + (d.resolved() ? " mapping " + String.join(", ", d.columns()) : ", which names no basic attribute"))
                        .orElse("no @DistributedBy"), "the attribute mapping " + column, annotation);
                return;
            }
            KeyAttribute attribute = declared.get();
            if (attribute.optional()) {
                report(ProblemCode.DISTRIBUTION_NULLABLE, "distribution attribute '" + attribute.attribute() + "' is optional in the mapping",
                        "nullable = true", "nullable = false", "@Column(name = \"" + column + "\", nullable = false) on "
                                + entity.entity() + "." + attribute.attribute());
            }
            relation.column(column).filter(c -> !c.notNull()).ifPresent(c -> report(ProblemCode.DISTRIBUTION_NULLABLE,
                    "distribution column " + column + " is nullable in the database", "NULL allowed", "NOT NULL",
                    "ALTER TABLE " + Sql.table(relation.name()) + " ALTER COLUMN " + Sql.identifier(column) + " SET NOT NULL"));
            for (MappedForeignKey key : entity.incomingForeignKeys()) {
                Optional<Distribution> source = snapshot.distribution(key.table());
                if (source.isEmpty() || source.get().type() != Distribution.Type.DISTRIBUTED) {
                    continue;
                }
                boolean colocated = source.get().colocationId() == citus.get().colocationId();
                int at = key.referencedColumns().indexOf(column);
                boolean byColumn = at >= 0 && source.get().column().map(c -> c.equals(key.columns().get(at))).orElse(false);
                if (!colocated || !byColumn) {
                    report(ProblemCode.DISTRIBUTED_JOIN_NOT_COLOCATED, key.source() + " references it from distributed table "
                                    + key.table() + " by " + String.join(", ", key.columns()) + ", so that Citus can neither keep a "
                                    + "foreign key between them nor join them on one node",
                            (colocated ? "" : "colocation groups " + source.get().colocationId() + " and " + citus.get().colocationId()
                                    + (byColumn ? "" : ", ")) + (byColumn ? "" : "join columns without " + column),
                            "one colocation group, joined by the distribution column",
                            (byColumn ? "" : "join by the distribution column too: @JoinColumns with " + source.get().column().orElse(column)
                                    + " referencing " + column + (colocated ? "" : "; and ")) + (colocated ? ""
                                    : "SELECT update_distributed_table_colocation(" + Sql.literal(Sql.table(key.table()))
                                    + ", colocate_with => " + table + ")"));
                }
            }
        }

        private void optionalKey(KeyAttribute key) {
            report(ProblemCode.KEY_NULLABLE, "key attribute '" + key.attribute() + "' is optional in the mapping",
                    "nullable = true", "nullable = false",
                    "@Column(name = \"" + key.columns().get(0) + "\", nullable = false) on " + entity.entity() + "." + key.attribute());
        }

        private void checkNullable(Relation relation, PartitionedTable table) {
            for (KeyAttribute key : entity.keyAttributes()) {
                if (key.optional()) {
                    optionalKey(key);
                }
                for (String column : key.columns()) {
                    Optional<Column> found = relation.column(column);
                    if (found.isPresent() && !found.get().notNull()) {
                        report(ProblemCode.KEY_NULLABLE, "key column " + column + " is nullable in the database", "NULL allowed",
                                "NOT NULL", "ALTER TABLE " + Sql.table(table.name()) + " ALTER COLUMN " + Sql.identifier(column)
                                        + " SET NOT NULL");
                    }
                }
            }
        }

        private void checkUniques(List<String> keyColumns) {
            for (MappedUnique unique : entity.uniques()) {
                if (!unique.columns().containsAll(keyColumns)) {
                    List<String> withKey = new ArrayList<>(unique.columns());
                    keyColumns.stream().filter(c -> !withKey.contains(c)).forEach(withKey::add);
                    report(ProblemCode.UNIQUE_WITHOUT_KEY, "unique constraint " + unique.name() + " lacks the partition key",
                            "(" + String.join(", ", unique.columns()) + ")",
                            "columns including (" + String.join(", ", keyColumns) + ")",
                            "@UniqueConstraint(columnNames = {" + withKey.stream().map(c -> "\"" + c + "\"")
                                    .collect(Collectors.joining(", ")) + "}); PostgreSQL enforces uniqueness only per partition");
                }
            }
        }

        private void checkForeignKeys(List<String> keyColumns) {
            for (MappedForeignKey key : entity.incomingForeignKeys()) {
                if (key.constraint() && !key.referencedColumns().containsAll(keyColumns)) {
                    report(ProblemCode.FOREIGN_KEY_TO_PARTITIONED, key.source() + " references this table by ("
                                    + String.join(", ", key.referencedColumns()) + ") from " + key.table() + " ("
                                    + String.join(", ", key.columns()) + "), which cannot be a foreign key to a partitioned table",
                            "(" + String.join(", ", key.referencedColumns()) + ")",
                            "referenced columns including (" + String.join(", ", keyColumns) + ")",
                            "join on the partition key too (@JoinColumns naming " + String.join(" and ", keyColumns)
                                    + "), or drop the database constraint with " + (key.source().startsWith("collection ")
                                    ? "@CollectionTable(foreignKey = @ForeignKey(ConstraintMode.NO_CONSTRAINT)) on the collection "
                                    + "(@JoinTable(foreignKey = ..., inverseForeignKey = ...) for a @ManyToMany)"
                                    : "@JoinColumn(foreignKey = @ForeignKey(ConstraintMode.NO_CONSTRAINT))"));
                }
            }
        }

        /** The key columns the mapping implies, or the attribute names where some do not resolve to columns. */
        private List<String> expectedKeyColumns() {
            return entity.keyAttributes().stream().allMatch(KeyAttribute::resolved)
                    ? entity.keyColumns() : entity.keyAttributes().stream().map(KeyAttribute::attribute).toList();
        }

        private String expectedKeySql() {
            PartitionStrategy strategy = entity.definition().map(PartitionDefinition::strategy).orElse(null);
            return (strategy == null ? "" : strategy + " ") + "("
                    + expectedKeyColumns().stream().map(Sql::identifier).collect(Collectors.joining(", ")) + ")";
        }

        /** The way from a plain table to the partitioned one: online conversion where the CLI can do it. */
        private String conversionFix() {
            List<String> columns = expectedKeyColumns();
            if (entity.definition().isEmpty() || columns.size() != 1) {
                return "convert it into a table partitioned by " + expectedKeySql()
                        + " (create the partitioned twin, copy the rows, swap names), or remove @PartitionedBy";
            }
            PartitionDefinition definition = entity.definition().get();
            List<String> command = new ArrayList<>(List.of("pgpartition", "convert", "run", ShellWords.tableWord(entity.table()),
                    "--by", definition.strategy().name().toLowerCase(java.util.Locale.ROOT) + "(" + columns.get(0) + ")"));
            if (definition.policy().isEmpty()) {
                return "declare the layout (" + policyAnnotation(definition.strategy()) + ") on " + entity.entity()
                        + " and the command that converts the table online is printed here, or remove @PartitionedBy";
            }
            command.addAll(definition.policy().get().commandLineOptions());
            command.addAll(connectionOptions);
            return "convert it online, keeping its rows and concurrent writes (pgpartition convert analyze first): "
                    + ShellWords.join(command)
                    + ", or remove @PartitionedBy";
        }

        private static String policyAnnotation(PartitionStrategy strategy) {
            return switch (strategy) {
                case RANGE -> "@RangePartitions(interval = ...)";
                case LIST -> "@ListPartition(name = ..., values = ...)";
                case HASH -> "@HashPartitions(modulus = ...)";
            };
        }

        private String expectedTable() {
            return "a table partitioned by " + entity.definition()
                    .map(d -> d.strategy() + " (" + String.join(", ", expectedKeyColumns()) + ")").orElse("its key");
        }

        private String suggestedAnnotation(PartitionedTable table) {
            List<String> attributes = new ArrayList<>();
            for (KeyPart part : table.key().parts()) {
                if (part.isExpression()) {
                    return "a column key (the table's key is an expression)";
                }
                attributes.add(entity.attributeFor(List.of(part.column())).orElse("<attribute mapped to " + part.column() + ">"));
            }
            String values = attributes.size() == 1 ? "\"" + attributes.get(0) + "\""
                    : attributes.stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(", ", "{", "}"));
            return "@PartitionedBy(" + table.strategy().name().toLowerCase(Locale.ROOT) + " = " + values + ")";
        }

        private void report(ProblemCode code, String what, String found, String expected, String fix) {
            problems.add(new MappingProblem(code, entity.entity(), entity.table().toString(),
                    what + "; found " + found + ", expected " + expected + ". Fix: " + fix));
        }
    }

    private static String describe(RelationKind kind) {
        return switch (kind) {
            case TABLE -> "a plain table";
            case VIEW -> "a view";
            case MATERIALIZED_VIEW -> "a materialized view";
            case FOREIGN_TABLE -> "a foreign table";
            default -> "a " + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }
}
