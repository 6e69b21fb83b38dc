package io.pgpartition.maintenance.internal;

import io.pgpartition.catalog.internal.Catalog;
import io.pgpartition.guard.internal.GuardSql;
import io.pgpartition.internal.jdbc.Transactions;
import io.pgpartition.maintenance.MaintenanceAction;
import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.maintenance.MaintenanceOptions;
import io.pgpartition.maintenance.MaintenanceResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs maintenance actions on one connection through {@link Transactions}: each transaction with the run's
 * {@code lock_timeout}, {@code synchronous_commit = off} (a crash right after a commit can only lose whole
 * maintenance transactions, which the next run redoes) and the server guard's bypass (rows move between partitions);
 * lock timeouts and deadlocks tried again with the options' backoff. Reports each action done or given up.
 */
final class ActionRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ActionRunner.class);

    private final Connection connection;
    private final MaintenanceOptions options;
    private final Transactions transactions;

    ActionRunner(Transactions transactions, MaintenanceOptions options) {
        this.connection = transactions.connection();
        this.options = options;
        this.transactions = transactions.withLocal("synchronous_commit", "off").withLocal(GuardSql.BYPASS_SETTING, "on");
    }

    /** The connection died during a run; the finding for the action it was running is already reported. */
    static final class ConnectionLost extends RuntimeException {
        ConnectionLost(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        SQLException sqlCause() {
            return (SQLException) getCause();
        }
    }

    /** A concurrent detach stopped with its partition possibly pending: the table's other concurrent detaches must wait. */
    static final class DetachUnfinished extends RuntimeException {
        final transient MaintenanceAction action;

        DetachUnfinished(MaintenanceAction action) {
            super(action.description(), null, false, false);
            this.action = action;
        }
    }

    /**
     * Runs transactional actions together in one transaction (or a single action of any kind): all of them are done,
     * or none, and each is reported on its own. An action that is not transactional (a concurrent detach) runs its
     * statements up to the detach one by one and the rest in one transaction, so that what follows the detach is done
     * whole or not at all.
     *
     * @throws ConnectionLost     when the connection died: nothing more can run on it
     * @throws DetachUnfinished   when a concurrent detach stopped at the detach
     */
    void run(List<MaintenanceAction> actions, Consumer<MaintenanceResult.Applied> done, Consumer<MaintenanceFinding> failed) {
        MaintenanceAction action = actions.get(0);
        if (actions.size() > 1 && !actions.stream().allMatch(MaintenanceAction::inTransaction)) {
            throw new IllegalArgumentException("Only transactional actions run together: " + actions);
        }
        long started = System.nanoTime();
        int detachAt = action.inTransaction() ? -1 : RetentionPlan.detachIndex(action);
        int[] ran = {0};
        int[] attempts = {0};
        Transactions retrying = transactions.withRetryListener((attempt, pause, cause) -> LOG.info(
                "pgpartition maintenance: {} waited {} for a lock (attempt {} of {}); trying again in {} ms",
                describe(actions), options.lockTimeout(), attempt, options.attempts(), pause));
        try {
            long moved = retrying.retry(attempt -> {
                attempts[0] = attempt;
                if (action.inTransaction()) {
                    return transactions.once(actions.stream().flatMap(a -> a.statements().stream()).toList()).rows();
                }
                for (; ran[0] <= detachAt; ran[0]++) {
                    String statement = action.statements().get(ran[0]);
                    boolean pending = attempt > 1 && RetentionPlan.isConcurrentDetach(action, statement) && detachPending(action);
                    transactions.alone(RetentionPlan.retryOf(action, statement, pending));
                }
                if (ran[0] < action.statements().size()) {
                    transactions.once(action.statements().subList(ran[0], action.statements().size()));
                    ran[0] = action.statements().size();
                }
                return 0L;
            });
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            for (MaintenanceAction each : actions) {
                done.accept(new MaintenanceResult.Applied(each, actions.size() == 1 ? moved : 0, attempts[0], took));
            }
        } catch (SQLException e) {
            failed(actions, e, ran[0], detachAt, attempts[0], started, failed);
        }
    }

    private void failed(List<MaintenanceAction> actions, SQLException e, int ran, int detachAt, int attempt, long started,
                        Consumer<MaintenanceFinding> failed) {
        MaintenanceAction action = actions.get(0);
        boolean lost = Transactions.isConnectionLost(e);
        boolean lockProblem = !lost && Transactions.isLockFailure(e);
        String state;
        if (!action.inTransaction()) {
            Boolean pending = null;
            if (!lost && ran == detachAt) {
                try {
                    pending = detachPending(action);
                } catch (SQLException unknown) {
                    LOG.debug("pgpartition maintenance: cannot tell whether {} is pending detach", action.partition(), unknown);
                }
            }
            state = RetentionPlan.stateAfter(action, ran, detachAt, pending);
        } else {
            state = lost ? "Its transaction was rolled back, unless the connection was lost while it committed; the next "
                    + "run sees which and does what is left." : "Nothing of it was changed.";
        }
        String together = actions.size() == 1 ? ""
                : " It ran in one transaction with " + (actions.size() - 1) + " other partition creation"
                + (actions.size() == 2 ? "" : "s") + " of " + action.table() + ", none of which was kept.";
        String blockers = lockProblem ? blockers(action, Duration.ofNanos(System.nanoTime() - started)) : "";
        for (MaintenanceAction each : actions) {
            MaintenanceFinding failure = lockProblem
                    ? MaintenanceFinding.of(MaintenanceFinding.Kind.GAVE_UP, each.table(), each.partition(),
                    "Gave up: " + each.description() + ". Each of " + attempt + " attempts waited "
                            + options.lockTimeout().toMillis() + " ms for a lock (" + e.getMessage().trim() + ")" + blockers
                            + ". " + state + together + " Fix: end the long transaction"
                            + (blockers.isEmpty() ? " holding a lock on " + each.table() + " (pg_stat_activity, pg_locks)" : "")
                            + " and run maintenance again.")
                    : MaintenanceFinding.of(MaintenanceFinding.Kind.FAILED, each.table(), each.partition(),
                    "Failed: " + each.description() + ": " + e.getMessage().trim() + " (SQLSTATE " + e.getSQLState() + "). "
                            + state + together);
            LOG.warn("pgpartition maintenance: {}", failure.message());
            failed.accept(failure);
        }
        if (lost) {
            throw new ConnectionLost(e);
        }
        if (!action.inTransaction() && ran == detachAt) {
            throw new DetachUnfinished(action);
        }
    }

    private boolean detachPending(MaintenanceAction action) throws SQLException {
        return Catalog.isDetachPending(connection, action.partition());
    }

    /**
     * The sessions holding locks on the action's table or its partitions since before its first attempt, such as
     * {@code ; waiting on pid 4711 (idle in transaction since 2026-12-02 09:10:11+00: SELECT ...)}; empty when none is
     * found.
     */
    private String blockers(MaintenanceAction action, Duration waited) {
        try {
            List<String> found = Catalog.lockHolders(connection, action.table(), waited).stream()
                    .map(h -> "pid " + h.pid() + " (" + h.state() + " since " + h.since() + ": " + h.query() + ")").toList();
            return found.isEmpty() ? "" : "; waiting on " + String.join(", ", found);
        } catch (SQLException e) {
            LOG.debug("pgpartition maintenance: cannot list the sessions holding locks on {}", action.table(), e);
            return "";
        }
    }

    private static String describe(List<MaintenanceAction> actions) {
        return actions.size() == 1 ? actions.get(0).description()
                : actions.get(0).description() + " and " + (actions.size() - 1) + " more in the same transaction";
    }
}
