package io.pgpartition.spring.boot;

import io.pgpartition.hibernate.ChildPartitionDml;
import io.pgpartition.hibernate.MaintenanceMode;
import io.pgpartition.hibernate.NonPostgresqlMode;
import io.pgpartition.hibernate.PolicyRecording;
import io.pgpartition.hibernate.ServerGuardMode;
import io.pgpartition.hibernate.UnprunedStatementsMode;
import io.pgpartition.hibernate.ValidationMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which Hibernate settings the starter's properties become, and which it leaves alone. */
class HibernateSettingsTest {

    @Test
    void everyPropertySetBecomesItsHibernateSetting() {
        PgPartitionProperties properties = new PgPartitionProperties();
        properties.setEnabled(false);
        properties.setValidation(ValidationMode.WARN);
        properties.setNonPostgresql(NonPostgresqlMode.FAIL);
        properties.setPolicies(PolicyRecording.NONE);
        properties.setChildPartitionDml(ChildPartitionDml.ALLOW);
        properties.setServerGuard(ServerGuardMode.INSTALL);
        properties.setUnprunedStatements(UnprunedStatementsMode.FAIL);
        properties.getMaintenance().setMode(MaintenanceMode.VERIFY);
        properties.getMaintenance().setInterval(Duration.ofMinutes(90));
        properties.getMaintenance().setLockTimeout(Duration.ofSeconds(3));
        Map<String, Object> settings = new HashMap<>();

        PgPartitionAutoConfiguration.hibernateSettings(properties, false, settings);

        assertThat(settings).isEqualTo(Map.of("pgpartition.enabled", "false", "pgpartition.validation", "warn",
                "pgpartition.non_postgresql", "fail", "pgpartition.policies", "none", "pgpartition.child_partition_dml", "allow", "pgpartition.server_guard", "install",
                "pgpartition.unpruned_statements", "fail",
                "pgpartition.maintenance", "verify", "pgpartition.maintenance.interval", "5400000ms",
                "pgpartition.maintenance.lock_timeout", "3000ms"));
    }

    @Test
    void unsetPropertiesLeaveWhatSpringJpaPropertiesSaid() {
        Map<String, Object> settings = new HashMap<>(Map.of("pgpartition.validation", "none"));

        PgPartitionAutoConfiguration.hibernateSettings(new PgPartitionProperties(), false, settings);

        assertThat(settings).isEqualTo(Map.of("pgpartition.validation", "none"));
    }

    @Test
    void withSpringsSchedulerHibernatesOwnThreadIsNotStarted() {
        PgPartitionProperties properties = new PgPartitionProperties();
        properties.getMaintenance().setInterval(Duration.ofHours(1));
        Map<String, Object> settings = new HashMap<>();

        PgPartitionAutoConfiguration.hibernateSettings(properties, true, settings);

        assertThat(settings).isEqualTo(Map.of("pgpartition.maintenance.interval", "0"));
    }
}
