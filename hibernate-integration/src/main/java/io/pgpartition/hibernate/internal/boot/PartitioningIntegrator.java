package io.pgpartition.hibernate.internal.boot;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.hibernate.MaintenanceMode;
import io.pgpartition.hibernate.NonPostgresqlMode;
import io.pgpartition.hibernate.PartitioningSettings;
import io.pgpartition.hibernate.PolicyRecording;
import io.pgpartition.hibernate.ServerGuardMode;
import io.pgpartition.hibernate.UnprunedStatementsMode;
import io.pgpartition.hibernate.ValidationMode;
import io.pgpartition.hibernate.internal.HibernateVersion;
import io.pgpartition.hibernate.internal.event.KeyAccess;
import io.pgpartition.hibernate.internal.event.KeySnapshot;
import io.pgpartition.hibernate.internal.event.KeyedMergeLoad;
import io.pgpartition.hibernate.internal.event.PartitionKeyGuard;
import io.pgpartition.hibernate.internal.event.PersistentMarker;
import io.pgpartition.hibernate.internal.event.StatelessKeyChanges;
import io.pgpartition.hibernate.internal.event.StatelessWrites;
import io.pgpartition.hibernate.internal.jdbc.GuardedConnectionProvider;
import io.pgpartition.hibernate.internal.jdbc.GuardedConnections;
import io.pgpartition.hibernate.internal.jdbc.PartitionLayouts;
import io.pgpartition.hibernate.internal.jdbc.StatementCheck;
import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit;
import io.pgpartition.maintenance.MaintenanceOptions;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.maintenance.PartitionMaintenance;
import io.pgpartition.model.TableName;
import io.pgpartition.pruning.internal.Sentinel;
import io.pgpartition.validation.KeyAttribute;
import org.hibernate.SessionFactory;
import org.hibernate.SessionFactoryObserver;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.config.spi.ConfigurationService;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.jdbc.connections.spi.JdbcConnectionAccess;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.integrator.spi.Integrator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * pgpartition's entry into Hibernate, found through {@code META-INF/services}: having pgpartition-hibernate on the
 * class path is all it takes.
 */
public final class PartitioningIntegrator implements Integrator {

    private static final Logger LOG = LoggerFactory.getLogger(PartitioningIntegrator.class);

    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext, SessionFactoryImplementor sessionFactory) {
        ConfigurationService configuration = sessionFactory.getServiceRegistry().requireService(ConfigurationService.class);
        Map<String, Object> settings = configuration.getSettings();
        if (!enabled(settings)) {
            LOG.debug("pgpartition: disabled ({}=false)", PartitioningSettings.ENABLED);
            return;
        }
        if (!HibernateVersion.SUPPORTED) {
            refuseOlderHibernate(metadata);
            return;
        }
        List<PartitionedEntity> entities = EntityScanner.scan(metadata);
        if (entities.isEmpty()) {
            LOG.debug("pgpartition: no @PartitionedBy entity in this persistence unit");
            return;
        }
        if (!(sessionFactory.getJdbcServices().getDialect() instanceof PostgreSQLDialect)) {
            stepAside(configuration, entities, sessionFactory.getJdbcServices().getDialect().getClass().getSimpleName());
            return;
        }
        List<io.pgpartition.MappingProblem> unworkable = EntityScanner.joinedSubclasses(metadata, entities);
        if (!unworkable.isEmpty()) {
            throw new io.pgpartition.PartitionMappingException(unworkable);
        }
        Clock clock = Clock.systemUTC();
        PartitionedSchema.contribute(metadata, entities, clock);

        PartitionLayouts layouts = new PartitionLayouts();
        Map<String, KeyAccess> keys = new HashMap<>();
        for (PartitionedEntity entity : entities) {
            EntityScanner.markPartitionKeys(entity);
            EntityScanner.keyAccess(entity).ifPresent(access -> {
                keys.put(access.entityName(), access);
                EntityScanner.subclassesSharingTable(entity).forEach(subclass -> keys.put(subclass.getEntityName(),
                        access.forSubclass(subclass.getEntityName(), subclass.getJpaEntityName())));
            });
        }
        boolean snapshotsNeeded = KeySnapshot.Taker.neededFor(metadata, keys.values());
        PartitionKeyGuard guard = new PartitionKeyGuard(keys, layouts, timeZoneShifts(settings), snapshotsNeeded);
        if (sessionFactory.getServiceRegistry().getService(ConnectionProvider.class) instanceof GuardedConnectionProvider connections) {
            connections.guard().readLayoutsFrom(layouts);
            connections.guard().protectKeys(keys.values().stream().flatMap(access -> access.allKeys().stream()
                    .map(key -> new StatementCheck.KeyColumn(access.table(), key.column(), access.entity(), key.attribute(), access.strategy())))
                    .toList());
            Map<TableName, Sentinel.MappedTable> tables = new HashMap<>();
            for (PartitionedEntity entity : entities) {
                List<String> routing = new java.util.ArrayList<>(entity.mapping().keyAttributes().stream().map(KeyAttribute::attribute).toList());
                entity.mapping().distribution().map(KeyAttribute::attribute).filter(a -> !routing.contains(a)).ifPresent(routing::add);
                tables.putIfAbsent(entity.mapping().table(), new Sentinel.MappedTable(entity.mapping().entity(), routing));
            }
            connections.mapTables(tables);
        }
        EventListenerRegistry listeners = sessionFactory.getEventListenerRegistry();
        listeners.prependListeners(EventType.PERSIST, guard);
        listeners.prependListeners(EventType.MERGE, new KeyedMergeLoad(keys));
        listeners.appendListeners(EventType.PRE_INSERT, guard);
        listeners.appendListeners(EventType.PRE_UPDATE, guard);
        listeners.prependListeners(EventType.FLUSH_ENTITY, guard);
        if (PersistentMarker.neededFor(metadata)) {
            listeners.appendListeners(EventType.POST_INSERT, PersistentMarker.INSTANCE);
            listeners.appendListeners(EventType.POST_LOAD, PersistentMarker.INSTANCE);
        } else {
            LOG.debug("pgpartition: no entity class enhanced by the build-time guard; no post-insert/post-load marker");
        }
        StatelessWrites stateless = new StatelessWrites(keys);
        listeners.prependListeners(EventType.PRE_DELETE, stateless);
        listeners.prependListeners(EventType.PRE_UPSERT, stateless);
        if (StatelessWrites.STATELESS_UPDATE_BROKEN) {
            listeners.prependListeners(EventType.PRE_UPDATE, stateless);
        } else {
            StatelessKeyChanges keyChanges = new StatelessKeyChanges(keys);
            listeners.appendListeners(EventType.PRE_UPDATE, keyChanges);
            listeners.prependListeners(EventType.POST_UPDATE, keyChanges);
            for (String entityName : keys.keySet()) {
                org.hibernate.mapping.PersistentClass binding = metadata.getEntityBinding(entityName);
                if (binding != null && binding.getCustomSQLUpdate() == null) {
                    binding.setUpdateExpectation(StatelessKeyChanges.expectation(entityName, binding.getUpdateExpectation()));
                }
            }
        }
        if (snapshotsNeeded) {
            KeySnapshot.Taker snapshots = new KeySnapshot.Taker(keys);
            listeners.appendListeners(EventType.POST_INSERT, snapshots);
            listeners.appendListeners(EventType.POST_LOAD, snapshots);
        } else {
            LOG.debug("pgpartition: every partition key has an immutable type outside the identifier; no key snapshots");
        }

        boolean offline = "false".equalsIgnoreCase(String.valueOf(settings.get(org.hibernate.cfg.JdbcSettings.ALLOW_METADATA_ON_BOOT)).trim());
        if (offline) {
            LOG.info("pgpartition: {}=false, so no database is asked at bootstrap: startup validation, maintenance and the server "
                    + "guard check are skipped (the run-time guards stay on). Check the database with: pgpartition check --url ...",
                    org.hibernate.cfg.JdbcSettings.ALLOW_METADATA_ON_BOOT);
        }
        ValidationMode mode = configuration.getSetting(PartitioningSettings.VALIDATION, ValidationMode::of, ValidationMode.of(null));
        UnprunedStatementsMode pruning = configuration.getSetting(PartitioningSettings.UNPRUNED_STATEMENTS, UnprunedStatementsMode::of,
                UnprunedStatementsMode.of(null));
        if (offline) {
            LOG.debug("pgpartition: startup validation skipped (no database at bootstrap)");
        } else if (mode == ValidationMode.NONE && pruning == UnprunedStatementsMode.OFF) {
            LOG.debug("pgpartition: startup validation skipped ({}=none)", PartitioningSettings.VALIDATION);
        } else {
            sessionFactory.addObserver(new StartupValidation(mode,
                    entities.stream().map(PartitionedEntity::mapping).toList(), clock, layouts,
                    EntityScanner.collectionsUpdatingById(metadata, entities), pruning,
                    pruning == UnprunedStatementsMode.OFF ? List.of() : UnprunedMappings.of(metadata, entities)));
        }
        PartitionedPersistenceUnit unit = unit(sessionFactory, settings, entities, clock);
        PartitionedPersistenceUnit.register(sessionFactory, unit);
        sessionFactory.addObserver(new SessionFactoryObserver() {
            @Override
            public void sessionFactoryClosed(SessionFactory factory) {
                PartitionedPersistenceUnit.unregister(factory);
            }
        });
        if (!offline) {
            maintenance(configuration, unit).ifPresent(sessionFactory::addObserver);
            List<io.pgpartition.maintenance.MaintenancePolicy> policies = unit.maintenance()
                    .map(io.pgpartition.maintenance.PartitionMaintenance::policies).orElse(List.of());
            if (!policies.isEmpty() && configuration.getSetting(PartitioningSettings.POLICIES, PolicyRecording::of,
                    PolicyRecording.of(null)) == PolicyRecording.RECORD) {
                sessionFactory.addObserver(new PolicyRecordingAtStartup(policies, recordedBy(sessionFactory, settings)));
            }
        }
        ServerGuardMode guardMode = configuration.getSetting(PartitioningSettings.SERVER_GUARD, ServerGuardMode::of, ServerGuardMode.of(null));
        if (guardMode != ServerGuardMode.NONE && !offline) {
            sessionFactory.addObserver(new ServerGuardAtStartup(guardMode, entities.stream().map(PartitionedEntity::mapping).toList()));
        }
    }

    /** Who records the policies: the session factory's name, else the persistence unit's, else "hibernate". */
    private static String recordedBy(SessionFactoryImplementor sessionFactory, Map<String, Object> settings) {
        if (sessionFactory.getName() != null && !sessionFactory.getName().isBlank()) {
            return sessionFactory.getName();
        }
        Object unitName = settings.get(org.hibernate.cfg.PersistenceSettings.PERSISTENCE_UNIT_NAME);
        return unitName != null && !unitName.toString().isBlank() ? unitName.toString() : "hibernate";
    }

    /** Nothing to do here; the observers registered on the factory end with it. */
    @Override
    public void disintegrate(SessionFactoryImplementor sessionFactory, org.hibernate.service.spi.SessionFactoryServiceRegistry serviceRegistry) {
    }

    /**
     * On a Hibernate ORM older than 7.2, whose SPIs pgpartition is not built for: a persistence unit without
     * {@code @PartitionedBy} entities is left exactly as it is; one with them is refused, since none of its guarantees
     * would hold. Uses only what every Hibernate 6 and 7 has.
     */
    private static void refuseOlderHibernate(Metadata metadata) {
        List<String> partitioned = metadata.getEntityBindings().stream()
                .filter(binding -> binding.getMappedClass() != null
                        && binding.getMappedClass().isAnnotationPresent(io.pgpartition.annotations.PartitionedBy.class))
                .map(binding -> binding.getJpaEntityName() != null ? binding.getJpaEntityName() : binding.getEntityName())
                .sorted().toList();
        if (partitioned.isEmpty()) {
            LOG.debug("pgpartition: Hibernate ORM {} is older than {}; no @PartitionedBy entity, so nothing to do",
                    HibernateVersion.RUNNING, HibernateVersion.OLDEST_SUPPORTED);
            return;
        }
        throw new PartitioningException(ErrorCode.HIBERNATE_UNSUPPORTED, "pgpartition needs Hibernate ORM "
                + HibernateVersion.OLDEST_SUPPORTED + " or newer, but this application runs Hibernate ORM " + HibernateVersion.RUNNING
                + " and maps @PartitionedBy entit" + (partitioned.size() == 1 ? "y " : "ies ") + String.join(", ", partitioned)
                + ", whose partition keys it would not guard. Fix: move to Hibernate ORM " + HibernateVersion.OLDEST_SUPPORTED
                + " or newer (Spring Boot 4.0 manages 7.2), or set " + PartitioningSettings.ENABLED
                + "=false to run without pgpartition.");
    }

    /**
     * A persistence unit with partitioned entities on another database: refused under
     * {@code pgpartition.non_postgresql=fail}, else left as without pgpartition with one WARN saying so.
     */
    private static void stepAside(ConfigurationService configuration, List<PartitionedEntity> entities, String dialect) {
        NonPostgresqlMode mode = configuration.getSetting(PartitioningSettings.NON_POSTGRESQL, NonPostgresqlMode::of,
                NonPostgresqlMode.of(null));
        String mapped = "this persistence unit maps " + entities.size() + " @PartitionedBy entit" + (entities.size() == 1 ? "y" : "ies")
                + " (" + entities.stream().map(e -> e.mapping().entity()).collect(java.util.stream.Collectors.joining(", "))
                + ") with " + dialect;
        if (mode == NonPostgresqlMode.FAIL) {
            throw new PartitioningException(ErrorCode.SERVER_UNSUPPORTED, "pgpartition works with PostgreSQL only, but " + mapped
                    + " (" + PartitioningSettings.NON_POSTGRESQL + "=fail). Use a PostgreSQL 14+ database with "
                    + "org.hibernate.dialect.PostgreSQLDialect, or set " + PartitioningSettings.NON_POSTGRESQL + "=warn to run "
                    + "them unguarded on this database.");
        }
        LOG.warn("pgpartition: {}, not PostgreSQL: their partition keys are neither validated nor guarded here, and schema "
                + "generation creates their tables unpartitioned. This suits tests on another database; set {}=fail to refuse it.",
                mapped, PartitioningSettings.NON_POSTGRESQL);
    }

    /** The unit's tables, with maintenance of those that declare a policy under the settings' lock timeout. */
    private static PartitionedPersistenceUnit unit(SessionFactoryImplementor sessionFactory, Map<String, Object> settings,
                                                   List<PartitionedEntity> entities, Clock clock) {
        MaintenanceOptions options = MaintenanceOptions.DEFAULTS;
        Object timeout = settings.get(PartitioningSettings.MAINTENANCE_LOCK_TIMEOUT);
        if (timeout != null && !timeout.toString().isBlank()) {
            options = options.withLockTimeout(MaintenanceOptions.parseDuration(timeout.toString(),
                    "setting " + PartitioningSettings.MAINTENANCE_LOCK_TIMEOUT));
        }
        List<PartitionedPersistenceUnit.PartitionedEntityTable> tables = entities.stream().map(PartitionedEntity::mapping)
                .map(mapping -> new PartitionedPersistenceUnit.PartitionedEntityTable(mapping.entity(), mapping.table(),
                        mapping.definition().flatMap(definition -> MaintenancePolicy.of(mapping.table(), definition))))
                .toList();
        List<MaintenancePolicy> policies = tables.stream().flatMap(table -> table.policy().stream())
                .collect(java.util.stream.Collectors.toMap(MaintenancePolicy::table, policy -> policy, (first, second) -> first,
                        java.util.LinkedHashMap::new)).values().stream().toList();
        JdbcConnectionAccess access = sessionFactory.getJdbcServices().getBootstrapJdbcConnectionAccess();
        PartitionedPersistenceUnit.Connections connections = new PartitionedPersistenceUnit.Connections() {
            @Override
            public <T> T use(PartitionedPersistenceUnit.Work<T> work) throws java.sql.SQLException {
                return BootstrapConnections.use(access, connection -> work.run(GuardedConnections.unguarded(connection)));
            }
        };
        return new PartitionedPersistenceUnit(tables, policies.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(new PartitionMaintenance(policies, options)), connections, clock);
    }

    /** The startup and background maintenance the settings ask for, over the entities that declare a policy. */
    private static java.util.Optional<ScheduledMaintenance> maintenance(ConfigurationService configuration, PartitionedPersistenceUnit unit) {
        MaintenanceMode mode = configuration.getSetting(PartitioningSettings.MAINTENANCE, MaintenanceMode::of, MaintenanceMode.of(null));
        Object intervalSetting = configuration.getSettings().get(PartitioningSettings.MAINTENANCE_INTERVAL);
        Duration interval = intervalSetting == null || intervalSetting.toString().isBlank() || "0".equals(intervalSetting.toString().trim())
                ? Duration.ZERO : MaintenanceOptions.parseDuration(intervalSetting.toString(), "setting " + PartitioningSettings.MAINTENANCE_INTERVAL);
        if (mode == MaintenanceMode.NONE && interval.isZero()) {
            return java.util.Optional.empty();
        }
        if (unit.maintenance().isEmpty()) {
            LOG.debug("pgpartition: {}={} but no entity declares a partition policy", PartitioningSettings.MAINTENANCE, mode);
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new ScheduledMaintenance(mode, unit, interval));
    }

    /**
     * Whether {@code hibernate.jdbc.time_zone} names a zone other than the JVM's: Hibernate then converts dates and
     * times without an offset on their way to the server, so that only the server can route them.
     */
    static boolean timeZoneShifts(Map<String, Object> settings) {
        Object zone = settings.get(org.hibernate.cfg.AvailableSettings.JDBC_TIME_ZONE);
        if (zone == null || zone.toString().isBlank()) {
            return false;
        }
        java.time.ZoneId jdbc = zone instanceof java.util.TimeZone timeZone ? timeZone.toZoneId()
                : zone instanceof java.time.ZoneId id ? id : java.time.ZoneId.of(zone.toString().trim());
        return !jdbc.normalized().equals(java.time.ZoneId.systemDefault().normalized());
    }

    /** Reads {@link PartitioningSettings#ENABLED}: anything but {@code false} (or absent) means enabled. */
    public static boolean enabled(Map<String, Object> settings) {
        Object value = settings.get(PartitioningSettings.ENABLED);
        return value == null || !"false".equalsIgnoreCase(value.toString().trim());
    }
}
