package io.pgpartition.spring.boot;

import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit;
import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit.PartitionedEntityTable;
import io.pgpartition.model.RangeValue;
import io.pgpartition.report.PartitionHealth;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.annotation.Bean;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code pgpartition} health contributor: one entry per partitioned entity table, UP when the table is fine,
 * {@code pgpartition.health.warn-status} (OUT_OF_SERVICE unless set) when it needs attention, DOWN when current rows
 * cannot be written or the catalog cannot be read; details say why. Registered once the persistence units are open,
 * and only for units with partitioned entities: an application without them sees no new contributor.
 */
@AutoConfiguration(after = PgPartitionAutoConfiguration.class)
@ConditionalOnClass({HealthContributor.class, HealthContributorRegistry.class})
@ConditionalOnBean(PartitionMonitor.class)
@ConditionalOnEnabledHealthIndicator("pgpartition")
public class PgPartitionHealthAutoConfiguration {

    /** The name of the contributor in the health endpoint. */
    public static final String CONTRIBUTOR = "pgpartition";

    @Bean
    SmartInitializingSingleton pgpartitionHealthRegistration(PartitionMonitor monitor, PgPartitionProperties properties,
                                                             ObjectProvider<HealthContributorRegistry> registry) {
        return () -> registry.ifAvailable(contributors -> contributor(monitor, new Status(properties.getHealth().getWarnStatus()))
                .ifPresent(contributor -> contributors.registerContributor(CONTRIBUTOR, contributor)));
    }

    /** One indicator per table, grouped by persistence unit when the application has more than one. */
    static Optional<HealthContributor> contributor(PartitionMonitor monitor, Status warn) {
        Map<String, PartitionedPersistenceUnit> units = monitor.units();
        if (units.isEmpty()) {
            return Optional.empty();
        }
        Map<String, HealthContributor> byUnit = new LinkedHashMap<>();
        units.forEach((name, unit) -> {
            Map<String, HealthContributor> tables = new LinkedHashMap<>();
            for (PartitionedEntityTable table : unit.tables()) {
                tables.putIfAbsent(table.table().toString(), new TableHealthIndicator(monitor, name, unit, table, warn));
            }
            byUnit.put(name, CompositeHealthContributor.fromMap(tables));
        });
        return Optional.of(byUnit.size() == 1 ? byUnit.values().iterator().next() : CompositeHealthContributor.fromMap(byUnit));
    }

    /** The health of one table, from the monitor's current reading. */
    static final class TableHealthIndicator implements HealthIndicator {
        private final PartitionMonitor monitor;
        private final String unitName;
        private final PartitionedPersistenceUnit unit;
        private final PartitionedEntityTable table;
        private final Status warn;

        TableHealthIndicator(PartitionMonitor monitor, String unitName, PartitionedPersistenceUnit unit,
                             PartitionedEntityTable table, Status warn) {
            this.monitor = monitor;
            this.unitName = unitName;
            this.unit = unit;
            this.table = table;
            this.warn = warn;
        }

        @Override
        public Health health() {
            PartitionMonitor.Reading reading = monitor.reading(unitName);
            Health.Builder builder;
            if (reading.failure().isPresent()) {
                builder = Health.down(reading.failure().get());
            } else {
                Optional<PartitionHealth> found = reading.of(table);
                if (found.isEmpty()) {
                    return Health.unknown().withDetail("table", table.table().toString()).build();
                }
                PartitionHealth health = found.get();
                builder = Health.status(switch (health.status()) {
                    case OK -> Status.UP;
                    case WARN -> warn;
                    case CRITICAL -> Status.DOWN;
                });
                builder.withDetail("table", health.table().toString()).withDetail("partitions", health.partitions());
                health.partitionsAhead().ifPresent(ahead -> builder.withDetail("partitionsAhead", ahead));
                health.coveredUntil().map(RangeValue::toString).ifPresent(until -> builder.withDetail("coveredUntil", until));
                health.defaultRows().ifPresent(rows -> builder.withDetail("defaultPartitionRows", rows));
                if (!health.problems().isEmpty()) {
                    builder.withDetail("problems", List.copyOf(health.problems()));
                }
            }
            builder.withDetail("entity", table.entity());
            if (table.policy().isPresent()) {
                unit.lastSuccessfulMaintenance().ifPresent(at -> builder.withDetail("lastSuccessfulMaintenance", at.toString()));
                builder.withDetail("maintenanceFailures", unit.maintenanceFailures());
            }
            return builder.withDetail("checkedAt", reading.at().toString()).build();
        }
    }
}
