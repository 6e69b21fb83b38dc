package io.pgpartition.internal.jdbc;

import io.pgpartition.catalog.internal.Jdbc;
import io.pgpartition.ddl.internal.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

/**
 * Runs statements in transactions on one connection, the one way every engine does: auto-commit saved and restored,
 * a commit on success, a rollback on failure, {@code lock_timeout} (and any other {@code SET LOCAL}) for every
 * transaction, retries after lock timeouts and deadlocks with the engine's backoff.
 */
public final class Transactions {

    /** Work that runs its own transactions on the connection and commits them. */
    public interface Work {
        void run() throws SQLException;
    }

    /** Statements whose text depends on the state they run in: asked anew for every attempt. */
    public interface Statements {
        List<String> get() throws SQLException;
    }

    /** One attempt of work that may fail on a lock; numbered from 1. */
    public interface Attempt<T> {
        T run(int attempt) throws SQLException;
    }

    /** Told before each pause between attempts, for logs. */
    public interface Retrying {
        void before(int failedAttempt, long pauseMillis, SQLException cause);

        Retrying SILENT = (attempt, pause, cause) -> { };
    }

    /**
     * How one transaction went.
     *
     * @param attempts how many attempts it took (the last one committed)
     * @param stall    from the first statement of the committed attempt to its commit: how long writers that queued
     *                 behind its first lock waited at most
     * @param waited   the time spent in attempts that timed out on a lock (each of them stalled writers too)
     * @param rows     the rows the statements of the committed attempt inserted, updated or deleted
     */
    /** Puts back the auto-commit mode a connection had; closing it again does nothing. */
    public interface AutoCommit extends AutoCloseable {
        @Override
        void close() throws SQLException;
    }

    /**
     * What a transaction did: its attempts, how long its last attempt took, how long the failed ones waited, the rows
     * its statements changed, and the notices the server sent (at the {@code client_min_messages} the statements set).
     */
    public record Outcome(int attempts, Duration stall, Duration waited, long rows, List<String> notices) {
        public Outcome {
            notices = List.copyOf(notices);
        }
    }

    private final Connection connection;
    private final Duration lockTimeout;
    private final int attempts;
    private final IntToLongFunction pauseAfter;
    private final Map<String, String> localSettings;
    private final Retrying retrying;

    /**
     * @param pauseAfter the pause in milliseconds after the failed attempt numbered by its argument
     */
    public Transactions(Connection connection, Duration lockTimeout, int attempts, IntToLongFunction pauseAfter) {
        this(connection, lockTimeout, attempts, pauseAfter, Map.of(), Retrying.SILENT);
    }

    private Transactions(Connection connection, Duration lockTimeout, int attempts, IntToLongFunction pauseAfter,
                         Map<String, String> localSettings, Retrying retrying) {
        this.connection = connection;
        this.lockTimeout = lockTimeout;
        this.attempts = attempts;
        this.pauseAfter = pauseAfter;
        this.localSettings = localSettings;
        this.retrying = retrying;
    }

    /** Transactions on the connection without a lock timeout or retries: for catalog reads and one-off changes. */
    public static Transactions of(Connection connection) {
        return new Transactions(connection, Duration.ZERO, 1, attempt -> 0);
    }

    /** These transactions with one more {@code SET LOCAL name = value} at their start. */
    public Transactions withLocal(String name, String value) {
        Map<String, String> settings = new LinkedHashMap<>(localSettings);
        settings.put(name, value);
        return new Transactions(connection, lockTimeout, attempts, pauseAfter, Collections.unmodifiableMap(settings), retrying);
    }

    /** These transactions telling {@code listener} before each pause between attempts. */
    public Transactions withRetryListener(Retrying listener) {
        return new Transactions(connection, lockTimeout, attempts, pauseAfter, localSettings, listener);
    }

    public Connection connection() {
        return connection;
    }

    public Duration lockTimeout() {
        return lockTimeout;
    }

    public int attempts() {
        return attempts;
    }

    /** Runs the statements in one transaction, once. */
    public Outcome once(List<String> statements) throws SQLException {
        long started = System.nanoTime();
        List<String> notices = new ArrayList<>();
        long rows = execute(statements, notices);
        return new Outcome(1, Duration.ofNanos(System.nanoTime() - started), Duration.ZERO, rows, notices);
    }

    /** Runs the statements in one transaction, tried again after lock timeouts and deadlocks up to the attempts allowed. */
    public Outcome retried(Statements statements) throws SQLException {
        long[] waited = {0};
        return retry(attempt -> {
            List<String> sql = statements.get();
            long started = System.nanoTime();
            List<String> notices = new ArrayList<>();
            try {
                long rows = execute(sql, notices);
                return new Outcome(attempt, Duration.ofNanos(System.nanoTime() - started), Duration.ofNanos(waited[0]), rows, notices);
            } catch (SQLException e) {
                waited[0] += System.nanoTime() - started;
                throw e;
            }
        });
    }

    /**
     * Runs {@code attempt} until it succeeds, pausing with the backoff after each lock timeout or deadlock, up to the
     * attempts allowed; any other failure, and the last lock failure, is thrown.
     */
    public <T> T retry(Attempt<T> attempt) throws SQLException {
        for (int number = 1; ; number++) {
            try {
                return attempt.run(number);
            } catch (SQLException e) {
                if (!isLockFailure(e) || number >= attempts) {
                    throw e;
                }
                long pause = pauseAfter.applyAsLong(number);
                retrying.before(number, pause, e);
                sleep(pause);
            }
        }
    }

    /** Whether the failure is a lock timeout or a lost deadlock, which a later attempt may not meet. */
    public static boolean isLockFailure(SQLException e) {
        return "55P03".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    /** Whether an error means the connection is gone: a broken link (08xxx) or a backend ended by the server (57P0x). */
    public static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    /**
     * The statements, after the {@code SET LOCAL}s, sent in one round trip and committed; returns the rows they
     * changed and adds the server's notices to {@code notices}.
     */
    private long execute(List<String> statements, List<String> notices) throws SQLException {
        long[] rows = {0};
        inTransactions(() -> {
            StringBuilder batch = new StringBuilder("SET LOCAL lock_timeout = ").append(Sql.literal(lockTimeout.toMillis() + "ms"));
            localSettings.forEach((name, value) -> batch.append(";\nSET LOCAL ").append(name).append(" = ").append(Sql.literal(value)));
            statements.forEach(sql -> batch.append(";\n").append(sql));
            try (Statement statement = connection.createStatement()) {
                boolean result = statement.execute(batch.toString());
                while (true) {
                    int count = statement.getUpdateCount();
                    if (!result && count == -1) {
                        break;
                    }
                    rows[0] += Math.max(count, 0);
                    result = statement.getMoreResults();
                }
                for (SQLWarning warning = statement.getWarnings(); warning != null; warning = warning.getNextWarning()) {
                    notices.add(warning.getMessage());
                }
            }
            connection.commit();
        });
        return rows[0];
    }

    /**
     * Runs {@code work}, which commits its own transactions, with auto-commit off in the connection's isolation (not
     * asked of the server, which would cost a round trip); rolls back what is open when it fails and puts auto-commit
     * back.
     */
    public void inTransactions(Work work) throws SQLException {
        run(KEEP_ISOLATION, work);
    }

    /** Keeps the connection's isolation as it is. */
    private static final int KEEP_ISOLATION = -1;

    /**
     * Runs {@code work}, which commits its own transactions, with auto-commit off in the given isolation (set only
     * where it differs, so that a connection handed over inside a transaction can be used); rolls back what is open
     * when it fails and puts auto-commit and isolation back.
     */
    public void inTransactions(int isolation, Work work) throws SQLException {
        run(isolation, work);
    }

    private void run(int isolation, Work work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        int previous = isolation == KEEP_ISOLATION ? KEEP_ISOLATION : connection.getTransactionIsolation();
        connection.setAutoCommit(false);
        if (previous != isolation) {
            connection.setTransactionIsolation(isolation);
        }
        try {
            work.run();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw e;
        } finally {
            try {
                if (previous != isolation) {
                    connection.setTransactionIsolation(previous);
                }
                connection.setAutoCommit(autoCommit);
            } catch (SQLException closed) {
                if (!connection.isClosed()) {
                    throw closed;
                }
            }
        }
    }

    /**
     * Runs {@code work} on the connection in auto-commit mode with the session's {@code lock_timeout} set to these
     * transactions' one, so that statements that cannot run in a transaction block ({@code DETACH PARTITION ...
     * CONCURRENTLY}) wait no longer than the others. A transaction the caller left open is committed first; auto-commit
     * and {@code lock_timeout} are put back afterwards.
     */
    public void inAutoCommit(Work work) throws SQLException {
        AutoCommit autoCommit = autoCommit();
        String before = setting("lock_timeout", lockTimeout.toMillis() + "ms");
        try {
            work.run();
        } catch (SQLException | RuntimeException e) {
            try {
                restore(before, autoCommit);
            } catch (SQLException restoring) {
                e.addSuppressed(restoring);
            }
            throw e;
        }
        restore(before, autoCommit);
    }

    /**
     * Switches the connection to auto-commit (committing a transaction the caller left open) until the returned handle
     * is closed, which puts the caller's mode back; for engines whose steps each manage their own transactions.
     */
    public AutoCommit autoCommit() throws SQLException {
        boolean before = connection.getAutoCommit();
        if (!before) {
            connection.commit();
            connection.setAutoCommit(true);
        }
        return new AutoCommit() {
            private boolean closed;

            @Override
            public void close() throws SQLException {
                if (!closed && !connection.isClosed()) {
                    connection.setAutoCommit(before);
                }
                closed = true;
            }
        };
    }

    /** Puts {@code lock_timeout} and auto-commit back; nothing to put back on a connection that was lost. */
    private void restore(String lockTimeoutBefore, AutoCommit autoCommit) throws SQLException {
        try {
            if (!connection.isClosed()) {
                setting("lock_timeout", lockTimeoutBefore);
                autoCommit.close();
            }
        } catch (SQLException e) {
            if (!isConnectionLost(e)) {
                throw e;
            }
        }
    }

    private String setting(String name, String value) throws SQLException {
        String before = Jdbc.first(connection, "SELECT pg_catalog.current_setting(?)", rs -> rs.getString(1), name).orElseThrow();
        Jdbc.first(connection, "SELECT pg_catalog.set_config(?, ?, false)", rs -> rs.getString(1), name, value);
        return before;
    }

    /** Runs one statement on the connection as it is: alone in auto-commit mode, or within the transaction under way. */
    public void alone(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Sleeps, turning an interrupt into an unchecked failure with the interrupt flag kept. */
    public static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting", e);
        }
    }
}
