package io.pgpartition.spring.boot;

import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit;
import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit.PartitionedEntityTable;
import io.pgpartition.model.TableName;
import io.pgpartition.report.PartitionHealth;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** When the database cannot be reached, every table reads DOWN with the reason; readings are cached as configured. */
class UnreadableHealthTest {

    static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void aDatabaseThatCannotBeReachedIsDownWithTheReason() {
        AtomicInteger attempts = new AtomicInteger();
        PartitionedPersistenceUnit unit = new PartitionedPersistenceUnit(
                List.of(new PartitionedEntityTable("ChatMessage", TableName.of("chat_messages"), Optional.empty())),
                Optional.empty(), new PartitionedPersistenceUnit.Connections() {
                    @Override
                    public <T> T use(PartitionedPersistenceUnit.Work<T> work) throws SQLException {
                        attempts.incrementAndGet();
                        throw new SQLException("Connection to localhost:1 refused", "08001");
                    }
                }, Clock.fixed(NOW, ZoneOffset.UTC));
        PartitionMonitor monitor = new PartitionMonitor(() -> Map.of("entityManagerFactory", unit), Duration.ofSeconds(10),
                Clock.fixed(NOW, ZoneOffset.UTC));

        CompositeHealthContributor contributor = (CompositeHealthContributor) PgPartitionHealthAutoConfiguration
                .contributor(monitor, Status.OUT_OF_SERVICE).orElseThrow();
        Health health = ((HealthIndicator) contributor.getContributor("chat_messages")).health(true);
        ((HealthIndicator) contributor.getContributor("chat_messages")).health(true);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("error", "io.pgpartition.PartitioningException: The health of the "
                + "partitioned tables cannot be read (Connection to localhost:1 refused). Check the connection settings.")
                .containsEntry("entity", "ChatMessage").doesNotContainKey("maintenanceFailures");
        assertThat(attempts).as("the second reading within cache-for is the first one").hasValue(1);
    }

    @Test
    void noPartitionedUnitMeansNoContributor() {
        PartitionMonitor monitor = new PartitionMonitor(Map::of, Duration.ZERO, Clock.systemUTC());

        assertThat(PgPartitionHealthAutoConfiguration.contributor(monitor, Status.OUT_OF_SERVICE)).isEmpty();
        assertThat(PartitionHealth.Status.values()).extracting(Enum::ordinal).as("the status gauge's values")
                .containsExactly(0, 1, 2);
    }
}
