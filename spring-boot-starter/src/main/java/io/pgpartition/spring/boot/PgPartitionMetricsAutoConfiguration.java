package io.pgpartition.spring.boot;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit;
import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit.PartitionedEntityTable;
import io.pgpartition.report.PartitionHealth;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer gauges per partitioned entity table (tag {@code table}, and {@code unit}, the entity manager factory's
 * bean name): {@code pgpartition.table.status} (0 OK, 1 WARN, 2 CRITICAL), {@code pgpartition.partitions},
 * {@code pgpartition.partitions.ahead}, {@code pgpartition.default.rows}; per unit with policies
 * {@code pgpartition.maintenance.since.success} (seconds since the last complete run) and the counter
 * {@code pgpartition.maintenance.failures}. A value that does not apply (no default partition, a key that is not a
 * time, no complete run yet, a failed reading) is NaN, which registries drop.
 */
@AutoConfiguration(after = PgPartitionAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(PartitionMonitor.class)
public class PgPartitionMetricsAutoConfiguration {

    @Bean
    SmartInitializingSingleton pgpartitionMeters(PartitionMonitor monitor, ObjectProvider<MeterRegistry> registries) {
        return () -> registries.ifUnique(registry -> bind(monitor, registry, Clock.systemUTC()));
    }

    static void bind(PartitionMonitor monitor, MeterRegistry registry, Clock clock) {
        monitor.units().forEach((unitName, unit) -> {
            Set<String> seen = new HashSet<>();
            for (PartitionedEntityTable table : unit.tables()) {
                if (!seen.add(table.table().toString())) {
                    continue;
                }
                Tags tags = Tags.of("unit", unitName, "table", table.table().toString());
                gauge(registry, "pgpartition.table.status", "0 OK, 1 WARN, 2 CRITICAL", tags, monitor, unitName, table,
                        health -> health.status().ordinal());
                gauge(registry, "pgpartition.partitions", "Partitions of the table, the default partition not counted", tags,
                        monitor, unitName, table, PartitionHealth::partitions);
                gauge(registry, "pgpartition.partitions.ahead", "Partitions after the one holding the current time", tags,
                        monitor, unitName, table, health -> health.partitionsAhead().isPresent()
                                ? health.partitionsAhead().getAsInt() : Double.NaN);
                gauge(registry, "pgpartition.default.rows", "Rows in the default partition", tags, monitor, unitName, table,
                        health -> health.defaultRows().isPresent() ? health.defaultRows().getAsLong() : Double.NaN);
            }
            if (unit.maintenance().isPresent()) {
                Tags tags = Tags.of("unit", unitName);
                TimeGauge.builder("pgpartition.maintenance.since.success", unit, TimeUnit.SECONDS,
                                u -> u.lastSuccessfulMaintenance().map(at -> Duration.between(at, clock.instant()).toMillis() / 1000.0)
                                        .orElse(Double.NaN))
                        .description("Time since the last complete maintenance run").tags(tags).strongReference(true).register(registry);
                FunctionCounter.builder("pgpartition.maintenance.failures", unit, PartitionedPersistenceUnit::maintenanceFailures)
                        .description("Maintenance runs that did not complete").tags(tags).register(registry);
            }
        });
    }

    private static void gauge(MeterRegistry registry, String name, String description, Tags tags, PartitionMonitor monitor,
                              String unitName, PartitionedEntityTable table, ToDoubleFunction<PartitionHealth> value) {
        Gauge.builder(name, monitor, m -> {
                    Optional<PartitionHealth> health = m.reading(unitName).of(table);
                    return health.isPresent() ? value.applyAsDouble(health.get()) : Double.NaN;
                })
                .description(description).tags(tags).strongReference(true).register(registry);
    }
}
