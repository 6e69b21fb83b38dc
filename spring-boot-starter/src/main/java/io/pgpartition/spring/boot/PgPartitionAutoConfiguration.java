package io.pgpartition.spring.boot;

import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit;
import io.pgpartition.hibernate.PartitioningSettings;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.config.TaskManagementConfigUtils;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * pgpartition in a Spring Boot application: {@code pgpartition.*} properties reach Hibernate through Boot's
 * {@link HibernatePropertiesCustomizer}, and a {@link PartitionMonitor} serves health and gauges.
 */
@AutoConfiguration(before = HibernateJpaAutoConfiguration.class)
@ConditionalOnClass({HibernatePropertiesCustomizer.class, PartitionedPersistenceUnit.class})
@EnableConfigurationProperties(PgPartitionProperties.class)
public class PgPartitionAutoConfiguration {

    @Bean
    HibernatePropertiesCustomizer pgpartitionHibernateProperties(PgPartitionProperties properties, ListableBeanFactory beans) {
        return settings -> hibernateSettings(properties, springSchedules(beans), settings);
    }

    @Bean
    PartitionMonitor pgpartitionMonitor(PgPartitionProperties properties, ListableBeanFactory beans) {
        return new PartitionMonitor(() -> PartitionMonitor.unitsOf(beans.getBeansOfType(EntityManagerFactory.class)),
                properties.getHealth().getCacheFor(), Clock.systemUTC());
    }

    /** Whether the application enabled Spring's scheduling (@EnableScheduling), which then runs maintenance. */
    static boolean springSchedules(ListableBeanFactory beans) {
        return beans.containsBean(TaskManagementConfigUtils.SCHEDULED_ANNOTATION_PROCESSOR_BEAN_NAME);
    }

    /** The Hibernate settings of the properties that are set; background runs left to Spring's scheduler when it runs them. */
    static void hibernateSettings(PgPartitionProperties properties, boolean springSchedules, Map<String, Object> settings) {
        if (properties.getEnabled() != null) {
            settings.put(PartitioningSettings.ENABLED, properties.getEnabled().toString());
        }
        put(settings, PartitioningSettings.NON_POSTGRESQL, properties.getNonPostgresql());
        put(settings, PartitioningSettings.VALIDATION, properties.getValidation());
        put(settings, PartitioningSettings.POLICIES, properties.getPolicies());
        put(settings, PartitioningSettings.CHILD_PARTITION_DML, properties.getChildPartitionDml());
        put(settings, PartitioningSettings.SERVER_GUARD, properties.getServerGuard());
        put(settings, PartitioningSettings.UNPRUNED_STATEMENTS, properties.getUnprunedStatements());
        PgPartitionProperties.Maintenance maintenance = properties.getMaintenance();
        put(settings, PartitioningSettings.MAINTENANCE, maintenance.getMode());
        if (maintenance.getLockTimeout() != null) {
            settings.put(PartitioningSettings.MAINTENANCE_LOCK_TIMEOUT, maintenance.getLockTimeout().toMillis() + "ms");
        }
        Duration interval = maintenance.getInterval();
        if (interval != null) {
            settings.put(PartitioningSettings.MAINTENANCE_INTERVAL, springSchedules ? "0" : interval.toMillis() + "ms");
        }
    }

    private static void put(Map<String, Object> settings, String key, Enum<?> value) {
        if (value != null) {
            settings.put(key, value.name().toLowerCase(Locale.ROOT));
        }
    }
}
