package io.pgpartition.hibernate.internal.boot;

import io.pgpartition.hibernate.internal.HibernateVersion;
import io.pgpartition.hibernate.internal.jdbc.GuardedConnectionProviderInitiator;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.service.spi.ServiceContributor;

/**
 * Contributes the guarded connection provider, found through {@code META-INF/services}.
 */
public final class PartitioningServiceContributor implements ServiceContributor {

    @Override
    public void contribute(StandardServiceRegistryBuilder serviceRegistryBuilder) {
        if (!HibernateVersion.SUPPORTED) {
            return; // the integrator explains, if the persistence unit has partitioned entities
        }
        serviceRegistryBuilder.addInitiator(GuardedConnectionProviderInitiator.INSTANCE);
    }
}
