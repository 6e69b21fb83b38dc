package io.pgpartition.internal.jdbc;

import io.pgpartition.ddl.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * Runs statements in transactions on one connection: auto-commit saved and restored, a commit on success, a rollback
 * on failure, {@code lock_timeout} for every transaction, retries after lock timeouts and deadlocks.
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

    /**
     * How one transaction went.
     *
     * @param attempts how many attempts it took (the last one committed)
     * @param stall    from the first statement of the committed attempt to its commit: how long writers that queued
     *                 behind its first lock waited at most
     * @param waited   the time spent in attempts that timed out on a lock (each of them stalled writers too)
     */
    public record Outcome(int attempts, Duration stall, Duration waited) {
    }

    private final Connection connection;
    private final Duration lockTimeout;
    private final int attempts;
    private final IntToLongFunction pauseAfter;

    /**
     * @param pauseAfter the pause in milliseconds after the failed attempt numbered by its argument
     */
    public Transactions(Connection connection, Duration lockTimeout, int attempts, IntToLongFunction pauseAfter) {
        this.connection = connection;
        this.lockTimeout = lockTimeout;
        this.attempts = attempts;
        this.pauseAfter = pauseAfter;
    }

    /** Runs the statements in one transaction, once. */
    public Outcome once(List<String> statements) throws SQLException {
        long started = System.nanoTime();
        execute(statements);
        return new Outcome(1, Duration.ofNanos(System.nanoTime() - started), Duration.ZERO);
    }

    /** Runs the statements in one transaction, tried again after lock timeouts and deadlocks up to the attempts allowed. */
    public Outcome retried(Statements statements) throws SQLException {
        long waited = 0;
        for (int attempt = 1; ; attempt++) {
            List<String> sql = statements.get();
            long started = System.nanoTime();
            try {
                execute(sql);
                return new Outcome(attempt, Duration.ofNanos(System.nanoTime() - started), Duration.ofNanos(waited));
            } catch (SQLException e) {
                waited += System.nanoTime() - started;
                if (!isLockFailure(e) || attempt >= attempts) {
                    throw e;
                }
                sleep(pauseAfter.applyAsLong(attempt));
            }
        }
    }

    /** Whether the failure is a lock timeout or a lost deadlock, which a later attempt may not meet. */
    public static boolean isLockFailure(SQLException e) {
        return "55P03".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    private void execute(List<String> statements) throws SQLException {
        inTransactions(connection.getTransactionIsolation(), () -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL lock_timeout = " + Sql.literal(lockTimeout.toMillis() + "ms"));
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
            connection.commit();
        });
    }

    /**
     * Runs {@code work}, which commits its own transactions, with auto-commit off in the given isolation (set only
     * where it differs, so that a connection handed over inside a transaction can be used); rolls back what is open
     * when it fails and puts auto-commit and isolation back.
     */
    public void inTransactions(int isolation, Work work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        int previous = connection.getTransactionIsolation();
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
            if (previous != isolation) {
                connection.setTransactionIsolation(previous);
            }
            connection.setAutoCommit(autoCommit);
        }
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
