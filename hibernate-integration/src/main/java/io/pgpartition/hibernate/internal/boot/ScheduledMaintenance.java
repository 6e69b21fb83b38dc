package io.pgpartition.hibernate.internal.boot;

import io.pgpartition.hibernate.internal.jdbc.GuardedConnections;
import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.hibernate.MaintenanceMode;
import io.pgpartition.hibernate.PartitioningSettings;
import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.maintenance.MaintenancePlan;
import io.pgpartition.maintenance.MaintenanceResult;
import io.pgpartition.maintenance.PartitionMaintenance;
import org.hibernate.SessionFactory;
import org.hibernate.SessionFactoryObserver;
import org.hibernate.engine.jdbc.connections.spi.JdbcConnectionAccess;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Partition maintenance tied to a session factory: verified or applied once it is built (after schema export and
 * validation), then, when an interval is set, applied on one daemon thread until the factory closes.
 */
final class ScheduledMaintenance implements SessionFactoryObserver {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledMaintenance.class);

    private final MaintenanceMode mode;
    private final PartitionMaintenance maintenance;
    private final Duration interval;
    private final Clock clock;
    private volatile ScheduledExecutorService scheduler;
    private volatile JdbcConnectionAccess connections;

    ScheduledMaintenance(MaintenanceMode mode, PartitionMaintenance maintenance, Duration interval, Clock clock) {
        this.mode = mode;
        this.maintenance = maintenance;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public void sessionFactoryCreated(SessionFactory factory) {
        connections = ((SessionFactoryImplementor) factory).getJdbcServices().getBootstrapJdbcConnectionAccess();
        if (mode == MaintenanceMode.VERIFY) {
            verify();
        } else if (mode == MaintenanceMode.APPLY) {
            MaintenanceResult result = apply();
            if (!result.isComplete()) {
                throw new PartitioningException(ErrorCode.MAINTENANCE_FAILED, "Partition maintenance at startup "
                        + "(" + PartitioningSettings.MAINTENANCE + "=apply) could not finish:\n" + list(result.findings().stream()
                        .filter(f -> f.kind().isProblem()).toList()));
            }
        }
        if (!interval.isZero()) {
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "pgpartition-maintenance");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::scheduledRun, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("pgpartition: maintenance runs every {} for {} table(s)", interval, maintenance.policies().size());
        }
    }

    @Override
    public void sessionFactoryClosing(SessionFactory factory) {
        ScheduledExecutorService running = scheduler;
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void verify() {
        MaintenancePlan plan = withConnection(connection -> maintenance.plan(connection, clock.instant()));
        List<MaintenanceFinding> missing = plan.findings(MaintenanceFinding.Kind.HORIZON_SHORT);
        if (!missing.isEmpty()) {
            throw new PartitioningException(ErrorCode.PARTITIONS_MISSING, "Partitions are missing for the premake horizon ("
                    + PartitioningSettings.MAINTENANCE + "=verify):\n" + list(missing)
                    + "\nSet " + PartitioningSettings.MAINTENANCE + "=apply, or run 'pgpartition maintain' before starting.");
        }
        plan.findings().forEach(finding -> LOG.warn("pgpartition: {}", finding));
    }

    private MaintenanceResult apply() {
        MaintenanceResult result = withConnection(connection -> maintenance.apply(connection, clock.instant()));
        result.findings().stream().filter(f -> f.kind() != MaintenanceFinding.Kind.HORIZON_SHORT)
                .forEach(finding -> LOG.warn("pgpartition: {}", finding));
        return result;
    }

    /** A background run: logs and carries on, whatever happens, so the next run can try again. */
    private void scheduledRun() {
        try {
            apply();
        } catch (RuntimeException e) {
            LOG.error("pgpartition: scheduled maintenance failed; the next run is in {}", interval, e);
        }
    }

    /** Runs on a connection of Hibernate's, unwrapped from the child-partition guard (maintenance moves rows itself). */
    private <T> T withConnection(BootstrapConnections.Work<T> work) {
        try {
            return BootstrapConnections.use(connections, connection -> work.run(GuardedConnections.unguarded(connection)));
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.MAINTENANCE_FAILED, "Partition maintenance has no connection to the "
                    + "database (" + e.getMessage() + "). Check the connection settings, or set "
                    + PartitioningSettings.MAINTENANCE + "=none.", e);
        }
    }

    private static String list(List<MaintenanceFinding> findings) {
        return findings.stream().map(f -> "  " + f).collect(Collectors.joining("\n"));
    }
}
