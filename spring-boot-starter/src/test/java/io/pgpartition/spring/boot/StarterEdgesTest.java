package io.pgpartition.spring.boot;

import io.pgpartition.PartitionMappingException;
import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit;
import io.pgpartition.spring.boot.bad.BadApplication;
import io.pgpartition.spring.boot.plain.PlainApplication;
import io.pgpartition.spring.boot.scheduled.ScheduledApplication;
import io.pgpartition.test.postgres.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.config.ScheduledTaskHolder;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The starter where applications differ: a bad mapping, no partitioned entity on H2, Spring's scheduler. */
class StarterEdgesTest {

    @Test
    void aBadMappingStopsTheApplicationWithTheValidationReport() {
        try (TestDatabase database = PostgresProperties.newDatabase("starter_bad")) {
            database.execute("CREATE TABLE generated_images (id bigint PRIMARY KEY, created_on date NOT NULL)");

            assertThatThrownBy(() -> application(BadApplication.class, database).run().close())
                    .rootCause().isInstanceOf(PartitionMappingException.class)
                    .hasMessage("""
                            Partition mapping validation found 1 problem:
                              [TABLE_NOT_PARTITIONED] BadApplication$GeneratedImage -> generated_images: the table is not \
                            partitioned; found a plain table, expected a table partitioned by RANGE (created_on). Fix: declare \
                            the layout (@RangePartitions(interval = ...)) on BadApplication$GeneratedImage and the command that \
                            converts the table online is printed here, or remove @PartitionedBy""");
        }
    }

    /** Entity manager factories of the application's own, without a JPA vendor adapter: Spring's proxy then implements
     * every interface of Hibernate's factory and unwraps to itself. */
    @Test
    void twoPersistenceUnitsAreTwoGroupsOfTables() {
        try (TestDatabase database = PostgresProperties.newDatabase("starter_two");
             ConfigurableApplicationContext context = application(io.pgpartition.spring.boot.two.TwoUnitsApplication.class, database)
                     .properties("management.endpoint.health.show-details=always").run()) {
            org.springframework.boot.health.actuate.endpoint.HealthEndpoint health =
                    context.getBean(org.springframework.boot.health.actuate.endpoint.HealthEndpoint.class);
            org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor units =
                    (org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor) health.healthForPath("pgpartition");

            assertThat(units.getComponents()).containsOnlyKeys("entityManagerFactory", "claimsUnit");
            assertThat(((org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor)
                    health.healthForPath("pgpartition", "claimsUnit", "claim_line_items")).getDetails())
                    .containsEntry("table", "public.claim_line_items").containsEntry("defaultPartitionRows", 0L);
            assertThat(context.getBean(MeterRegistry.class).get("pgpartition.partitions").tag("unit", "entityManagerFactory")
                    .tag("table", "chat_messages").gauge().value()).isEqualTo(3.0);
        }
    }

    @Test
    void theHealthContributorCanBeSwitchedOffLikeAnyOther() {
        try (TestDatabase database = PostgresProperties.newDatabase("starter_no_health");
             ConfigurableApplicationContext context = application(io.pgpartition.spring.boot.good.GoodApplication.class, database)
                     .properties("spring.jpa.hibernate.ddl-auto=create", "management.health.pgpartition.enabled=false").run()) {
            assertThat(PartitionedPersistenceUnit.of(context.getBean(EntityManagerFactory.class))).isPresent();
            assertThat(context.getBean(HealthContributorRegistry.class).getContributor("pgpartition")).isNull();
            assertThat(context.getBean(MeterRegistry.class).find("pgpartition.partitions").gauges()).as("gauges stay").hasSize(2);
        }
    }

    @Test
    void anApplicationWithoutPartitionedEntitiesOnH2IsLeftAlone() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PlainApplication.class)
                .properties("spring.datasource.url=jdbc:h2:mem:plain", "spring.jpa.hibernate.ddl-auto=create-drop",
                        "pgpartition.maintenance.interval=1s", "management.endpoint.health.show-details=always")
                .run()) {
            EntityManagerFactory factory = context.getBean(EntityManagerFactory.class);
            assertThat(PartitionedPersistenceUnit.of(factory)).isEmpty();
            assertThat(context.getBean(HealthContributorRegistry.class).getContributor("pgpartition"))
                    .as("no pgpartition health contributor").isNull();
            assertThat(context.getBean(MeterRegistry.class).find("pgpartition.partitions").meters()).isEmpty();
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).doesNotContain("pgpartition-maintenance");
        }
    }

    @Test
    void maintenanceRunsAsATaskOfSpringsSchedulerAndStopsWithTheContext() throws Exception {
        try (TestDatabase database = PostgresProperties.newDatabase("starter_scheduled")) {
            String lastMonth = DateTimeFormatter.ofPattern("yyyyMM").format(LocalDate.now(ZoneOffset.UTC).plusMonths(3));
            String dropped = "event_impressions_p" + lastMonth + "01";
            try (ConfigurableApplicationContext context = application(ScheduledApplication.class, database)
                    .properties("spring.jpa.hibernate.ddl-auto=create", "pgpartition.maintenance.interval=300ms").run()) {
                EntityManagerFactory factory = context.getBean(EntityManagerFactory.class);
                assertThat(factory.getProperties()).containsEntry("pgpartition.maintenance.interval", "0");
                List<String> tasks = new ArrayList<>();
                context.getBeansOfType(ScheduledTaskHolder.class).values().forEach(holder -> holder.getScheduledTasks()
                        .forEach(task -> tasks.add(task.toString())));
                assertThat(tasks).contains("pgpartition maintenance");
                assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                        .as("pgpartition's own thread is not started").doesNotContain("pgpartition-maintenance");
                try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
                    assertThat(partitions(statement)).contains(dropped);
                    statement.execute("DROP TABLE " + dropped);
                }

                PartitionedPersistenceUnit unit = PartitionedPersistenceUnit.of(factory).orElseThrow();
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!recreated(database, dropped) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(recreated(database, dropped)).as("the scheduled run made the dropped partition again").isTrue();
                assertThat(unit.lastSuccessfulMaintenance()).isPresent();
                assertThat(unit.maintenanceFailures()).isZero();
            }
        }
    }

    private static boolean recreated(TestDatabase database, String partition) throws SQLException {
        try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
            return partitions(statement).contains(partition);
        }
    }

    private static List<String> partitions(Statement statement) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT relid::regclass::text FROM pg_partition_tree('event_impressions') WHERE isleaf")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static SpringApplicationBuilder application(Class<?> application, TestDatabase database) {
        return new SpringApplicationBuilder(application).properties(PostgresProperties.dataSource(database));
    }
}
