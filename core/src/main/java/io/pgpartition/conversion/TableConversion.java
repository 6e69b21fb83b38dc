package io.pgpartition.conversion;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.conversion.internal.Blueprint;
import io.pgpartition.conversion.internal.ConversionPlanner;
import io.pgpartition.conversion.internal.ConversionRunner;
import io.pgpartition.conversion.internal.Names;
import io.pgpartition.conversion.internal.Swap;
import io.pgpartition.catalog.internal.TableData;
import io.pgpartition.catalog.internal.TableFacts;
import io.pgpartition.catalog.internal.TableReader;
import io.pgpartition.internal.ShellWords;
import io.pgpartition.maintenance.MaintenanceOptions;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.HashPolicy;
import io.pgpartition.policy.NamingPattern;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Converts one plain table into a partitioned one while the application keeps writing to it.
 *
 * <p>{@link #run} goes through the phases of {@link ConversionStatus.Phase}, recording each in the table
 * {@value #STATE_TABLE} of the table's schema, so that a run stopped anywhere (process killed, connection lost,
 * server restarted) is resumed by running again: nothing is copied twice, nothing is lost.
 * <ol>
 *   <li>prepare, in one transaction: the twin {@code <table>_partitioned} ({@code LIKE} the table), its constraints
 *       (primary key and unique ones with the key added, deferrability, {@code INCLUDE} and {@code NULLS NOT DISTINCT}
 *       kept), indexes, statistics and triggers (disabled until the swap), partitions covering every key present plus
 *       the premake horizon, a change log {@code <table>_pgp_log}, and on the table a trigger that records in it the key
 *       of every row an INSERT, UPDATE or DELETE touches, whoever writes and whatever {@code session_replication_role}
 *       says (TRUNCATE is refused until the end);</li>
 *   <li>copy, in batches in primary-key order up to the greatest key present when the trigger was made, each batch
 *       its own transaction; the copy takes no row lock, so writers never wait for it;</li>
 *   <li>replay and verify: the twin's rows of every logged key are replaced by the table's current version, in rounds;
 *       then, in one snapshot, the row count and checksum of every partition against the rows of the table it should
 *       hold, leaving out the keys logged since;</li>
 *   <li>swap, in one transaction under a lock timeout with retries: the last logged changes replayed under the lock,
 *       then the names, sequences (serial and identity, with their options and next value), grants (column grants
 *       too), comment, row-level security, triggers and rules with their enabled state, NOT VALID constraints and
 *       dependent views (with their options) move to the partitioned table; the original stays as
 *       {@code <table>_old} and every write is logged for {@link #rollback} until {@link #cleanup}.</li>
 * </ol>
 * Whatever cannot be carried exactly is a blocker of {@link #analyze}, and {@link #run} refuses it before it changes
 * anything.
 */
public final class TableConversion {

    /** The table, in the converted table's schema, where conversions record their state. */
    public static final String STATE_TABLE = Names.STATE_TABLE;
    /** The name of the trigger that logs writes (of the original before the swap, of the partitioned table after). */
    public static final String SYNC_TRIGGER = Names.SYNC_TRIGGER;
    /** The name of the trigger that refuses TRUNCATE while a conversion is under way. */
    public static final String TRUNCATE_TRIGGER = Names.TRUNCATE_TRIGGER;
    /** The first key of a conversion's advisory lock ({@code 'pgpc'}); the second is {@code hashtext} of the table's name. */
    public static final int ADVISORY_LOCK_CLASS = ConversionRunner.ADVISORY_LOCK_CLASS;

    private final ConversionSpec spec;

    public TableConversion(ConversionSpec spec) {
        this.spec = spec;
    }

    /**
     * A conversion already recorded in the database, for {@link #status}, {@link #rollback} and {@link #cleanup}, which
     * read what they need from it: its layout and key are not needed (and not known).
     */
    public static TableConversion recorded(TableName table, MaintenanceOptions options) {
        return new TableConversion(new ConversionSpec(table, "", new HashPolicy(1, NamingPattern.parse("{table}_h{remainder}",
                "recorded conversion", "naming")), 1, Duration.ZERO, ConversionSpec.ForeignKeys.REFUSE, options));
    }

    public ConversionSpec spec() {
        return spec;
    }

    /** Whether the table can be converted, and what converting it changes; reads the catalog and scans the table once. */
    public ConversionAnalysis analyze(Connection connection, Instant now) {
        try (ConversionRunner runner = new ConversionRunner(spec, connection, ConversionProgress.NONE)) {
            Blueprint blueprint = runner.blueprint(now);
            ConversionAnalysis.Verdict verdict = !blueprint.blockers().isEmpty() ? ConversionAnalysis.Verdict.BLOCKED
                    : !blueprint.changes().isEmpty() ? ConversionAnalysis.Verdict.NEEDS_CHANGES : ConversionAnalysis.Verdict.SAFE;
            return new ConversionAnalysis(blueprint.facts().name(), verdict, blueprint.blockers(), blueprint.changes(),
                    blueprint.carried(), blueprint.data().rows(), blueprint.data().nullKeys(), blueprint.data().minKey(),
                    blueprint.data().maxKey(), blueprint.partitions().stream().map(p -> p.name().name()).toList());
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot analyze " + spec.table() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every statement of the conversion in order, for review: prepare, one copy batch, verification, swap, cleanup.
     *
     * @throws PartitioningException {@link ErrorCode#CONVERSION_BLOCKED} when the analysis finds blockers
     */
    public ConversionPlan plan(Connection connection, Instant now) {
        try (ConversionRunner runner = new ConversionRunner(spec, connection, ConversionProgress.NONE)) {
            Blueprint blueprint = runner.blueprint(now);
            if (!blueprint.convertible()) {
                throw new PartitioningException(ErrorCode.CONVERSION_BLOCKED, "Cannot convert " + blueprint.facts().name() + ": "
                        + String.join(" ", blueprint.blockers()) + " Nothing was changed.");
            }
            Names names = blueprint.names();
            List<ConversionPlan.Step> steps = new ArrayList<>();
            steps.add(new ConversionPlan.Step("1. prepare (one transaction): the partitioned twin, its partitions, the change log and "
                    + "the trigger that fills it", blueprint.prepare()));
            steps.add(new ConversionPlan.Step("2. copy: repeated, one transaction per batch of " + spec.batchSize()
                    + " rows, from the last primary key copied (first batch shown)", List.of(blueprint.log().copyBatch(
                    blueprint.allColumns(), null, null, spec.batchSize()))));
            steps.add(new ConversionPlan.Step("3. replay the change log in rounds, then verify (one REPEATABLE READ snapshot): rows and "
                    + "checksums per partition, both sides, keys logged since left out", List.of(blueprint.log().replay(
                    "<the last entry of a round>"), blueprint.log().checksumsByPartition(names.twin()),
                    blueprint.log().checksumsByConstraint(names.table(), List.of()))));
            steps.add(new ConversionPlan.Step("4. swap (one transaction, lock_timeout " + spec.options().lockTimeout().toMillis()
                    + " ms, retried)", blueprint.swap()));
            steps.add(new ConversionPlan.Step("5. cleanup, once the partitioned table is validated (one transaction)",
                    Swap.cleanup(names, blueprint.partitions().stream().map(Blueprint.Partition::name).toList())));
            return new ConversionPlan(steps);
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot plan the conversion of " + spec.table() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A width of range partitions for the keys {@code table} holds, for an analysis asked without one: a day, a week, a
     * month, a quarter or a year for a time key (at most 120 partitions over the keys present), a round step for a
     * number; empty when the key is of another type or the table or column does not exist.
     */
    public static Optional<String> proposeInterval(Connection connection, TableName table, String keyColumn) {
        try {
            Optional<TableFacts> facts = TableReader.read(connection, table);
            Optional<TableFacts.Column> column = facts.flatMap(f -> f.column(keyColumn));
            if (column.isEmpty() || !facts.get().kind().equals("r")) {
                return Optional.empty();
            }
            ColumnType type = ColumnType.of(column.get().type(), ColumnType.kindOfTypeName(column.get().baseType()));
            String[] range = TableData.keyRange(connection, facts.get().name(), keyColumn);
            return ConversionPlanner.proposeInterval(type, range[0], range[1]);
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot read the keys of " + table + ": " + e.getMessage(), e);
        }
    }

    /** Where the conversion of the table stands. */
    public ConversionStatus status(Connection connection) {
        try (ConversionRunner runner = new ConversionRunner(spec, connection, ConversionProgress.NONE)) {
            return runner.status();
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot read the conversion state of " + spec.table() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Converts the table, or resumes the conversion where it stopped: prepare, copy, verify, swap (see the class
     * comment). Returns the state it reached: {@link ConversionStatus.Phase#SWAPPED} when done.
     *
     * @throws PartitioningException {@link ErrorCode#CONVERSION_BLOCKED} when the analysis finds blockers, another run
     *                               converts the table or the run asks for another layout than the one under way;
     *                               {@link ErrorCode#CONVERSION_FAILED} when the database refuses a step or the
     *                               verification finds a difference (the state says where it stopped)
     */
    public ConversionStatus run(Connection connection, Instant now, ConversionProgress progress) {
        try (ConversionRunner runner = new ConversionRunner(spec, connection, progress)) {
            try {
                return runner.run(now);
            } catch (SQLException e) {
                throw stopped(e, recordedPhase(runner));
            }
        } catch (SQLException e) {
            throw stopped(e, Optional.empty());
        }
    }

    /** Where a stopped run left the conversion, as its state says; empty when the state cannot be read (a lost connection). */
    private static Optional<ConversionStatus.Phase> recordedPhase(ConversionRunner runner) {
        try {
            return Optional.of(runner.status().phase());
        } catch (SQLException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private PartitioningException stopped(SQLException e, Optional<ConversionStatus.Phase> phase) {
        String cause = e.getMessage().strip() + " (SQLSTATE " + e.getSQLState() + ")";
        String table = ShellWords.tableWord(spec.table());
        String next;
        if (phase.isEmpty()) {
            next = "Whether its preparation was kept is not known here: pgpartition convert status " + table + " tells; run it "
                    + "again to resume, or roll it back (pgpartition convert rollback " + table + ").";
        } else if (phase.get() == ConversionStatus.Phase.NONE) {
            next = "Nothing of it was kept: its preparation was rolled back. Fix the cause and run it again.";
        } else {
            next = "Its state is recorded (" + phase.get().name().toLowerCase(java.util.Locale.ROOT) + "): run it again to resume, "
                    + "or roll it back (pgpartition convert rollback " + table + ").";
        }
        return new PartitioningException(ErrorCode.CONVERSION_FAILED, "The conversion of " + spec.table() + " stopped: " + cause
                + ". " + next, e);
    }

    /**
     * Undoes the conversion: before the swap, drops the twin and the log; after it, brings the original up to date with
     * every write logged since the swap, verifies it against the partitioned table, and swaps the names back. Foreign
     * keys dropped at the swap are not re-created.
     *
     * @throws PartitioningException {@link ErrorCode#CONVERSION_FAILED} when no conversion is recorded, or when the
     *                               original cannot take a row written since the swap (nothing is swapped back then)
     */
    public ConversionStatus rollback(Connection connection) {
        try (ConversionRunner runner = new ConversionRunner(spec, connection, ConversionProgress.NONE)) {
            return runner.rollback();
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CONVERSION_FAILED, "The rollback of the conversion of " + spec.table() + " failed: "
                    + e.getMessage().strip() + " (SQLSTATE " + e.getSQLState() + "). Nothing of it was changed.", e);
        }
    }

    /**
     * Ends a swapped conversion: drops the original table (kept as {@code <table>_old}), the log, the conversion's
     * triggers and functions, and its state.
     *
     * @throws PartitioningException {@link ErrorCode#CONVERSION_FAILED} when the conversion has not swapped yet
     */
    public ConversionStatus cleanup(Connection connection) {
        try (ConversionRunner runner = new ConversionRunner(spec, connection, ConversionProgress.NONE)) {
            return runner.cleanup();
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CONVERSION_FAILED, "The cleanup of the conversion of " + spec.table() + " failed: "
                    + e.getMessage().strip() + " (SQLSTATE " + e.getSQLState() + "). Nothing of it was changed.", e);
        }
    }
}
