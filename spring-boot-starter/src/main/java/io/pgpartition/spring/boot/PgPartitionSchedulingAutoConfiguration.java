package io.pgpartition.spring.boot;

import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit;
import io.pgpartition.maintenance.MaintenanceResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.TaskManagementConfigUtils;

import java.time.Duration;
import java.util.Map;

/**
 * Maintenance every {@code pgpartition.maintenance.interval} as a task of Spring's scheduler, when the application
 * enabled scheduling: it is listed by the {@code scheduledtasks} endpoint, runs on the application's scheduler and stops
 * with the context. Several instances may run it at once: each table is maintained under its advisory lock, so one
 * instance does the work and the others find nothing left to do.
 */
@AutoConfiguration(after = {HibernateJpaAutoConfiguration.class, PgPartitionAutoConfiguration.class})
@ConditionalOnBean(name = TaskManagementConfigUtils.SCHEDULED_ANNOTATION_PROCESSOR_BEAN_NAME, value = PartitionMonitor.class)
@ConditionalOnProperty(prefix = "pgpartition.maintenance", name = "interval")
public class PgPartitionSchedulingAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PgPartitionSchedulingAutoConfiguration.class);

    @Bean
    SchedulingConfigurer pgpartitionMaintenanceSchedule(PartitionMonitor monitor, PgPartitionProperties properties) {
        Duration interval = properties.getMaintenance().getInterval();
        return registrar -> {
            if (interval != null && !interval.isZero() && !interval.isNegative()) {
                registrar.addFixedDelayTask(new FixedDelayTask(new ScheduledMaintenance(monitor, interval), interval, interval));
            }
        };
    }

    /** One scheduled run over every partitioned persistence unit; logs and carries on, so the next run can try again. */
    static final class ScheduledMaintenance implements Runnable {
        private final PartitionMonitor monitor;
        private final Duration interval;

        ScheduledMaintenance(PartitionMonitor monitor, Duration interval) {
            this.monitor = monitor;
            this.interval = interval;
        }

        @Override
        public void run() {
            for (Map.Entry<String, PartitionedPersistenceUnit> unit : monitor.units().entrySet()) {
                try {
                    unit.getValue().maintain().ifPresent(result -> log(unit.getKey(), result));
                } catch (RuntimeException e) {
                    LOG.error("pgpartition: scheduled maintenance of {} failed; the next run is in {}", unit.getKey(), interval, e);
                }
            }
        }

        private void log(String unit, MaintenanceResult result) {
            if (!result.applied().isEmpty()) {
                LOG.info("pgpartition: maintenance of {}: {} action(s) applied ({} created, {} detached, {} dropped, {} archived)",
                        unit, result.applied().size(), result.created().size(), result.detached().size(),
                        result.dropped().size(), result.archived().size());
            }
            PartitionedPersistenceUnit.problems(result).forEach(problem -> LOG.warn("pgpartition: {}", problem));
        }

        @Override
        public String toString() {
            return "pgpartition maintenance";
        }
    }
}
