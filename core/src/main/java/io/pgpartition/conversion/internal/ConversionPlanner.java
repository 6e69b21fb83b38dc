package io.pgpartition.conversion.internal;

import io.pgpartition.catalog.internal.TableData;
import io.pgpartition.catalog.internal.TableFacts;
import io.pgpartition.catalog.internal.Catalog;
import java.util.Map;
import io.pgpartition.conversion.ConversionAnalysis.Change;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.maintenance.Periods;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.DefaultBound;
import io.pgpartition.model.HashBound;
import io.pgpartition.model.ListBound;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.HashPolicy;
import io.pgpartition.policy.ListPartitionSpec;
import io.pgpartition.policy.ListPolicy;
import io.pgpartition.policy.RangePolicy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import io.pgpartition.internal.ShellWords;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Plans a conversion from facts alone, without a connection: the blockers (whatever cannot be carried exactly, each
 * with the way out), the changes, what is carried, and the statements of the prepare step and of the swap.
 */
public final class ConversionPlanner {

    /** PostgreSQL 18 accepts NOT VALID foreign keys on partitioned tables; earlier versions refuse them. */
    private static final int NOT_VALID_FOREIGN_KEYS_ON_PARTITIONED = 180000;

    private ConversionPlanner() {
    }

    /** The names the conversion will create in the table's schema, for {@link TableData#taken}. */
    public static List<String> namesNeeded(ConversionSpec spec, TableFacts facts, TableData data, Instant now) {
        Names names = Names.of(facts.name());
        List<String> needed = new ArrayList<>(List.of(names.twin().name(), names.retired().name(), names.log().name(),
                names.logFunction().name(), names.truncateFunction().name()));
        for (String index : indexNames(facts)) {
            needed.add(Names.building(index));
            needed.add(Names.retiring(index));
        }
        for (TableFacts.Statistics statistics : facts.statistics()) {
            needed.add(Names.building(statistics.name().name()));
            needed.add(Names.retiring(statistics.name().name()));
        }
        keyType(spec, facts).ifPresent(type -> partitions(spec, facts.name(), type, data, now, new ArrayList<>()).forEach(p ->
                needed.add(p.name().name())));
        return needed;
    }

    /**
     * Plans the conversion.
     *
     * @param taken    which of {@link #namesNeeded} already exist
     * @param recorded whether a conversion of the table is recorded already (its own objects then exist)
     */
    public static Blueprint plan(ConversionSpec spec, TableFacts facts, TableData data, Set<String> taken, boolean recorded, Instant now) {
        Names names = Names.of(facts.name());
        TableName table = facts.name();
        String key = spec.keyColumn();
        List<String> blockers = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        List<String> carried = new ArrayList<>();
        blockers.addAll(kindBlockers(spec, facts));
        if (!blockers.isEmpty()) {
            return new Blueprint(spec, facts, names, data, List.of(), List.of(), List.of(), List.of(), blockers, changes, carried, null,
                    List.of(), List.of(), List.of());
        }
        blockers.addAll(roleBlockers(facts));
        Optional<TableFacts.Column> keyColumn = facts.column(key);
        Optional<ColumnType> keyType = keyType(spec, facts);
        if (keyColumn.isEmpty()) {
            blockers.add(table + " has no column " + key + ". Fix: name an existing column in --by, one of "
                    + facts.columns().stream().map(TableFacts.Column::name).collect(Collectors.joining(", ")) + ".");
        } else if (spec.policy() instanceof RangePolicy range && !Periods.fits(range, keyType.orElseThrow())) {
            blockers.add("Column " + key + " of " + table + " is " + keyColumn.get().type() + ", which an interval of "
                    + range.interval() + " cannot step through. Fix: use " + (range.interval().isTime()
                    ? "an integer step such as 100000, or a date or timestamp column" : "an interval such as '1 month'") + ".");
        }
        List<String> identity = identityColumns(facts);
        if (identity.isEmpty()) {
            blockers.add(table + " has no primary key (nor a unique constraint on NOT NULL columns): the change log and the "
                    + "batches identify rows by one. Fix: ALTER TABLE " + Sql.table(table) + " ADD PRIMARY KEY (...).");
        }
        referenceBlockers(spec, facts, blockers, changes, carried);
        if (data.nullKeys() > 0) {
            blockers.add(data.nullKeys() + " row" + (data.nullKeys() == 1 ? "" : "s") + " of " + table + " have a null " + key
                    + ", which the partitioned table's primary key cannot hold. Fix: UPDATE " + Sql.table(table) + " SET "
                    + Sql.identifier(key) + " = ... WHERE " + Sql.identifier(key) + " IS NULL.");
        }
        if (!data.uncovered().isEmpty()) {
            blockers.add("Values of " + key + " in " + table + " have no declared partition: " + data.uncovered().stream().limit(10)
                    .map(Sql::literal).collect(Collectors.joining(", ")) + (data.uncovered().size() > 10 ? ", ..." : "")
                    + ". Fix: declare a partition for them (--list NAME=VALUE,...).");
        }
        List<Blueprint.Partition> partitions = keyColumn.isPresent() && blockers.stream().noneMatch(b -> b.contains("cannot step through"))
                ? partitions(spec, table, keyType.orElseThrow(), data, now, blockers) : List.of();
        if (!recorded) {
            for (String name : taken) {
                blockers.add("A relation, function or statistics object named " + table.sibling(name) + " already exists, and the "
                        + "conversion needs that name. Fix: rename or drop it" + (partitions.stream().anyMatch(p -> p.name().name()
                        .equals(name)) ? ", or choose another --naming." : "."));
            }
        }
        List<String> all = facts.columns().stream().map(TableFacts.Column::name).toList();
        List<String> insertable = facts.columns().stream().filter(c -> !c.isGenerated()).map(TableFacts.Column::name).toList();
        if (keyColumn.isEmpty() || identity.isEmpty()) {
            return new Blueprint(spec, facts, names, data, identity, insertable, all, partitions, blockers, changes, carried, null,
                    List.of(), List.of(), List.of());
        }
        if (!keyColumn.get().notNull()) {
            changes.add(new Change("column " + key + " becomes NOT NULL (the primary key includes it)", "ALTER TABLE "
                    + Sql.table(table) + " ALTER COLUMN " + Sql.identifier(key) + " SET NOT NULL"));
        }
        ChangeLog log = new ChangeLog(names, table, names.twin(), identity, identity.stream().map(c -> facts.column(c).orElseThrow().type())
                .toList(), key, insertable);
        List<String> prepare = Prepare.statements(spec, facts, names, partitions, log, blockers, changes, carried);
        List<String> swap = Swap.statements(spec, facts, names, partitions, log);
        List<String> afterSwap = new ArrayList<>();
        for (Blueprint.Partition partition : partitions) {
            afterSwap.add("ALTER TABLE " + Sql.table(partition.name()) + " RESET (autovacuum_enabled)"
                    + (facts.reloptions().isEmpty() ? "" : ", SET (" + String.join(", ", facts.reloptions()) + ")"));
        }
        facts.referencedBy().stream().filter(r -> keyed(spec, r) && r.validated()).forEach(r -> afterSwap.add("ALTER TABLE "
                + Sql.table(r.table()) + " VALIDATE CONSTRAINT " + Sql.identifier(r.constraint())));
        return new Blueprint(spec, facts, names, data, identity, insertable, all, partitions, blockers, changes, carried, log, prepare,
                swap, afterSwap);
    }

    /** Widths of a time range partition, narrowest first, with their length in days. */
    private static final String[] TIME_WIDTHS = {"1 day", "1 week", "1 month", "3 months", "1 year"};
    private static final double[] TIME_DAYS = {1, 7, 30.44, 91.31, 365.25};
    /** The most partitions a proposed width gives over the keys present. */
    static final int MOST_PROPOSED = 120;

    /**
     * A width of range partitions for keys from {@code min} to {@code max}: for a time key the narrowest of a day, a
     * week, a month, a quarter and a year that gives at most {@value #MOST_PROPOSED} partitions; for a number a round
     * step (1, 2 or 5 times a power of ten) that gives about fifty; empty for other types.
     */
    public static Optional<String> proposeInterval(ColumnType type, String min, String max) {
        if (type.isTemporal()) {
            if (min == null) {
                return Optional.of("1 month");
            }
            double days = Math.abs(java.time.Duration.between(instant(type.parse(min)), instant(type.parse(max))).toHours()) / 24.0;
            for (int i = 0; i < TIME_WIDTHS.length; i++) {
                if (days / TIME_DAYS[i] <= MOST_PROPOSED) {
                    return Optional.of(TIME_WIDTHS[i]);
                }
            }
            return Optional.of(TIME_WIDTHS[TIME_WIDTHS.length - 1]);
        }
        if (type.kind() == io.pgpartition.model.ValueKind.INTEGER || type.kind() == io.pgpartition.model.ValueKind.NUMERIC) {
            if (min == null) {
                return Optional.of("1000000");
            }
            double span = new java.math.BigDecimal(max).subtract(new java.math.BigDecimal(min)).doubleValue() / 50;
            long power = 1;
            while (power * 10 <= span) {
                power *= 10;
            }
            long step = span > 5 * power ? 10 * power : span > 2 * power ? 5 * power : span > power ? 2 * power : power;
            return Optional.of(Long.toString(Math.max(step, 1)));
        }
        return Optional.empty();
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.LocalDateTime dateTime) {
            return dateTime.toInstant(java.time.ZoneOffset.UTC);
        }
        return ((java.time.LocalDate) value).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
    }

    /** What the table is, and what it is part of, that no conversion can take. */
    /**
     * Why a table Citus holds is not converted: the change log is a trigger, which Citus runs on no distributed table
     * (and, allowed with {@code citus.enable_unsafe_triggers}, fires on the workers' shards, where the log table does
     * not exist, so that every write of the application would fail); and the partitioned twin would be a local table.
     */
    private static String citusBlocker(ConversionSpec spec, TableFacts facts, io.pgpartition.catalog.Distribution citus) {
        TableName table = facts.name();
        String distribute = citus.type() == io.pgpartition.catalog.Distribution.Type.REFERENCE
                ? "SELECT create_reference_table(" + Sql.literal(Sql.table(table)) + ")"
                : citus.type() == io.pgpartition.catalog.Distribution.Type.LOCAL
                ? "SELECT citus_add_local_table_to_metadata(" + Sql.literal(Sql.table(table)) + ")"
                : "SELECT create_distributed_table(" + Sql.literal(Sql.table(table)) + ", "
                + Sql.literal(citus.column().orElse("...")) + ")";
        return table + " is " + citus.describe() + ": an online conversion logs concurrent writes with a "
                + "trigger, which Citus does not run on the tables it holds, and would build a partitioned twin on the coordinator "
                + "alone. Fix: convert before distributing (SELECT undistribute_table(" + Sql.literal(Sql.table(table))
                + "); " + ShellWords.join(convertRun(spec)) + " --url ...; " + distribute + "), or create the partitioned table, distribute it "
                + "colocated with " + table + " and copy the rows with INSERT INTO ... SELECT, which Citus runs on every node.";
    }

    /** The words of {@code pgpartition convert run} for this conversion, without the connection options. */
    private static List<String> convertRun(ConversionSpec spec) {
        List<String> words = new ArrayList<>(List.of("pgpartition", "convert", "run", ShellWords.tableWord(spec.table()), "--by",
                spec.policy().strategy().name().toLowerCase(java.util.Locale.ROOT) + "(" + spec.keyColumn() + ")"));
        words.addAll(spec.policy().commandLineOptions());
        return words;
    }

    private static List<String> kindBlockers(ConversionSpec spec, TableFacts facts) {
        TableName table = facts.name();
        List<String> blockers = new ArrayList<>();
        if (facts.citus().isPresent()) {
            blockers.add(citusBlocker(spec, facts, facts.citus().get()));
            return blockers;
        }
        if (!facts.kind().equals("r")) {
            blockers.add(table + " is " + (facts.kind().equals("p") ? "already partitioned" : "not a plain table (relkind " + facts.kind()
                    + ")") + ": there is nothing to convert.");
            return blockers;
        }
        facts.partitionOf().ifPresent(parent -> blockers.add(table + " is a partition of " + parent + ": converting it would take "
                + "its rows out of " + parent + ". Fix: reshape the partitions of " + parent + " instead, or detach it first: ALTER TABLE "
                + Sql.table(parent) + " DETACH PARTITION " + Sql.table(table) + "."));
        for (TableName parent : facts.inheritsFrom()) {
            blockers.add(table + " inherits from " + parent + ", which reads its rows too; a partitioned table cannot inherit. Fix: "
                    + "ALTER TABLE " + Sql.table(table) + " NO INHERIT " + Sql.table(parent) + " first.");
        }
        if (!facts.inheritedBy().isEmpty()) {
            blockers.add(table + " is inherited by " + facts.inheritedBy().stream().map(Object::toString).collect(Collectors.joining(", "))
                    + ": reading " + table + " reads their rows too, and a partitioned table cannot be inherited. Fix: "
                    + facts.inheritedBy().stream().map(c -> "ALTER TABLE " + Sql.table(c) + " NO INHERIT " + Sql.table(table))
                    .collect(Collectors.joining("; ")) + " first.");
        }
        if (facts.persistence().equals("u")) {
            blockers.add(table + " is UNLOGGED, which a partitioned table cannot be on every supported PostgreSQL. Fix: ALTER TABLE "
                    + Sql.table(table) + " SET LOGGED first.");
        }
        if (facts.persistence().equals("t")) {
            blockers.add(table + " is a temporary table: only its own session sees it. Fix: there is nothing to convert online.");
        }
        return blockers;
    }

    /** Whether the role converting can read every row and own what it creates. */
    private static List<String> roleBlockers(TableFacts facts) {
        List<String> blockers = new ArrayList<>();
        TableFacts.Role role = facts.role();
        TableName table = facts.name();
        if (!role.owns() && !role.superuser()) {
            blockers.add("Role " + role.name() + " does not own " + table + " (its owner is " + facts.owner() + "): converting "
                    + "renames and replaces it. Fix: run the conversion as " + facts.owner() + ", a member of it, or a superuser.");
        }
        if (facts.forceRowSecurity() && !role.bypassRls()) {
            blockers.add(table + " has FORCE ROW LEVEL SECURITY, so its policies apply to role " + role.name() + " too: the copy "
                    + "and the verification would see only the rows the policies show. Fix: run the conversion as a role that "
                    + "bypasses row-level security (ALTER ROLE " + Sql.identifier(role.name()) + " BYPASSRLS, as a superuser) or as a "
                    + "superuser.");
        }
        for (String publication : facts.publications()) {
            blockers.add(table + " is published by " + publication + ": after the swap the publication would go on publishing "
                    + "the original, and its subscribers would stop receiving changes. Fix: ALTER PUBLICATION "
                    + Sql.identifier(publication) + " DROP TABLE " + Sql.table(table) + " (or leave it out of a FOR ALL TABLES "
                    + "publication), convert, then publish the partitioned table with publish_via_partition_root = true.");
        }
        for (String user : facts.rowTypeUsers()) {
            blockers.add(user + " uses the row type of " + table + ", which stays with the original table and would block its "
                    + "cleanup. Fix: change it to list the columns it needs, convert, then change it back.");
        }
        for (String rule : facts.otherRules()) {
            blockers.add(rule + " names " + table + " in its actions; after the swap it would act on the original table. Fix: "
                    + "drop it, convert, then create it again.");
        }
        if (facts.replicaIdentity().equals("i")) {
            blockers.add(table + " has REPLICA IDENTITY USING INDEX, which a partitioned table cannot carry. Fix: ALTER TABLE "
                    + Sql.table(table) + " REPLICA IDENTITY DEFAULT (or FULL) first, and set it on each partition after.");
        }
        for (TableFacts.Constraint constraint : facts.constraints()) {
            if (constraint.noInherit()) {
                blockers.add("Check constraint " + constraint.name() + " of " + table + " is NO INHERIT (" + constraint.definition()
                        + "), which a partitioned table cannot hold. Fix: ALTER TABLE " + Sql.table(table) + " DROP CONSTRAINT "
                        + Sql.identifier(constraint.name()) + ", then add it again without NO INHERIT.");
            } else if (constraint.type().equals("f") && !constraint.validated()
                    && facts.serverVersion() < NOT_VALID_FOREIGN_KEYS_ON_PARTITIONED) {
                blockers.add("Foreign key " + constraint.name() + " of " + table + " is NOT VALID, which a partitioned table cannot "
                        + "hold before PostgreSQL 18. Fix: ALTER TABLE " + Sql.table(table) + " VALIDATE CONSTRAINT "
                        + Sql.identifier(constraint.name()) + " first (or drop it).");
            }
        }
        return blockers;
    }

    /** Foreign keys of other tables: re-pointed when they include the key, otherwise refused or dropped as asked. */
    private static void referenceBlockers(ConversionSpec spec, TableFacts facts, List<String> blockers, List<Change> changes,
                                          List<String> carried) {
        TableName table = facts.name();
        List<TableFacts.Reference> unkeyed = facts.referencedBy().stream().filter(r -> !keyed(spec, r)).toList();
        for (TableFacts.Reference reference : facts.referencedBy()) {
            if (!keyed(spec, reference)) {
                continue;
            }
            if (reference.partitioned() && facts.serverVersion() < NOT_VALID_FOREIGN_KEYS_ON_PARTITIONED) {
                blockers.add("Foreign key " + reference.constraint() + " of " + reference + " is on a partitioned table: the swap "
                        + "re-points it NOT VALID under its lock, which PostgreSQL accepts on partitioned tables only from version 18. "
                        + "Fix: drop it (ALTER TABLE " + Sql.table(reference.table()) + " DROP CONSTRAINT "
                        + Sql.identifier(reference.constraint()) + "), convert, then add it again.");
            } else {
                carried.add("foreign key " + reference.constraint() + " of " + reference + " (re-pointed at the partitioned table at "
                        + "the swap" + (reference.validated() ? ", validated after it)" : ", NOT VALID as it was)"));
            }
        }
        if (unkeyed.isEmpty()) {
            return;
        }
        if (spec.foreignKeys() == ConversionSpec.ForeignKeys.REFUSE) {
            blockers.add(table + " is referenced by " + unkeyed.stream().map(Object::toString).collect(Collectors.joining(", "))
                    + ": a foreign key can only reference a partitioned table by columns that include the partition key. Fix: drop "
                    + "those foreign keys (or add " + spec.keyColumn() + " to them), or convert with --foreign-keys drop, which drops "
                    + "them at the swap and prints each.");
        } else {
            for (TableFacts.Reference reference : unkeyed) {
                changes.add(new Change("foreign key " + reference.constraint() + " of " + reference + " is dropped at the swap",
                        "ALTER TABLE " + Sql.table(reference.table()) + " DROP CONSTRAINT " + Sql.identifier(reference.constraint())));
            }
        }
    }

    static boolean keyed(ConversionSpec spec, TableFacts.Reference reference) {
        return reference.referencedColumns().contains(spec.keyColumn());
    }

    private static Optional<ColumnType> keyType(ConversionSpec spec, TableFacts facts) {
        return facts.column(spec.keyColumn()).map(c -> ColumnType.of(c.type(), ColumnType.kindOfTypeName(c.baseType())));
    }

    /** The primary key's columns, or those of the first unique constraint on NOT NULL columns. */
    static List<String> identityColumns(TableFacts facts) {
        Optional<TableFacts.Constraint> primary = facts.primaryKey();
        if (primary.isPresent()) {
            return primary.get().columns();
        }
        return facts.constraints().stream().filter(c -> c.type().equals("u"))
                .filter(c -> c.columns().stream().allMatch(col -> facts.column(col).map(TableFacts.Column::notNull).orElse(false)))
                .findFirst().map(TableFacts.Constraint::columns).orElse(List.of());
    }

    /** The names of the indexes the twin has under a building name: those of constraints (p, u) and of other indexes. */
    static List<String> indexNames(TableFacts facts) {
        List<String> names = new ArrayList<>();
        facts.constraints().stream().filter(c -> c.type().equals("p") || c.type().equals("u")).forEach(c -> names.add(c.name()));
        facts.indexes().forEach(i -> names.add(i.name()));
        return names;
    }

    private static List<Blueprint.Partition> partitions(ConversionSpec spec, TableName table, ColumnType keyType, TableData data,
                                                         Instant now, List<String> blockers) {
        List<Blueprint.Partition> partitions = new ArrayList<>();
        if (spec.policy() instanceof RangePolicy range) {
            if (!Periods.fits(range, keyType)) {
                return partitions;
            }
            Object from = data.minKey() == null ? null : keyType.parse(data.minKey());
            Object to = data.maxKey() == null ? null : keyType.parse(data.maxKey());
            for (Periods.Period period : Periods.covering(range, table, keyType, from, to, now)) {
                partitions.add(new Blueprint.Partition(period.name(), period.bound()));
            }
            if (range.defaultPartition()) {
                partitions.add(new Blueprint.Partition(table.sibling(Names.derived(table.name(), "_default")), DefaultBound.INSTANCE));
            }
        } else if (spec.policy() instanceof ListPolicy list) {
            for (ListPartitionSpec partition : list.partitions()) {
                partitions.add(new Blueprint.Partition(table.sibling(partition.name()), new ListBound(partition.values().stream()
                        .map(keyType::parse).toList())));
            }
        } else {
            HashPolicy hash = (HashPolicy) spec.policy();
            for (int remainder = 0; remainder < hash.modulus(); remainder++) {
                partitions.add(new Blueprint.Partition(table.sibling(hash.partitionName(table.name(), remainder)),
                        new HashBound(hash.modulus(), remainder)));
            }
        }
        for (Blueprint.Partition partition : partitions) {
            int bytes = partition.name().name().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > Sql.MAX_IDENTIFIER_BYTES) {
                blockers.add("Partition name \"" + partition.name().name() + "\" is " + bytes + " bytes; PostgreSQL cuts names at "
                        + Sql.MAX_IDENTIFIER_BYTES + " bytes. Fix: choose a shorter --naming pattern.");
                return List.of();
            }
        }
        return partitions;
    }

    /**
     * Where the partitioned copy differs from the original: per partition, the rows and checksum the original holds
     * for its bound against what the partition holds; and the original's rows that belong in no partition.
     *
     * @param original {@code [rows, checksum]} by partition OID (null: in no partition)
     * @param copy     {@code [rows, checksum]} by partition OID
     */
    public static List<String> differences(TableName table, List<Catalog.PartitionConstraint> partitions, Map<Long, long[]> original,
                                           Map<Long, long[]> copy) {
        List<String> differences = new ArrayList<>();
        for (Catalog.PartitionConstraint partition : partitions) {
            long[] expected = original.getOrDefault(partition.oid(), new long[2]);
            long[] found = copy.getOrDefault(partition.oid(), new long[2]);
            if (expected[0] != found[0] || expected[1] != found[1]) {
                differences.add(partition.name() + ": " + expected[0] + " rows in " + table + ", " + found[0]
                        + " in the partition" + (expected[0] == found[0] ? " (checksums differ)" : ""));
            }
        }
        long[] nowhere = original.get(null);
        if (nowhere != null && nowhere[0] > 0) {
            differences.add(nowhere[0] + " rows of " + table + " belong in no partition");
        }
        return differences;
    }
}
