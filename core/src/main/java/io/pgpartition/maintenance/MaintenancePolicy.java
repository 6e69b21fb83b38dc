package io.pgpartition.maintenance;

import io.pgpartition.PartitionDefinitionException;
import io.pgpartition.ddl.Sql;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.HashPolicy;
import io.pgpartition.policy.ListPolicy;
import io.pgpartition.policy.PartitionDefinition;
import io.pgpartition.policy.RangePolicy;

import java.util.Objects;
import java.util.Optional;

/**
 * What maintenance keeps true for one partitioned table: the range, list or hash policy of its partitions, where
 * archived partitions go, whether gaps in the past are filled, and whether rows sitting in the default partition get
 * partitions of their own. Built from an entity's annotations with
 * {@link #of(TableName, PartitionDefinition)} or in code with {@link #range}, {@link #list} and {@link #hash}.
 *
 * @param table         the parent table; unqualified names resolve through the connection's search path
 * @param range         the range policy, for a range-partitioned table
 * @param list          the declared list partitions, for a list-partitioned table
 * @param hash          the hash layout, for a hash-partitioned table
 * @param archiveSchema where {@code ARCHIVE} moves expired partitions; empty means the parent's schema plus
 *                      {@code _archive}
 * @param fillGaps      whether missing partitions in the past are created (they are always reported)
 * @param rescueDefault whether a range table's default partition is emptied: a partition of the policy's interval is
 *                      created for every period holding rows there, wherever it lies (beyond the premake horizon, in a
 *                      gap, before the first partition), and the rows are moved into it
 */
public record MaintenancePolicy(TableName table, Optional<RangePolicy> range, Optional<ListPolicy> list,
                                Optional<HashPolicy> hash, Optional<String> archiveSchema, boolean fillGaps,
                                boolean rescueDefault) {

    /** Appended to the parent's schema to name the default archive schema. */
    public static final String ARCHIVE_SUFFIX = "_archive";

    public MaintenancePolicy {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(list, "list");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(archiveSchema, "archiveSchema");
        int set = (range.isPresent() ? 1 : 0) + (list.isPresent() ? 1 : 0) + (hash.isPresent() ? 1 : 0);
        if (set != 1) {
            throw new IllegalArgumentException("A maintenance policy for " + table + " has exactly one of a range, list or hash policy");
        }
        Sql.checkIdentifier(table.name());
        if (table.isQualified()) {
            Sql.checkIdentifier(table.schema());
        }
        archiveSchema.ifPresent(schema -> {
            if (schema.isBlank()) {
                throw new PartitionDefinitionException("maintenance policy for " + table, "archiveSchema", schema,
                        "a schema name, or none for " + (table.isQualified() ? table.schema() : "<schema>") + ARCHIVE_SUFFIX);
            }
            Sql.checkIdentifier(schema);
        });
    }

    /** A policy that leaves the default partition's rows where they are unless their period is due anyway. */
    public MaintenancePolicy(TableName table, Optional<RangePolicy> range, Optional<ListPolicy> list,
                             Optional<HashPolicy> hash, Optional<String> archiveSchema, boolean fillGaps) {
        this(table, range, list, hash, archiveSchema, fillGaps, false);
    }

    /** A range policy for a table. */
    public static MaintenancePolicy range(TableName table, RangePolicy policy) {
        return new MaintenancePolicy(table, Optional.of(policy), Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    /** Declared list partitions for a table. */
    public static MaintenancePolicy list(TableName table, ListPolicy policy) {
        return new MaintenancePolicy(table, Optional.empty(), Optional.of(policy), Optional.empty(), Optional.empty(), false);
    }

    /** A hash layout for a table. */
    public static MaintenancePolicy hash(TableName table, HashPolicy policy) {
        return new MaintenancePolicy(table, Optional.empty(), Optional.empty(), Optional.of(policy), Optional.empty(), false);
    }

    /**
     * The policy an entity's annotations declare, or empty when they declare none ({@code @PartitionedBy} alone leaves
     * the partitions to the team).
     */
    public static Optional<MaintenancePolicy> of(TableName table, PartitionDefinition definition) {
        return definition.range().map(policy -> range(table, policy))
                .or(() -> definition.list().map(policy -> list(table, policy)))
                .or(() -> definition.hash().map(policy -> hash(table, policy)));
    }

    /** This policy archiving expired partitions into {@code schema}. */
    public MaintenancePolicy withArchiveSchema(String schema) {
        return new MaintenancePolicy(table, range, list, hash, Optional.of(schema), fillGaps, rescueDefault);
    }

    /** This policy creating (or not) the missing partitions it finds in the past. */
    public MaintenancePolicy withGapsFilled(boolean fill) {
        return new MaintenancePolicy(table, range, list, hash, archiveSchema, fill, rescueDefault);
    }

    /**
     * This policy creating (or not) a partition for every period that holds rows in a range table's default partition,
     * and moving those rows into it. Without it, only periods the premake horizon (or {@link #withGapsFilled}) wants
     * take their rows out of the default partition; rows beyond the horizon or in a past gap stay there.
     */
    public MaintenancePolicy withDefaultRescued(boolean rescue) {
        return new MaintenancePolicy(table, range, list, hash, archiveSchema, fillGaps, rescue);
    }

    /** The strategy the policy is written for. */
    public PartitionStrategy strategy() {
        return range.isPresent() ? PartitionStrategy.RANGE : list.isPresent() ? PartitionStrategy.LIST : PartitionStrategy.HASH;
    }

    /** The archive schema for a parent in {@code parentSchema}. */
    String archiveSchemaFor(String parentSchema) {
        return archiveSchema.orElse(parentSchema + ARCHIVE_SUFFIX);
    }
}
