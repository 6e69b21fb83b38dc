package io.pgpartition.reshape;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.conversion.ConversionProgress;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.maintenance.MaintenanceOptions;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.policy.PartitionInterval;
import io.pgpartition.policy.TimeInterval;
import io.pgpartition.reshape.internal.ReshapeRunner;
import io.pgpartition.reshape.internal.ReshapeSql;
import io.pgpartition.reshape.internal.ShapePlanner;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Reshapes the partitions of a partitioned table while the application keeps writing through it: splits one into
 * several, merges adjacent ones, or drains the default partition into new partitions.
 *
 * <p>{@link #run} goes through the phases of {@link ReshapeStatus.Phase}, recording each in the table
 * {@value #STATE_TABLE} of the table's schema, so that a run stopped anywhere is resumed by running it again:
 * <ol>
 *   <li>prepare, in one transaction: the new partitions as plain tables beside the table ({@code LIKE} it, with its
 *       foreign keys, a CHECK of each one's bound, and what the replaced partitions have of their own: owner, grants,
 *       row-level security and policies, comment, storage parameters), and a change log; then, in one short
 *       transaction under the lock timeout, triggers on the replaced partitions that log the identity of every row a
 *       write touches (TRUNCATE is refused until the end); a default partition that is not reshaped gets a validated
 *       CHECK excluding the replaced range;</li>
 *   <li>copy, in batches in primary-key order, through a partitioned table holding the new partitions, which routes
 *       each row to its partition; the copy takes no row lock, and the rows stay readable through the table;</li>
 *   <li>replay and verify: the new partitions' rows of every logged identity replaced by the current version, in
 *       rounds; then, in one snapshot, rows and checksum of every new partition against the rows it should hold;</li>
 *   <li>swap, in one transaction with the table locked ACCESS EXCLUSIVE under the lock timeout, with retries: the last
 *       logged writes replayed, the replaced partitions detached, the new ones attached (their CHECKs prove the bounds,
 *       so no partition is scanned), foreign keys that reference the table re-added NOT VALID and validated after,
 *       the partitions' own triggers carried with their enabled state; the replaced partitions are kept, and every
 *       write logged, for {@link #rollback} until {@link #cleanup}.</li>
 * </ol>
 */
public final class PartitionReshape {

    /** The table, in the reshaped table's schema, where reshapes record their state. */
    public static final String STATE_TABLE = ReshapeSql.STATE_TABLE;
    /** The trigger that logs the writes of the partitions being read from. */
    public static final String SYNC_TRIGGER = ReshapeSql.SYNC_TRIGGER;
    /** The trigger that refuses TRUNCATE while a reshape is under way. */
    public static final String TRUNCATE_TRIGGER = ReshapeSql.TRUNCATE_TRIGGER;

    private final ReshapeSpec spec;

    public PartitionReshape(ReshapeSpec spec) {
        this.spec = spec;
    }

    public ReshapeSpec spec() {
        return spec;
    }

    /**
     * Every statement of the reshape, for review (reads the catalog and, for a drain, scans the default partition once).
     *
     * @throws PartitioningException {@link ErrorCode#RESHAPE_BLOCKED} when it cannot be done as asked, naming why
     */
    public ReshapePlan plan(Connection connection) {
        try (ReshapeRunner runner = runner(connection, spec.table(), spec.batchSize(), spec.pause(), spec.options(), ConversionProgress.NONE)) {
            return runner.script(spec);
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot plan the reshape of " + spec.table() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Reshapes, or resumes the reshape under way where it stopped. Returns the state it reached:
     * {@link ReshapeStatus.Phase#SWAPPED} when done.
     *
     * @throws PartitioningException {@link ErrorCode#RESHAPE_BLOCKED} when it cannot be done as asked, another run holds
     *                               the table, or another reshape is under way; {@link ErrorCode#RESHAPE_FAILED} when
     *                               the database refuses a step or the verification finds a difference
     */
    public ReshapeStatus run(Connection connection, ConversionProgress progress) {
        try (ReshapeRunner runner = runner(connection, spec.table(), spec.batchSize(), spec.pause(), spec.options(), progress)) {
            return runner.run(spec);
        } catch (SQLException e) {
            throw failed("The reshape of " + spec.table(), e);
        }
    }

    /** Where the reshape of {@code table} stands. */
    public static ReshapeStatus status(Connection connection, TableName table) {
        try (ReshapeRunner runner = runner(connection, table, 1, Duration.ZERO, ConversionSpec.DEFAULT_OPTIONS, ConversionProgress.NONE)) {
            return runner.status();
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot read the reshape state of " + table + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Undoes the reshape of {@code table}: before the swap, drops what it made; after it, brings the replaced
     * partitions up to date, verifies them and swaps them back (locking the table as briefly as the swap did).
     */
    public static ReshapeStatus rollback(Connection connection, TableName table, MaintenanceOptions options, ConversionProgress progress) {
        try (ReshapeRunner runner = runner(connection, table, 10_000, Duration.ZERO, options, progress)) {
            return runner.rollback();
        } catch (SQLException e) {
            throw failed("The rollback of the reshape of " + table, e);
        }
    }

    /** Ends a swapped reshape of {@code table}: drops the replaced partitions, the change log and its triggers. */
    public static ReshapeStatus cleanup(Connection connection, TableName table, MaintenanceOptions options, ConversionProgress progress) {
        try (ReshapeRunner runner = runner(connection, table, 10_000, Duration.ZERO, options, progress)) {
            return runner.cleanup();
        } catch (SQLException e) {
            throw failed("The cleanup of the reshape of " + table, e);
        }
    }

    /**
     * The interval most of the table's range partitions are cut by ({@code 1 day}, {@code 1 week}, {@code 1 month},
     * {@code 3 months}, {@code 1 year}; periods begun in {@code zone}), for a drain asked without one; empty when none fits
     * most of them.
     */
    public static Optional<String> intervalOf(Connection connection, TableName table, ZoneId zone) {
        return new CatalogReader().read(connection, List.of(table)).partitionedTable(table)
                .flatMap(layout -> ShapePlanner.widthOf(layout, zone));
    }

    /**
     * The merges that archive {@code table} by age: for every period of {@code into} (such as {@code "3 months"}) that
     * ended at least {@code olderThan} (such as {@code "3 months"}) before {@code now} and whose partitions tile it
     * exactly, two or more of them, a merge into one partition named by {@code naming} for the period's start. Run them
     * one after the other, each cleaned up before the next.
     */
    public static List<ReshapeSpec> archiveMerges(Connection connection, TableName table, String olderThan, String into,
                                                            String naming, ZoneId zone, Instant now) {
        PartitionInterval age = PartitionInterval.parse(olderThan, "repartition merge",
                "--older-than");
        PartitionInterval width = PartitionInterval.parse(into, "repartition merge", "--into");
        if (!(age instanceof TimeInterval ageInterval) || !(width instanceof TimeInterval period)) {
            throw new IllegalArgumentException("--older-than and --into are intervals of time, such as '3 months'; got " + olderThan
                    + " and " + into);
        }
        NamingPattern names = NamingPattern.parse(naming, "repartition merge", "--naming");
        LocalDate cutoff = ageInterval.plus(now.atZone(zone).toLocalDate(), -1);
        return new CatalogReader().read(connection, List.of(table)).partitionedTable(table)
                .map(layout -> ShapePlanner.mergeGroups(layout, period, cutoff, zone).stream()
                        .map(group -> {
                            RangeBound first = (RangeBound) layout.partition(group.get(0).name())
                                    .orElseThrow().bound();
                            Object from = first.from().get(0).value();
                            LocalDate start = period.periodStart(from instanceof LocalDate d ? d
                                    : from instanceof LocalDateTime t ? t.toLocalDate()
                                    : ((Instant) from).atZone(zone).toLocalDate());
                            return ReshapeSpec.merge(layout.name(), group).withName(names.format(layout.name().name(), start)).withZone(zone);
                        }).toList())
                .orElse(List.of());
    }

    private static ReshapeRunner runner(Connection connection, TableName table, int batchSize, Duration pause, MaintenanceOptions options,
                                        ConversionProgress progress) throws SQLException {
        return new ReshapeRunner(connection, table, batchSize, pause, options, progress);
    }

    private static PartitioningException failed(String what, SQLException e) {
        return new PartitioningException(ErrorCode.RESHAPE_FAILED, what + " stopped: " + e.getMessage().strip() + " (SQLSTATE "
                + e.getSQLState() + "). Its state is recorded where it got to; pgpartition repartition status shows it, and running "
                + "it again resumes it.", e);
    }
}
