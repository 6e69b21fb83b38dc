package io.pgpartition.hibernate.internal.boot;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.hibernate.MaintenanceMode;
import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit;
import io.pgpartition.hibernate.PartitioningSettings;
import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.maintenance.MaintenancePlan;
import io.pgpartition.maintenance.MaintenanceResult;
import org.hibernate.SessionFactory;
import org.hibernate.SessionFactoryObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private final PartitionedPersistenceUnit unit;
    private final Duration interval;
    private volatile ScheduledExecutorService scheduler;

    ScheduledMaintenance(MaintenanceMode mode, PartitionedPersistenceUnit unit, Duration interval) {
        this.mode = mode;
        this.unit = unit;
        this.interval = interval;
    }

    @Override
    public void sessionFactoryCreated(SessionFactory factory) {
        if (mode == MaintenanceMode.VERIFY) {
            verify();
        } else if (mode == MaintenanceMode.APPLY) {
            MaintenanceResult result = apply();
            if (!result.isComplete()) {
                throw new PartitioningException(ErrorCode.MAINTENANCE_FAILED, "Partition maintenance at startup "
                        + "(" + PartitioningSettings.MAINTENANCE + "=apply) could not finish:\n"
                        + list(PartitionedPersistenceUnit.problems(result)));
            }
        }
        if (!interval.isZero()) {
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "pgpartition-maintenance");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::scheduledRun, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("pgpartition: maintenance runs every {} for {} table(s)", interval,
                    unit.maintenance().orElseThrow().policies().size());
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
        MaintenancePlan plan = unit.plan().orElseThrow();
        List<MaintenanceFinding> missing = plan.findings(MaintenanceFinding.Kind.HORIZON_SHORT);
        if (!missing.isEmpty()) {
            throw new PartitioningException(ErrorCode.PARTITIONS_MISSING, "Partitions are missing for the premake horizon ("
                    + PartitioningSettings.MAINTENANCE + "=verify):\n" + list(missing)
                    + "\nSet " + PartitioningSettings.MAINTENANCE + "=apply, or run 'pgpartition maintain' before starting.");
        }
        plan.findings().forEach(finding -> LOG.warn("pgpartition: {}", finding));
    }

    private MaintenanceResult apply() {
        MaintenanceResult result = unit.maintain().orElseThrow();
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

    private static String list(List<MaintenanceFinding> findings) {
        return findings.stream().map(f -> "  " + f).collect(Collectors.joining("\n"));
    }
}
