package io.pgpartition.internal.jdbc;

import io.pgpartition.catalog.internal.Jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * A session-level advisory lock {@code (class, hashtext(name))}, taken with {@code pg_try_advisory_lock} and a bounded
 * wait, released when closed. The one key scheme of every engine: the class says which engine (maintenance,
 * conversion), the name is the schema-qualified table as {@link io.pgpartition.ddl.internal.Sql#table} writes it.
 */
public final class AdvisoryLock implements AutoCloseable {

    private final Connection connection;
    private final int lockClass;
    private final String name;

    private AdvisoryLock(Connection connection, int lockClass, String name) {
        this.connection = connection;
        this.lockClass = lockClass;
        this.name = name;
    }

    /**
     * Takes the lock, trying again for up to {@code wait} with pauses that double from 50 ms to 1 s: a run that was
     * just killed is noticed within a few tries, a live one is not queued behind.
     *
     * @return the lock, or empty when another session still holds it
     */
    public static Optional<AdvisoryLock> tryTake(Connection connection, int lockClass, String name, Duration wait) throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = 50;
        while (true) {
            boolean got = Jdbc.first(connection, "SELECT pg_catalog.pg_try_advisory_lock(?, pg_catalog.hashtext(?))",
                    rs -> rs.getBoolean(1), lockClass, name).orElse(false);
            if (got) {
                return Optional.of(new AdvisoryLock(connection, lockClass, name));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            Transactions.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            pause = Math.min(pause * 2, 1000);
        }
    }

    /** The call that shows who holds the lock, for messages: {@code pg_advisory_lock(class, hashtext('name'))}. */
    public static String describe(int lockClass, String name) {
        return "pg_advisory_lock(" + lockClass + ", hashtext('" + name.replace("'", "''") + "'))";
    }

    /** Releases the lock; a connection that was lost released it with its session. */
    @Override
    public void close() throws SQLException {
        if (connection.isClosed()) {
            return;
        }
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            Jdbc.first(connection, "SELECT pg_catalog.pg_advisory_unlock(?, pg_catalog.hashtext(?))", rs -> rs.getBoolean(1),
                    lockClass, name);
        } catch (SQLException e) {
            if (!Transactions.isConnectionLost(e)) {
                throw e;
            }
        }
    }
}
