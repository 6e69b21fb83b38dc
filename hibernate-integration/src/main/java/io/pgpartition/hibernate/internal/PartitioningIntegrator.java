package io.pgpartition.hibernate.internal;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.hibernate.PartitioningSettings;
import io.pgpartition.hibernate.ValidationMode;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.config.spi.ConfigurationService;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.integrator.spi.Integrator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * pgpartition's entry into Hibernate, found through {@code META-INF/services}: having pgpartition-hibernate on the
 * class path is all it takes.
 */
public final class PartitioningIntegrator implements Integrator {

    private static final Logger LOG = LoggerFactory.getLogger(PartitioningIntegrator.class);

    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext, SessionFactoryImplementor sessionFactory) {
        Map<String, Object> settings = sessionFactory.getServiceRegistry().requireService(ConfigurationService.class).getSettings();
        if (!enabled(settings)) {
            LOG.debug("pgpartition: disabled ({}=false)", PartitioningSettings.ENABLED);
            return;
        }
        List<PartitionedEntity> entities = EntityScanner.scan(metadata);
        if (entities.isEmpty()) {
            LOG.debug("pgpartition: no @PartitionedBy entity in this persistence unit");
            return;
        }
        if (!(sessionFactory.getJdbcServices().getDialect() instanceof PostgreSQLDialect)) {
            throw new PartitioningException(ErrorCode.SERVER_UNSUPPORTED, "pgpartition works with PostgreSQL only, but this "
                    + "persistence unit maps " + entities.size() + " @PartitionedBy entit" + (entities.size() == 1 ? "y" : "ies")
                    + " (" + entities.stream().map(e -> e.mapping().entity()).collect(java.util.stream.Collectors.joining(", "))
                    + ") with " + sessionFactory.getJdbcServices().getDialect().getClass().getSimpleName()
                    + ". Use a PostgreSQL 14+ database with org.hibernate.dialect.PostgreSQLDialect.");
        }
        Clock clock = Clock.systemUTC();
        PartitionedSchema.contribute(metadata, entities, clock);

        PartitionLayouts layouts = new PartitionLayouts(() -> sessionFactory.getJdbcServices().getBootstrapJdbcConnectionAccess());
        Map<String, KeyAccess> keys = new HashMap<>();
        for (PartitionedEntity entity : entities) {
            EntityScanner.markPartitionKeys(entity);
            EntityScanner.keyAccess(entity).ifPresent(access -> keys.put(access.entityName(), access));
        }
        PartitionKeyGuard guard = new PartitionKeyGuard(keys, layouts);
        if (sessionFactory.getServiceRegistry().getService(ConnectionProvider.class) instanceof GuardedConnectionProvider connections) {
            connections.guard().protectKeys(keys.values().stream().flatMap(access -> access.keys().stream()
                    .map(key -> new ChildPartitionGuard.KeyColumn(access.table(), key.column(), access.entity(), key.attribute())))
                    .toList());
        }
        EventListenerRegistry listeners = sessionFactory.getEventListenerRegistry();
        listeners.prependListeners(EventType.PERSIST, guard);
        listeners.appendListeners(EventType.PRE_INSERT, guard);
        listeners.appendListeners(EventType.PRE_UPDATE, guard);
        listeners.prependListeners(EventType.FLUSH_ENTITY, guard);
        listeners.appendListeners(EventType.POST_INSERT, PersistentMarker.INSTANCE);
        listeners.appendListeners(EventType.POST_LOAD, PersistentMarker.INSTANCE);

        ValidationMode mode = ValidationMode.of(settings.get(PartitioningSettings.VALIDATION));
        if (mode == ValidationMode.NONE) {
            LOG.debug("pgpartition: startup validation skipped ({}=none)", PartitioningSettings.VALIDATION);
            return;
        }
        sessionFactory.addObserver(new StartupValidation(mode,
                entities.stream().map(PartitionedEntity::mapping).toList(), clock, layouts));
    }

    /** Reads {@link PartitioningSettings#ENABLED}: anything but {@code false} (or absent) means enabled. */
    static boolean enabled(Map<String, Object> settings) {
        Object value = settings.get(PartitioningSettings.ENABLED);
        return value == null || !"false".equalsIgnoreCase(value.toString().trim());
    }
}
