package io.pgpartition.reshape;

import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.maintenance.MaintenanceOptions;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.policy.PartitionInterval;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to reshape and how.
 *
 * @param operation  split, merge or drain
 * @param table      the partitioned table (a sub-partitioned partition reshapes its own partitions); unqualified names
 *                   resolve through the search path
 * @param partitions the partitions reshaped: the one split, the ones merged; none for a drain (its default partition)
 * @param interval   the width of the new partitions of a split or a drain; null for a merge
 * @param naming     the names of the new partitions of a split or a drain
 * @param name       the name of a merge's partition; empty for one derived from its bounds
 * @param zone       the time zone periods are computed in, for {@code timestamptz} keys
 * @param batchSize  rows copied per transaction
 * @param pause      the pause between two batches
 * @param options    lock timeout and retries of the statements that lock the table (the swap above all)
 */
public record ReshapeSpec(Operation operation, TableName table, List<TableName> partitions, PartitionInterval interval,
                          NamingPattern naming, Optional<String> name, ZoneId zone, int batchSize, Duration pause,
                          MaintenanceOptions options) {

    /** What a reshape does. */
    public enum Operation {
        /** One partition into several of a narrower interval that tile it exactly. */
        SPLIT,
        /** Adjacent range partitions (or list partitions) into one. */
        MERGE,
        /** The rows of the default partition into new partitions of an interval; the default partition stays, emptied. */
        DRAIN
    }

    /** The names of new partitions unless another pattern is given: {@code {table}_p{yyyy}{MM}{dd}}. */
    public static final String DEFAULT_NAMING = "{table}_p{yyyy}{MM}{dd}";

    public ReshapeSpec {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(table, "table");
        partitions = List.copyOf(partitions);
        Objects.requireNonNull(naming, "naming");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(pause, "pause");
        Objects.requireNonNull(options, "options");
        if (batchSize < 1) {
            throw new IllegalArgumentException("The batch size is at least 1 row; got " + batchSize);
        }
        if (pause.isNegative()) {
            throw new IllegalArgumentException("The pause between batches cannot be negative; got " + pause);
        }
        if (operation != Operation.MERGE && interval == null) {
            throw new IllegalArgumentException("A " + operation.name().toLowerCase() + " needs the interval of its new partitions");
        }
    }

    /** Splits {@code partition} of {@code table} into partitions of {@code interval} (such as {@code "1 day"}). */
    public static ReshapeSpec split(TableName table, TableName partition, String interval) {
        return new ReshapeSpec(Operation.SPLIT, table, List.of(partition), PartitionInterval.parse(interval, "repartition split",
                "--interval"), naming(DEFAULT_NAMING), Optional.empty(), ZoneOffset.UTC, 10_000, Duration.ZERO,
                ConversionSpec.DEFAULT_OPTIONS);
    }

    /** Merges adjacent {@code partitions} of {@code table} into one. */
    public static ReshapeSpec merge(TableName table, List<TableName> partitions) {
        return new ReshapeSpec(Operation.MERGE, table, partitions, null, naming(DEFAULT_NAMING), Optional.empty(), ZoneOffset.UTC,
                10_000, Duration.ZERO, ConversionSpec.DEFAULT_OPTIONS);
    }

    /** Moves the rows of the default partition of {@code table} into new partitions of {@code interval}. */
    public static ReshapeSpec drain(TableName table, String interval) {
        return new ReshapeSpec(Operation.DRAIN, table, List.of(), PartitionInterval.parse(interval, "repartition drain", "--interval"),
                naming(DEFAULT_NAMING), Optional.empty(), ZoneOffset.UTC, 10_000, Duration.ZERO, ConversionSpec.DEFAULT_OPTIONS);
    }

    /** The names of the new partitions of a split or a drain, such as {@code "{table}_d{yyyy}{MM}{dd}"}. */
    public ReshapeSpec withNaming(String pattern) {
        return new ReshapeSpec(operation, table, partitions, interval, naming(pattern), name, zone, batchSize, pause, options);
    }

    /** The name of a merge's partition. */
    public ReshapeSpec withName(String partitionName) {
        return new ReshapeSpec(operation, table, partitions, interval, naming, Optional.of(partitionName), zone, batchSize, pause,
                options);
    }

    public ReshapeSpec withZone(ZoneId periodsIn) {
        return new ReshapeSpec(operation, table, partitions, interval, naming, name, periodsIn, batchSize, pause, options);
    }

    public ReshapeSpec withBatchSize(int rows) {
        return new ReshapeSpec(operation, table, partitions, interval, naming, name, zone, rows, pause, options);
    }

    public ReshapeSpec withPause(Duration between) {
        return new ReshapeSpec(operation, table, partitions, interval, naming, name, zone, batchSize, between, options);
    }

    public ReshapeSpec withOptions(MaintenanceOptions locking) {
        return new ReshapeSpec(operation, table, partitions, interval, naming, name, zone, batchSize, pause, locking);
    }

    private static NamingPattern naming(String pattern) {
        return NamingPattern.parse(pattern, "repartition", "--naming");
    }
}
