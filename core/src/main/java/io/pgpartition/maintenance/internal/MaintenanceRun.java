package io.pgpartition.maintenance.internal;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.internal.jdbc.AdvisoryLock;
import io.pgpartition.internal.jdbc.Transactions;
import io.pgpartition.maintenance.MaintenanceAction;
import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.maintenance.MaintenanceOptions;
import io.pgpartition.maintenance.MaintenancePlan;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.maintenance.MaintenanceResult;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.TableName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One maintenance run: reads ({@link MaintenanceReader}), plans ({@link MaintenancePlanner}) and, for {@link #apply},
 * takes each table's advisory lock and runs its actions ({@link ActionRunner}).
 */
public final class MaintenanceRun {

    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceRun.class);

    /** The advisory-lock class of maintenance ({@code 'pgpm'} in ASCII); the name is the parent, schema-qualified. */
    public static final int ADVISORY_LOCK_CLASS = 0x7067706d;

    private final Connection connection;
    private final MaintenanceOptions options;
    private final MaintenanceReader reader;

    public MaintenanceRun(Connection connection, MaintenanceOptions options) {
        this.connection = connection;
        this.options = options;
        this.reader = new MaintenanceReader(connection);
    }

    /** A plan, the policy of each parent table it names (by its schema-qualified name), and the catalog it read. */
    public record Planned(MaintenancePlan plan, Map<TableName, MaintenancePolicy> policies, CatalogSnapshot snapshot) {
    }

    /** Reads, then plans: what maintenance of the policies' tables would do at {@code now}. */
    public Planned plan(Instant now, List<MaintenancePolicy> policies) {
        try {
            CatalogSnapshot snapshot = reader.layouts(policies.stream().map(MaintenancePolicy::table).toList());
            List<MaintenanceFinding> findings = new ArrayList<>();
            List<Draft> drafts = new ArrayList<>();
            for (MaintenancePolicy policy : policies) {
                MaintenanceReader.KeyData data = reader.keyData(policy, snapshot);
                List<Object> rescued = data.rescued();
                if (rescued.size() > RangePeriods.MAX_FILL_PERIODS) {
                    rescued = rescued.subList(0, RangePeriods.MAX_FILL_PERIODS);
                    PartitionedTable table = snapshot.partitionedTable(policy.table()).orElseThrow();
                    findings.add(DefaultRows.tooManyPeriods(table, table.defaultPartition().orElseThrow().name(),
                            policy.range().orElseThrow().interval().toString(), RangePeriods.periodEnd(policy.range().orElseThrow(),
                                    table.key().parts().get(0).type(), table.name(), rescued.get(rescued.size() - 1))));
                }
                MaintenancePlanner.draft(policy, snapshot, now, data.current(), rescued, findings).ifPresent(drafts::add);
            }
            Facts facts = reader.facts(drafts);
            // Citus runs DETACH PARTITION ... CONCURRENTLY on no distributed table: a plain detach there
            boolean concurrentDetach = snapshot.server().major() >= 14 && snapshot.citus().isEmpty();
            List<MaintenanceAction> actions = new ArrayList<>();
            Map<TableName, MaintenancePolicy> byParent = new HashMap<>();
            for (Draft draft : drafts) {
                actions.addAll(MaintenancePlanner.actions(draft, facts, concurrentDetach));
                findings.addAll(draft.findings());
                byParent.put(draft.parent(), draft.policy());
            }
            // on Citus, one connection per worker throughout each transaction (see MaintenancePlan#settings)
            Map<String, String> settings = snapshot.citus().isPresent() ? Map.of("citus.multi_shard_modify_mode", "sequential") : Map.of();
            return new Planned(new MaintenancePlan(now, actions, findings, options, settings), byParent, snapshot);
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    /**
     * Runs the plan for {@code now}: table by table under the table's advisory lock (planned again once the lock is
     * held if the table's partitions changed since the plan, so that a concurrent run's work is not repeated), each
     * action with lock timeout and retries; creations on a table without a default partition share transactions.
     */
    public MaintenanceResult apply(Instant now, List<MaintenancePolicy> policies) {
        Map<TableName, String> before = partitionStates(policies);
        Planned planned = plan(now, policies);
        MaintenancePlan plan = planned.plan();
        List<MaintenanceFinding> findings = new ArrayList<>();
        List<MaintenanceResult.Applied> applied = new ArrayList<>();
        Map<TableName, List<MaintenanceAction>> byTable = plan.actions().stream()
                .collect(Collectors.groupingBy(MaintenanceAction::table, LinkedHashMap::new, Collectors.toList()));
        for (MaintenancePolicy raced : racedWhilePlanned(planned, byTable.keySet(), before)) {
            before.remove(raced.table());
            planned.snapshot().partitionedTable(raced.table()).ifPresent(table -> byTable.put(table.name(), List.of()));
        }
        plan.findings().stream().filter(f -> !byTable.containsKey(f.table())).forEach(findings::add);
        if (byTable.isEmpty()) {
            return new MaintenanceResult(now, applied, findings);
        }
        Transactions transactions = new Transactions(connection, options.lockTimeout(), options.attempts(), options::pauseAfter);
        for (Map.Entry<String, String> setting : plan.settings().entrySet()) {
            transactions = transactions.withLocal(setting.getKey(), setting.getValue());
        }
        ActionRunner runner = new ActionRunner(transactions, options);
        try {
            transactions.inAutoCommit(() -> {
                List<TableName> parents = new ArrayList<>(byTable.keySet());
                for (int t = 0; t < parents.size(); t++) {
                    if (!maintain(parents, t, now, planned, before, byTable, runner, applied, findings)) {
                        return;
                    }
                }
            });
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.MAINTENANCE_FAILED, "Maintenance could not use its connection: "
                    + e.getMessage() + ". " + (applied.isEmpty() ? "Nothing was changed." : "Actions already done: " + applied.size() + "."), e);
        }
        return new MaintenanceResult(now, applied, findings);
    }

    /**
     * Maintains the table {@code parents[t]} under its advisory lock; false when the connection was lost and the run
     * stops (a finding says what was not attempted).
     */
    private boolean maintain(List<TableName> parents, int t, Instant now, Planned planned, Map<TableName, String> before,
                             Map<TableName, List<MaintenanceAction>> byTable, ActionRunner runner,
                             List<MaintenanceResult.Applied> applied, List<MaintenanceFinding> findings) throws SQLException {
        TableName parent = parents.get(t);
        MaintenancePolicy policy = planned.policies().get(parent);
        Optional<AdvisoryLock> lock = AdvisoryLock.tryTake(connection, ADVISORY_LOCK_CLASS, Sql.table(parent), options.advisoryLockWait());
        if (lock.isEmpty()) {
            planned.plan().findings().stream().filter(f -> f.table().equals(parent)).forEach(findings::add);
            findings.add(MaintenanceFinding.of(MaintenanceFinding.Kind.GAVE_UP, parent, "Maintenance of " + parent
                    + " was skipped: another maintenance run held its advisory lock for longer than "
                    + options.advisoryLockWait().toSeconds() + " s. Nothing of " + parent + " was changed. Fix: let that "
                    + "run finish, or look for a stuck session holding "
                    + AdvisoryLock.describe(ADVISORY_LOCK_CLASS, Sql.table(parent)) + "."));
            return true;
        }
        List<MaintenanceAction> actions = List.of();
        int started = 0;
        int findingsAt = findings.size();
        try (AdvisoryLock held = lock.get()) {
            String stateBefore = before.get(policy.table());
            boolean unchanged = stateBefore != null && stateBefore.equals(partitionStates(List.of(policy)).get(policy.table()));
            Planned current = unchanged ? planned : plan(now, List.of(policy));
            boolean noDefault = current.snapshot().partitionedTable(parent).map(x -> x.defaultPartition().isEmpty()).orElse(false);
            actions = current.plan().actions().stream().filter(a -> a.table().equals(parent)).toList();
            List<MaintenanceAction> skipped = new ArrayList<>();
            MaintenanceAction unfinished = null;
            for (List<MaintenanceAction> together : MaintenancePlanner.batches(actions, noDefault)) {
                if (unfinished != null && !together.get(0).inTransaction()) {
                    skipped.addAll(together);
                    continue;
                }
                started += together.size();
                try {
                    runner.run(together, done -> {
                        applied.add(done);
                        LOG.info("pgpartition maintenance: {}{}", done.action().description(),
                                done.rowsMoved() > 0 ? " (" + done.rowsMoved() + " rows moved)" : "");
                    }, findings::add);
                } catch (ActionRunner.DetachUnfinished e) {
                    unfinished = e.action;
                }
            }
            if (!skipped.isEmpty()) {
                findings.add(MaintenanceFinding.of(MaintenanceFinding.Kind.GAVE_UP, parent, "Not attempted: "
                        + skipped.stream().map(MaintenanceAction::description).collect(Collectors.joining("; "))
                        + ". PostgreSQL detaches one partition of " + parent + " concurrently at a time, and the detach of "
                        + unfinished.partition() + " did not finish (above). Fix: run maintenance again once it can; it "
                        + "finishes " + unfinished.partition() + " first, then these."));
            }
            findings.addAll(findingsAt, current.plan().findings().stream().filter(f -> f.table().equals(parent))
                    .filter(f -> !resolved(f, applied)).toList());
            return true;
        } catch (ActionRunner.ConnectionLost e) {
            List<String> left = new ArrayList<>();
            actions.stream().skip(started).map(MaintenanceAction::description).forEach(left::add);
            parents.stream().skip(t + 1).forEach(other -> byTable.get(other).forEach(a -> left.add(a.description())));
            findings.add(MaintenanceFinding.of(MaintenanceFinding.Kind.FAILED, parent, "The run stopped: its connection "
                    + "was lost (" + e.getMessage().trim() + ", SQLSTATE " + e.sqlCause().getSQLState() + ") after "
                    + applied.size() + " action" + (applied.size() == 1 ? "" : "s") + " done. "
                    + (left.isEmpty() ? "" : "Not attempted: " + String.join("; ", left) + ". ")
                    + "Fix: run maintenance again; it carries on from the state the database is in."));
            return false;
        }
    }

    /** Whether a finding about the state before the run is answered by an action that ran. */
    private static boolean resolved(MaintenanceFinding finding, List<MaintenanceResult.Applied> applied) {
        boolean state = finding.kind() == MaintenanceFinding.Kind.DETACH_PENDING
                || finding.kind() == MaintenanceFinding.Kind.RETENTION_UNFINISHED;
        return state && finding.partition().isPresent()
                && applied.stream().anyMatch(done -> done.action().partition().equals(finding.partition().get()));
    }

    /**
     * The policies of tables that have findings but nothing to do and whose partitions changed while they were
     * planned: the plan's catalog reads are separate statements, and another run committing between them makes a
     * partition it just attached look like a stranger of the same name. Such a table is planned again under its lock.
     */
    private List<MaintenancePolicy> racedWhilePlanned(Planned planned, Set<TableName> withActions, Map<TableName, String> before) {
        Set<TableName> withFindings = planned.plan().findings().stream().map(MaintenanceFinding::table)
                .filter(table -> !withActions.contains(table)).collect(Collectors.toSet());
        List<MaintenancePolicy> suspects = planned.policies().entrySet().stream()
                .filter(entry -> withFindings.contains(entry.getKey())).map(Map.Entry::getValue).toList();
        if (suspects.isEmpty()) {
            return List.of();
        }
        Map<TableName, String> after = partitionStates(suspects);
        return suspects.stream().filter(policy -> !Objects.equals(before.get(policy.table()), after.get(policy.table()))).toList();
    }

    private Map<TableName, String> partitionStates(List<MaintenancePolicy> chosen) {
        try {
            return reader.partitionStates(chosen.stream().map(MaintenancePolicy::table).toList());
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    private static PartitioningException unreadable(SQLException e) {
        return new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot plan partition maintenance: " + e.getMessage(), e);
    }
}
