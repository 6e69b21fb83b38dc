package io.pgpartition.hibernate.internal.jdbc;

import io.pgpartition.hibernate.internal.boot.PartitioningIntegrator;
import io.pgpartition.hibernate.ChildPartitionDml;
import io.pgpartition.hibernate.PartitioningSettings;
import org.hibernate.boot.registry.StandardServiceInitiator;
import org.hibernate.engine.jdbc.connections.internal.ConnectionProviderInitiator;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.service.spi.ServiceRegistryImplementor;

import java.util.Map;

/**
 * Builds the connection provider Hibernate would build, and guards it.
 */
public final class GuardedConnectionProviderInitiator implements StandardServiceInitiator<ConnectionProvider> {

    public static final GuardedConnectionProviderInitiator INSTANCE = new GuardedConnectionProviderInitiator();

    @Override
    public Class<ConnectionProvider> getServiceInitiated() {
        return ConnectionProvider.class;
    }

    @Override
    public ConnectionProvider initiateService(Map<String, Object> settings, ServiceRegistryImplementor registry) {
        ConnectionProvider provider = ConnectionProviderInitiator.INSTANCE.initiateService(settings, registry);
        if (provider == null || !PartitioningIntegrator.enabled(settings)) {
            return provider;
        }
        GuardedConnectionProvider guarded = new GuardedConnectionProvider(provider,
                ChildPartitionDml.of(settings.get(PartitioningSettings.CHILD_PARTITION_DML)));
        guarded.watchPruning(io.pgpartition.hibernate.UnprunedStatementsMode.of(settings.get(PartitioningSettings.UNPRUNED_STATEMENTS)));
        return guarded;
    }
}
