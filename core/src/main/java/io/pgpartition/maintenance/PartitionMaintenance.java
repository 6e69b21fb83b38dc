package io.pgpartition.maintenance;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.maintenance.internal.DefaultRows;
import io.pgpartition.maintenance.internal.MaintenanceReader;
import io.pgpartition.maintenance.internal.RetentionPlan;
import io.pgpartition.maintenance.internal.MaintenanceRun;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The maintenance engine: for a set of policies, {@link #plan} says what is missing, expired or wrong with the exact
 * SQL that would fix it, {@link #apply} runs that SQL, and {@link #check} reports what monitoring should alert on.
 *
 * <p>New partitions are made as standalone tables and then attached ({@code ATTACH PARTITION} takes SHARE UPDATE
 * EXCLUSIVE on the parent, which the application's reads and writes do not conflict with). A table that receives
 * rows from the default partition before the attach is created with a CHECK constraint matching its bound, so the
 * attach does not scan it; one created empty in the attach's own transaction needs none. Every statement runs with a
 * {@code lock_timeout} and is retried with backoff; an action that still cannot get its locks is reported, never
 * left half done. A session-level advisory lock per parent table serializes runs from several application instances.
 *
 * <p>A plan reads the catalog in a constant number of statements, whatever the number of tables; a run with nothing
 * to do costs no more than its plan.
 */
public final class PartitionMaintenance {

    /**
     * The first key of maintenance's advisory locks ({@code 'pgpm'} in ASCII); the second is {@code hashtext} of the
     * parent's schema-qualified, quoted name.
     */
    public static final int ADVISORY_LOCK_CLASS = MaintenanceRun.ADVISORY_LOCK_CLASS;

    private final List<MaintenancePolicy> policies;
    private final MaintenanceOptions options;

    public PartitionMaintenance(Collection<MaintenancePolicy> policies) {
        this(policies, MaintenanceOptions.DEFAULTS);
    }

    public PartitionMaintenance(Collection<MaintenancePolicy> policies, MaintenanceOptions options) {
        this.policies = List.copyOf(policies);
        this.options = options;
        Set<TableName> seen = new HashSet<>();
        for (MaintenancePolicy policy : this.policies) {
            if (!seen.add(policy.table())) {
                throw new IllegalArgumentException("Two maintenance policies for table " + policy.table() + "; give each table one");
            }
        }
    }

    public List<MaintenancePolicy> policies() {
        return policies;
    }

    public MaintenanceOptions options() {
        return options;
    }

    /**
     * What maintenance would do at {@code now}, changing nothing.
     *
     * @throws PartitioningException {@link ErrorCode#IDENTIFIER_INVALID} when a partition name a policy makes is over
     *                               63 bytes; {@link ErrorCode#CATALOG_UNREADABLE} when the catalog cannot be read
     */
    public MaintenancePlan plan(Connection connection, Instant now) {
        return new MaintenanceRun(connection, options).plan(now, policies).plan();
    }

    /**
     * Runs the plan for {@code now}: table by table under the table's advisory lock (planned again once the lock is
     * held if the table's partitions changed since the plan, so that a concurrent run's work is not repeated), each
     * action with lock timeout and retries; creations on a table without a default partition share transactions.
     * Leaves the connection's auto-commit and {@code lock_timeout} as it found them.
     *
     * @throws PartitioningException as {@link #plan} does, before anything runs
     */
    public MaintenanceResult apply(Connection connection, Instant now) {
        return new MaintenanceRun(connection, options).apply(now, policies);
    }

    /**
     * What monitoring should know at {@code now}: every finding of the plan (partitions missing for the horizon among
     * them) plus a {@link MaintenanceFinding.Kind#DEFAULT_HAS_ROWS} finding for each default partition holding rows.
     */
    public List<MaintenanceFinding> check(Connection connection, Instant now) {
        MaintenanceRun.Planned planned = new MaintenanceRun(connection, options).plan(now, policies);
        List<MaintenanceFinding> findings = new ArrayList<>(planned.plan().findings());
        findings.addAll(defaultPartitionRows(connection, planned.snapshot().allPartitionedTables()));
        return findings;
    }

    /**
     * A {@link MaintenanceFinding.Kind#DEFAULT_HAS_ROWS} finding for each of the tables' default partitions that holds
     * rows, with the fix that works for its table: a range table's rows are rescued by maintenance with
     * {@link MaintenancePolicy#withDefaultRescued} (except those with a null or infinite key, which are counted apart);
     * a list table's need partitions declared for their values, which are named (up to 10). One statement counts the
     * rows of every default partition; one more per default partition holding rows names them.
     */
    public static List<MaintenanceFinding> defaultPartitionRows(Connection connection, Collection<PartitionedTable> tables) {
        MaintenanceReader reader = new MaintenanceReader(connection);
        List<MaintenanceFinding> findings = new ArrayList<>();
        try {
            Map<TableName, Long> rows = reader.defaultRows(tables);
            for (PartitionedTable table : tables) {
                TableName partition = table.defaultPartition().map(p -> p.name()).orElse(null);
                long held = partition == null ? 0 : rows.getOrDefault(partition, 0L);
                if (held > 0) {
                    findings.add(DefaultRows.finding(table, partition, held,
                            reader.defaultDetail(table, partition, DefaultRows.VALUES_SHOWN)));
                }
            }
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot count the rows of the default partitions: "
                    + e.getMessage() + ". Fix: grant SELECT on them to this role.", e);
        }
        return findings;
    }

    /**
     * What interrupted maintenance left anywhere in the database, found in two statements: a
     * {@link MaintenanceFinding.Kind#DETACH_PENDING} finding per partition left detach pending, and a
     * {@link MaintenanceFinding.Kind#RETENTION_UNFINISHED} finding per table that retention detached and did not drop
     * or archive. {@link #check} reports these for its own tables; this is for monitoring without policies.
     */
    public static List<MaintenanceFinding> interrupted(Connection connection) {
        try {
            MaintenanceReader reader = new MaintenanceReader(connection);
            return RetentionPlan.interrupted(reader.pendingDetaches(), reader.leftovers());
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot look for interrupted maintenance: " + e.getMessage(), e);
        }
    }

    /**
     * Every table in the database that retention took out of a partitioned table and that still exists (left detach
     * pending, detached and marked, detached to be kept, archived), in two statements.
     *
     * @throws PartitioningException {@link ErrorCode#CATALOG_UNREADABLE} when the catalog cannot be read
     */
    public static List<RetiredPartition> retired(Connection connection) {
        try {
            return new MaintenanceReader(connection).retired();
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot read the retired partitions: " + e.getMessage(), e);
        }
    }
}
