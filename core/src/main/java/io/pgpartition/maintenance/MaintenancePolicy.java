package io.pgpartition.maintenance;

import io.pgpartition.PartitionDefinitionException;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.HashPolicy;
import io.pgpartition.policy.ListPolicy;
import io.pgpartition.policy.PartitionDefinition;
import io.pgpartition.policy.PartitionPolicy;
import io.pgpartition.policy.RangePolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What maintenance keeps true for one partitioned table: the range, list or hash policy of its partitions, where
 * archived partitions go, whether gaps in the past are filled, and whether rows sitting in the default partition get
 * partitions of their own. Built from an entity's annotations with
 * {@link #of(TableName, PartitionDefinition)} or in code with {@link #range}, {@link #list} and {@link #hash}.
 *
 * @param table         the parent table; unqualified names resolve through the connection's search path
 * @param policy        the range, list or hash layout of its partitions
 * @param archiveSchema where {@code ARCHIVE} moves expired partitions; empty means the parent's schema plus
 *                      {@code _archive}
 * @param fillGaps      whether missing partitions in the past are created (they are always reported)
 * @param rescueDefault whether a range table's default partition is emptied: a partition of the policy's interval is
 *                      created for every period holding rows there, wherever it lies (beyond the premake horizon, in a
 *                      gap, before the first partition), and the rows are moved into it
 */
public record MaintenancePolicy(TableName table, PartitionPolicy policy, Optional<String> archiveSchema, boolean fillGaps,
                                boolean rescueDefault) {

    /** Appended to the parent's schema to name the default archive schema. */
    public static final String ARCHIVE_SUFFIX = "_archive";

    public MaintenancePolicy {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(archiveSchema, "archiveSchema");
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

    /** The policy for a table, archiving into the default schema, filling no gap, rescuing nothing beyond the horizon. */
    public static MaintenancePolicy of(TableName table, PartitionPolicy policy) {
        return new MaintenancePolicy(table, policy, Optional.empty(), false, false);
    }

    /** A range policy for a table. */
    public static MaintenancePolicy range(TableName table, RangePolicy policy) {
        return of(table, policy);
    }

    /** Declared list partitions for a table. */
    public static MaintenancePolicy list(TableName table, ListPolicy policy) {
        return of(table, policy);
    }

    /** A hash layout for a table. */
    public static MaintenancePolicy hash(TableName table, HashPolicy policy) {
        return of(table, policy);
    }

    /**
     * The policy an entity's annotations declare, or empty when they declare none ({@code @PartitionedBy} alone leaves
     * the partitions to the team).
     */
    public static Optional<MaintenancePolicy> of(TableName table, PartitionDefinition definition) {
        return definition.policy().map(policy -> of(table, policy));
    }

    /** The range policy, for a range-partitioned table. */
    public Optional<RangePolicy> range() {
        return policy instanceof RangePolicy range ? Optional.of(range) : Optional.empty();
    }

    /** The declared list partitions, for a list-partitioned table. */
    public Optional<ListPolicy> list() {
        return policy instanceof ListPolicy list ? Optional.of(list) : Optional.empty();
    }

    /** The hash layout, for a hash-partitioned table. */
    public Optional<HashPolicy> hash() {
        return policy instanceof HashPolicy hash ? Optional.of(hash) : Optional.empty();
    }

    /** This policy archiving expired partitions into {@code schema}. */
    public MaintenancePolicy withArchiveSchema(String schema) {
        return new MaintenancePolicy(table, policy, Optional.of(schema), fillGaps, rescueDefault);
    }

    /** This policy creating (or not) the missing partitions it finds in the past. */
    public MaintenancePolicy withGapsFilled(boolean fill) {
        return new MaintenancePolicy(table, policy, archiveSchema, fill, rescueDefault);
    }

    /**
     * This policy creating (or not) a partition for every period that holds rows in a range table's default partition,
     * and moving those rows into it. Without it, only periods the premake horizon (or {@link #withGapsFilled}) wants
     * take their rows out of the default partition; rows beyond the horizon or in a past gap stay there.
     */
    public MaintenancePolicy withDefaultRescued(boolean rescue) {
        return new MaintenancePolicy(table, policy, archiveSchema, fillGaps, rescue);
    }

    /** The strategy the policy is written for. */
    public PartitionStrategy strategy() {
        return policy.strategy();
    }

    /**
     * The options of {@code pgpartition maintain} that describe this policy (without the table), one word each and
     * unquoted: what the application records of its policies, so that the command line maintains the same partitions.
     */
    public List<String> commandLineOptions() {
        List<String> options = new ArrayList<>(policy.commandLineOptions());
        range().ifPresent(range -> options.addAll(range.retentionOptions()));
        archiveSchema.ifPresent(schema -> options.addAll(List.of("--archive-schema", schema)));
        if (fillGaps) {
            options.add("--fill-gaps");
        }
        if (rescueDefault) {
            options.add("--rescue-default");
        }
        return options;
    }

    /** The archive schema for a parent in {@code parentSchema}. */
    public String archiveSchemaFor(String parentSchema) {
        return archiveSchema.orElse(parentSchema + ARCHIVE_SUFFIX);
    }
}
