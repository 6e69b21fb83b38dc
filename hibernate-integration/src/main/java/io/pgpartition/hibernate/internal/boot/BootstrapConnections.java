package io.pgpartition.hibernate.internal.boot;

import org.hibernate.engine.jdbc.connections.spi.JdbcConnectionAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Borrows one of Hibernate's connections for pgpartition's own statements (catalog reads, maintenance) and always
 * gives it back.
 */
final class BootstrapConnections {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapConnections.class);

    /** Work on a borrowed connection. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private BootstrapConnections() {
    }

    /**
     * Runs {@code work} on a connection from {@code access} (the driver's own: pgpartition's statements pass no guard
     * and are not looked at by the unpruned-statement sentinel), released afterwards whatever happens.
     *
     * @throws SQLException when no connection can be had, or from the work
     */
    static <T> T use(JdbcConnectionAccess access, Work<T> work) throws SQLException {
        Connection connection = access.obtainConnection();
        try {
            return work.run(io.pgpartition.hibernate.internal.jdbc.GuardedConnections.unguarded(connection));
        } finally {
            try {
                access.releaseConnection(connection);
            } catch (SQLException e) {
                LOG.debug("Could not release a connection pgpartition borrowed", e);
            }
        }
    }
}
