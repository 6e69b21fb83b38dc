package io.pgpartition.conversion;

import io.pgpartition.maintenance.MaintenanceOptions;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.PartitionPolicy;

import java.time.Duration;
import java.util.Objects;

/**
 * What to convert and how.
 *
 * @param table       the plain table; unqualified names resolve through the search path
 * @param keyColumn   the partition key column
 * @param policy      the layout of the partitions (range, list or hash)
 * @param batchSize   rows copied per transaction
 * @param pause       the pause between two batches, which leaves the server to other work
 * @param foreignKeys what to do with foreign keys of other tables that reference the table
 * @param options     lock timeout and retries of the statements that lock the table (trigger creation, swap)
 */
public record ConversionSpec(TableName table, String keyColumn, PartitionPolicy policy, int batchSize, Duration pause,
                             ForeignKeys foreignKeys, MaintenanceOptions options) {

    /** What a conversion does with foreign keys that reference the table: a partitioned table cannot be referenced by them as they are. */
    public enum ForeignKeys {
        /** Refuse the conversion while any exists (the default). */
        REFUSE,
        /** Drop them at the swap, and report each with the statement that would re-create it. */
        DROP
    }

    public ConversionSpec {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(keyColumn, "keyColumn");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(pause, "pause");
        Objects.requireNonNull(foreignKeys, "foreignKeys");
        Objects.requireNonNull(options, "options");
        if (batchSize < 1) {
            throw new IllegalArgumentException("The batch size is at least 1 row; got " + batchSize);
        }
        if (pause.isNegative()) {
            throw new IllegalArgumentException("The pause between batches cannot be negative; got " + pause);
        }
    }

    /**
     * The lock options of a conversion: maintenance's retries, and a lock timeout of 200 ms, because writers queue
     * behind the swap's lock request for as long as it waits.
     */
    public static final MaintenanceOptions DEFAULT_OPTIONS = MaintenanceOptions.DEFAULTS.withLockTimeout(Duration.ofMillis(200));

    /** 10,000 rows per batch, no pause, foreign keys refused, {@link #DEFAULT_OPTIONS}. */
    public static ConversionSpec of(TableName table, String keyColumn, PartitionPolicy policy) {
        return new ConversionSpec(table, keyColumn, policy, 10_000, Duration.ZERO, ForeignKeys.REFUSE, DEFAULT_OPTIONS);
    }

    public ConversionSpec withBatchSize(int rows) {
        return new ConversionSpec(table, keyColumn, policy, rows, pause, foreignKeys, options);
    }

    public ConversionSpec withPause(Duration between) {
        return new ConversionSpec(table, keyColumn, policy, batchSize, between, foreignKeys, options);
    }

    public ConversionSpec withForeignKeys(ForeignKeys handling) {
        return new ConversionSpec(table, keyColumn, policy, batchSize, pause, handling, options);
    }

    public ConversionSpec withOptions(MaintenanceOptions locking) {
        return new ConversionSpec(table, keyColumn, policy, batchSize, pause, foreignKeys, locking);
    }
}
