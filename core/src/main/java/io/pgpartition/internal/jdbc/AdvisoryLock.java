package io.pgpartition.internal.jdbc;

import io.pgpartition.catalog.Jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * A session-level advisory lock {@code (class, hashtext(name))}, taken with {@code pg_try_advisory_lock} and a bounded
 * wait, released when closed.
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
     * Takes the lock, trying every 100 ms for up to {@code wait}: long enough for the backend of a run that was just
     * killed to notice and end, too short to queue behind a live one.
     *
     * @return the lock, or empty when another session still holds it
     */
    public static Optional<AdvisoryLock> tryTake(Connection connection, int lockClass, String name, Duration wait) throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            boolean got = Jdbc.first(connection, "SELECT pg_catalog.pg_try_advisory_lock(?, pg_catalog.hashtext(?))",
                    rs -> rs.getBoolean(1), lockClass, name).orElse(false);
            if (got) {
                return Optional.of(new AdvisoryLock(connection, lockClass, name));
            }
            if (System.nanoTime() >= deadline) {
                return Optional.empty();
            }
            Transactions.sleep(100);
        }
    }

    /** The call that shows who holds the lock, for messages: {@code pg_advisory_lock(class, hashtext('name'))}. */
    public static String describe(int lockClass, String name) {
        return "pg_advisory_lock(" + lockClass + ", hashtext('" + name.replace("'", "''") + "'))";
    }

    @Override
    public void close() throws SQLException {
        if (!connection.isClosed()) {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            Jdbc.first(connection, "SELECT pg_catalog.pg_advisory_unlock(?, pg_catalog.hashtext(?))", rs -> rs.getBoolean(1),
                    lockClass, name);
        }
    }
}
