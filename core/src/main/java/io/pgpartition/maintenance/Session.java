package io.pgpartition.maintenance;

import io.pgpartition.catalog.Catalog;
import io.pgpartition.catalog.Jdbc;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.ddl.Sql;
import io.pgpartition.guard.GuardSql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pgpartition.model.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * One maintenance run on one connection: sets the lock timeout for the run, takes and releases the per-table advisory
 * locks, runs actions with retries, and puts the connection's auto-commit and {@code lock_timeout} back when closed.
 */
final class Session implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    /** SQLSTATE of a lock wait cut short by {@code lock_timeout}. */
    static final String LOCK_NOT_AVAILABLE = "55P03";
    /** SQLSTATE of a transaction chosen as deadlock victim. */
    static final String DEADLOCK_DETECTED = "40P01";

    private final Connection connection;
    private final MaintenanceOptions options;
    private final boolean autoCommit;
    private final String lockTimeout;

    Session(Connection connection, MaintenanceOptions options) throws SQLException {
        this.connection = connection;
        this.options = options;
        this.autoCommit = connection.getAutoCommit();
        if (!autoCommit) {
            connection.commit();
            connection.setAutoCommit(true);
        }
        this.lockTimeout = single("SELECT pg_catalog.current_setting('lock_timeout')");
        setLockTimeout(options.lockTimeoutSetting());
    }

    /**
     * Takes the session-level advisory lock of a parent table, waiting up to the configured time for another run to
     * release it.
     */
    boolean lockTable(TableName parent) throws SQLException {
        long deadline = System.nanoTime() + options.advisoryLockWait().toNanos();
        long pause = 50;
        while (true) {
            if (Jdbc.first(connection, "SELECT pg_catalog.pg_try_advisory_lock(?, ?::regclass::oid::int4)", rs -> rs.getBoolean(1),
                    PartitionMaintenance.ADVISORY_LOCK_CLASS, Sql.table(parent)).orElse(false)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            LOG.debug("pgpartition maintenance: waiting for another run maintaining {}", parent);
            sleep(pause);
            pause = Math.min(pause * 2, 1000);
        }
    }

    void unlockTable(TableName parent) throws SQLException {
        Jdbc.first(connection, "SELECT pg_catalog.pg_advisory_unlock(?, ?::regclass::oid::int4)", rs -> rs.getBoolean(1),
                PartitionMaintenance.ADVISORY_LOCK_CLASS, Sql.table(parent));
    }

    /**
     * Runs an action, trying again after a lock timeout or deadlock with growing pauses. Hands what was done to
     * {@code done}, or why the action gave up or failed to {@code failed}; then nothing of a transactional action
     * remains.
     */
    void run(MaintenanceAction action, Consumer<MaintenanceResult.Applied> done, Consumer<MaintenanceFinding> failed) {
        run(List.of(action), done, failed);
    }

    /**
     * Runs transactional actions together in one transaction (or a single action of any kind), as {@link #run} does
     * one: all of them are done, or none, and each is reported on its own. An action that is not transactional (a
     * concurrent detach) runs its statements up to the detach one by one and the rest in one transaction, so that
     * what follows the detach is done whole or not at all.
     *
     * @throws ConnectionLost when the connection died: nothing more can run on it
     */
    void run(List<MaintenanceAction> actions, Consumer<MaintenanceResult.Applied> done, Consumer<MaintenanceFinding> failed) {
        MaintenanceAction action = actions.get(0);
        if (actions.size() > 1 && !actions.stream().allMatch(MaintenanceAction::inTransaction)) {
            throw new IllegalArgumentException("Only transactional actions run together: " + actions);
        }
        long started = System.nanoTime();
        int detachAt = action.inTransaction() ? -1 : detachIndex(action);
        int ran = 0;
        long moved = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                if (action.inTransaction()) {
                    moved = runInTransaction(actions.stream().flatMap(a -> a.statements().stream()).toList());
                } else {
                    for (; ran <= detachAt; ran++) {
                        execute(statementToRun(action, ran, attempt));
                    }
                    if (ran < action.statements().size()) {
                        runInTransaction(action.statements().subList(ran, action.statements().size()));
                        ran = action.statements().size();
                    }
                }
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                for (MaintenanceAction each : actions) {
                    done.accept(new MaintenanceResult.Applied(each, actions.size() == 1 ? moved : 0, attempt, took));
                }
                return;
            } catch (SQLException e) {
                boolean lost = isConnectionLost(e);
                boolean lockProblem = !lost && (LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || DEADLOCK_DETECTED.equals(e.getSQLState()));
                if (lockProblem && attempt < options.attempts()) {
                    long pause = options.pauseAfter(attempt);
                    LOG.info("pgpartition maintenance: {} waited {} for a lock (attempt {} of {}); trying again in {} ms",
                            describe(actions), options.lockTimeout(), attempt, options.attempts(), pause);
                    sleep(pause);
                    continue;
                }
                String state = !action.inTransaction() ? stateAfter(action, ran, detachAt, lost)
                        : lost ? "Its transaction was rolled back, unless the connection was lost while it committed; the next "
                        + "run sees which and does what is left." : "Nothing of it was changed.";
                String together = actions.size() == 1 ? ""
                        : " It ran in one transaction with " + (actions.size() - 1) + " other partition creation"
                        + (actions.size() == 2 ? "" : "s") + " of " + action.table() + ", none of which was kept.";
                String blockers = lockProblem ? blockers(action) : "";
                List<MaintenanceFinding> findings = new java.util.ArrayList<>();
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
                    findings.add(failure);
                }
                if (lost) {
                    throw new ConnectionLost(e);
                }
                if (!action.inTransaction() && ran == detachAt) {
                    throw new DetachUnfinished(action);
                }
                return;
            }
        }
    }

    /** The index of a concurrent action's detach statement (plain, concurrent or finalize). */
    private static int detachIndex(MaintenanceAction action) {
        for (int i = 0; i < action.statements().size(); i++) {
            String statement = action.statements().get(i);
            if (statement.equals(PartitionDdl.detach(action.table(), action.partition(), true))
                    || statement.equals(PartitionDdl.detachFinalize(action.table(), action.partition()))
                    || statement.equals(PartitionDdl.detach(action.table(), action.partition(), false))) {
                return i;
            }
        }
        return action.statements().size() - 1;
    }

    /**
     * What state a concurrent action left its partition in, and what the next run does about it, after it stopped
     * with {@code ran} of its statements done ({@code detachAt} is the detach's index).
     */
    private String stateAfter(MaintenanceAction action, int ran, int detachAt, boolean lost) {
        TableName partition = action.partition();
        String next = switch (action.kind()) {
            case DROP -> " and drops it";
            case ARCHIVE -> " and archives it";
            default -> "";
        };
        boolean marked = detachAt > 0;
        if (ran > detachAt) {
            return partition + " is detached from " + action.table() + " and keeps its rows as a plain table, marked for "
                    + "retention (check reports it as RETENTION_UNFINISHED); the next run" + next.replace(" and", "") + ".";
        }
        if (ran < detachAt) {
            return "Nothing of it was changed.";
        }
        Boolean pending = null;
        if (!lost) {
            try {
                pending = detachPending(partition);
            } catch (SQLException e) {
                LOG.debug("pgpartition maintenance: cannot tell whether {} is pending detach", partition, e);
            }
        }
        if (Boolean.FALSE.equals(pending)) {
            return partition + " is still a partition of " + action.table() + " with all its rows" + (marked ? " (its comment "
                    + "marks it for retention)" : "") + "; the next run tries again.";
        }
        return partition + (pending == null ? " may be left" : " is left") + " DETACH PENDING: its rows are not visible through "
                + action.table() + ", and no other partition of it can be detached concurrently until it is finished. The next "
                + "run finishes the detach (FINALIZE)" + next + ".";
    }

    /**
     * The sessions holding locks on the action's table or its partitions, such as {@code ; waiting on pid 4711 (idle in
     * transaction since 2026-12-02 09:10:11+00: SELECT ...)}; empty when none is found.
     */
    private String blockers(MaintenanceAction action) {
        try {
            List<String> found = Catalog.lockHolders(connection, action.table()).stream()
                    .map(h -> "pid " + h.pid() + " (" + h.state() + " since " + h.since() + ": " + h.query() + ")").toList();
            return found.isEmpty() ? "" : "; waiting on " + String.join(", ", found);
        } catch (SQLException e) {
            LOG.debug("pgpartition maintenance: cannot list the sessions holding locks on {}", action.table(), e);
            return "";
        }
    }

    /** Whether an error means the connection is gone: a broken link (08xxx) or a backend ended by the server (57P0x). */
    static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
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
        final MaintenanceAction action;

        DetachUnfinished(MaintenanceAction action) {
            super(action.description(), null, false, false);
            this.action = action;
        }
    }

    private static String describe(List<MaintenanceAction> actions) {
        return actions.size() == 1 ? actions.get(0).description()
                : actions.get(0).description() + " and " + (actions.size() - 1) + " more in the same transaction";
    }

    /**
     * The statement to run; a concurrent detach that an earlier attempt interrupted left the partition "detach
     * pending", and only {@code FINALIZE} completes it.
     */
    private String statementToRun(MaintenanceAction action, int index, int attempt) throws SQLException {
        String statement = action.statements().get(index);
        if (attempt > 1 && statement.equals(PartitionDdl.detach(action.table(), action.partition(), true))
                && detachPending(action.partition())) {
            return PartitionDdl.detachFinalize(action.table(), action.partition());
        }
        return statement;
    }

    private boolean detachPending(TableName partition) throws SQLException {
        return Catalog.isDetachPending(connection, partition);
    }

    /**
     * Runs statements in one transaction with {@code SET LOCAL lock_timeout}, sent together in one round trip;
     * returns the rows the statements changed. The commit does not wait for the WAL flush
     * ({@code synchronous_commit = off}): a crash right after it can only lose whole maintenance transactions, which
     * leaves the table as it was before them (moved rows still in the default partition) and the next run redoes them.
     */
    private long runInTransaction(List<String> statements) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            StringBuilder batch = new StringBuilder("SET LOCAL lock_timeout = ").append(Sql.literal(options.lockTimeoutSetting()))
                    .append(";\nSET LOCAL synchronous_commit = off")
                    .append(";\nSET LOCAL ").append(GuardSql.BYPASS_SETTING).append(" = on");
            statements.forEach(sql -> batch.append(";\n").append(sql));
            long changed = 0;
            boolean result = statement.execute(batch.toString());
            while (true) {
                int count = statement.getUpdateCount();
                if (!result && count == -1) {
                    break;
                }
                changed += Math.max(count, 0);
                result = statement.getMoreResults();
            }
            connection.commit();
            return changed;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException closed) {
                LOG.debug("pgpartition maintenance: cannot reset auto-commit", closed);
            }
        }
    }

    /** Runs one statement on its own (auto-commit), under the session's lock timeout. */
    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void setLockTimeout(String value) throws SQLException {
        Jdbc.first(connection, "SELECT pg_catalog.set_config('lock_timeout', ?, false)", rs -> rs.getString(1), value);
    }

    private String single(String sql) throws SQLException {
        return Jdbc.first(connection, sql, rs -> rs.getString(1)).orElseThrow();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Maintenance was interrupted while waiting", e);
        }
    }

    @Override
    public void close() throws SQLException {
        setLockTimeout(lockTimeout);
        connection.setAutoCommit(autoCommit);
    }
}
