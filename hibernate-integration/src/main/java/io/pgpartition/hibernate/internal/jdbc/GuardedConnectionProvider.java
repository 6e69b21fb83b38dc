package io.pgpartition.hibernate.internal.jdbc;

import io.pgpartition.hibernate.UnprunedStatementsMode;
import io.pgpartition.model.TableName;
import io.pgpartition.pruning.internal.Sentinel;
import org.hibernate.dialect.Dialect;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.jdbc.connections.spi.DatabaseConnectionInfo;
import org.hibernate.engine.jdbc.env.spi.ExtractedDatabaseMetaData;
import org.hibernate.service.spi.Configurable;
import org.hibernate.service.spi.ServiceRegistryAwareService;
import org.hibernate.service.spi.ServiceRegistryImplementor;
import org.hibernate.service.spi.Startable;
import org.hibernate.service.spi.Stoppable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application's connection provider, whatever it is, with every connection it hands out guarded (see
 * {@link GuardedConnections}) when the database is PostgreSQL. On any other database (H2 in an application's tests,
 * say) connections are handed out as they come: the first connection's metadata tells which database it is, and that
 * answer holds for the provider's life. Lifecycle calls pass through to it.
 */
public final class GuardedConnectionProvider implements ConnectionProvider, Configurable, ServiceRegistryAwareService, Startable, Stoppable {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedConnectionProvider.class);

    private final ConnectionProvider delegate;
    private final StatementCheck guard;
    /** Whether the database is PostgreSQL; null until the first connection has said. */
    private volatile Boolean postgres;

    GuardedConnectionProvider(ConnectionProvider delegate, io.pgpartition.hibernate.ChildPartitionDml mode) {
        this.delegate = delegate;
        this.guard = new StatementCheck(mode);
    }

    public StatementCheck guard() {
        return guard;
    }

    /** The tables the unpruned-statement sentinel names entities for, filled in when the mapping has been read. */
    private final Map<TableName, Sentinel.MappedTable> mappedTables =
            new ConcurrentHashMap<>();

    /** Looks at statements before they run as {@code mode} says (see {@link Sentinel}). */
    void watchPruning(UnprunedStatementsMode mode) {
        guard.watchPruning(new Sentinel(Sentinel.Mode.valueOf(mode.name()),
                table -> Optional.ofNullable(mappedTables.get(table))
                        .or(() -> Optional.ofNullable(mappedTables.get(TableName.of(table.name()))))));
    }

    /** The partitioned entities' tables, for the sentinel's reports. */
    public void mapTables(Map<TableName, Sentinel.MappedTable> tables) {
        mappedTables.putAll(tables);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return guarded(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return guarded(delegate.getConnection(user, password));
    }

    @Override
    public Connection getReadOnlyConnection() throws SQLException {
        return guarded(delegate.getReadOnlyConnection());
    }

    /** The connection guarded on PostgreSQL, as it is on any other database. */
    private Connection guarded(Connection connection) throws SQLException {
        Boolean known = postgres;
        if (known == null) {
            String product = connection.getMetaData().getDatabaseProductName();
            known = "PostgreSQL".equals(product);
            postgres = known;
            if (!known) {
                LOG.debug("pgpartition: the database is {}, not PostgreSQL; its connections are not guarded", product);
            }
        }
        return known ? GuardedConnections.guard(connection, guard) : connection;
    }

    @Override
    public void closeConnection(Connection connection) throws SQLException {
        delegate.closeConnection(GuardedConnections.unguarded(connection));
    }

    @Override
    public void closeReadOnlyConnection(Connection connection) throws SQLException {
        delegate.closeReadOnlyConnection(GuardedConnections.unguarded(connection));
    }

    @Override
    public boolean supportsAggressiveRelease() {
        return delegate.supportsAggressiveRelease();
    }

    @Override
    public boolean handlesConnectionSchema() {
        return delegate.handlesConnectionSchema();
    }

    @Override
    public boolean handlesConnectionReadOnly() {
        return delegate.handlesConnectionReadOnly();
    }

    @Override
    public DatabaseConnectionInfo getDatabaseConnectionInfo(Dialect dialect) {
        return delegate.getDatabaseConnectionInfo(dialect);
    }

    @Override
    public DatabaseConnectionInfo getDatabaseConnectionInfo(Dialect dialect, ExtractedDatabaseMetaData metaData) {
        return delegate.getDatabaseConnectionInfo(dialect, metaData);
    }

    @Override
    public boolean isUnwrappableAs(Class<?> type) {
        return type.isInstance(this) || delegate.isUnwrappableAs(type);
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    @Override
    public void configure(Map<String, Object> settings) {
        if (delegate instanceof Configurable configurable) {
            configurable.configure(settings);
        }
    }

    @Override
    public void injectServices(ServiceRegistryImplementor registry) {
        if (delegate instanceof ServiceRegistryAwareService aware) {
            aware.injectServices(registry);
        }
    }

    @Override
    public void start() {
        if (delegate instanceof Startable startable) {
            startable.start();
        }
    }

    @Override
    public void stop() {
        if (delegate instanceof Stoppable stoppable) {
            stoppable.stop();
        }
    }
}
