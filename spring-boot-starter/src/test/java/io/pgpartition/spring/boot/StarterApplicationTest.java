package io.pgpartition.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.hibernate.MaintenanceMode;
import io.pgpartition.hibernate.PartitionLocator;
import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit;
import io.pgpartition.hibernate.ValidationMode;
import io.pgpartition.spring.boot.good.ChatMessage;
import io.pgpartition.spring.boot.good.ClaimLineItem;
import io.pgpartition.spring.boot.good.GoodApplication;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A Spring Boot 4 application with the starter and two partitioned entities, on a real PostgreSQL. */
@SpringBootTest(classes = GoodApplication.class, properties = {
        "spring.jpa.hibernate.ddl-auto=create",
        "pgpartition.validation=fail",
        "pgpartition.child-partition-dml=warn",
        "pgpartition.maintenance.mode=apply",
        "pgpartition.maintenance.lock-timeout=1500ms",
        "pgpartition.health.cache-for=0s",
        "management.endpoint.health.show-details=always"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StarterApplicationTest {

    static final TestDatabase DATABASE = PostgresProperties.newDatabase("starter");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresProperties.dataSource(DATABASE, registry);
    }

    @AfterAll
    static void dropDatabase() {
        DATABASE.close();
    }

    @Autowired
    PgPartitionProperties properties;

    @Autowired
    EntityManagerFactory factory;

    @Autowired
    EntityManager entityManager;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    HealthEndpoint health;

    @Autowired
    MeterRegistry meters;

    static final String THIS_MONTH = DateTimeFormatter.ofPattern("yyyyMM").format(LocalDate.now(ZoneOffset.UTC));

    @Test
    @Order(1)
    void propertiesBindAndReachHibernate() {
        assertThat(properties.getValidation()).isEqualTo(ValidationMode.FAIL);
        assertThat(properties.getMaintenance().getMode()).isEqualTo(MaintenanceMode.APPLY);
        assertThat(factory.getProperties())
                .containsEntry("pgpartition.validation", "fail")
                .containsEntry("pgpartition.child_partition_dml", "warn")
                .containsEntry("pgpartition.maintenance", "apply")
                .containsEntry("pgpartition.maintenance.lock_timeout", "1500ms")
                .doesNotContainKeys("pgpartition.server_guard", "pgpartition.enabled", "pgpartition.maintenance.interval");
    }

    @Test
    @Order(2)
    void startupMaintenanceMadeThePartitionsAndRowsLandInThem() {
        ChatMessage message = new ChatMessage();
        message.id = 1L;
        message.createdAt = Instant.now();
        message.body = "hello";
        String partition = transactions.execute(status -> {
            entityManager.persist(message);
            return PartitionLocator.partitionOf(entityManager, message);
        });

        assertThat(partition).isEqualTo("chat_messages_p" + THIS_MONTH + "01");
        PartitionedPersistenceUnit unit = PartitionedPersistenceUnit.of(factory).orElseThrow();
        assertThat(unit.tables()).extracting(table -> table.table().toString()).containsExactly("chat_messages", "claim_line_items");
        assertThat(unit.lastSuccessfulMaintenance()).as("the startup run counts").isPresent();
        assertThat(unit.maintenanceFailures()).isZero();
    }

    @Test
    @Order(3)
    void underSpringTheRefusalComesWrappedAtCommitAndBareAtAFlush() {
        Instant created = transactions.execute(status -> entityManager.find(ChatMessage.class, 1L).createdAt);
        Instant moved = created.minus(java.time.Duration.ofDays(400));

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> entityManager.find(ChatMessage.class, 1L).createdAt = moved))
                .as("found at commit: Spring wraps what the commit threw")
                .isInstanceOf(org.springframework.transaction.TransactionSystemException.class)
                .hasMessage("Could not commit JPA transaction")
                .satisfies(e -> assertThat(org.springframework.core.NestedExceptionUtils.getMostSpecificCause(e))
                        .as("the most specific cause is pgpartition's, whole")
                        .isInstanceOf(PartitionKeyChangedException.class)
                        .hasMessage("Cannot update ChatMessage with id 1: partition key attribute 'createdAt' would change from "
                                + created + " to " + moved + ". The partition key of a stored row never changes: delete the row "
                                + "and insert a new one instead."));
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            entityManager.find(ChatMessage.class, 1L).createdAt = moved;
            entityManager.flush();
        })).as("found at a flush inside the transaction: bare").isInstanceOf(PartitionKeyChangedException.class);
        assertThat((Instant) transactions.execute(status -> entityManager.find(ChatMessage.class, 1L).createdAt)).as("nothing moved")
                .isEqualTo(created);
    }

    @Test
    @Order(4)
    void healthShowsEachTable() {
        CompositeHealthDescriptor all = (CompositeHealthDescriptor) health.healthForPath("pgpartition");
        assertThat(all.getComponents()).containsOnlyKeys("chat_messages", "claim_line_items");
        assertThat(all.getStatus()).isEqualTo(Status.UP);

        IndicatedHealthDescriptor chat = (IndicatedHealthDescriptor) health.healthForPath("pgpartition", "chat_messages");
        assertThat(chat.getStatus()).isEqualTo(Status.UP);
        assertThat(chat.getDetails())
                .containsEntry("table", "public.chat_messages")
                .containsEntry("entity", "ChatMessage")
                .containsEntry("partitions", 3)
                .containsEntry("partitionsAhead", 2)
                .containsEntry("maintenanceFailures", 0L)
                .containsEntry("coveredUntil", YearMonth.now(ZoneOffset.UTC).plusMonths(3).atDay(1) + "T00:00:00Z")
                .containsKeys("lastSuccessfulMaintenance", "checkedAt")
                .doesNotContainKeys("problems", "defaultPartitionRows");
        IndicatedHealthDescriptor claims = (IndicatedHealthDescriptor) health.healthForPath("pgpartition", "claim_line_items");
        assertThat(claims.getDetails()).containsEntry("defaultPartitionRows", 0L).containsEntry("partitionsAhead", 1);
    }

    @Test
    @Order(5)
    void rowsInTheDefaultPartitionTakeTheTableOutOfService() {
        ClaimLineItem far = new ClaimLineItem();
        far.id = 1L;
        far.serviceDate = LocalDate.of(2031, 1, 15);
        transactions.executeWithoutResult(status -> entityManager.persist(far));

        IndicatedHealthDescriptor claims = (IndicatedHealthDescriptor) health.healthForPath("pgpartition", "claim_line_items");
        assertThat(claims.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(claims.getDetails()).containsEntry("defaultPartitionRows", 1L).containsEntry("problems", List.of(
                "Default partition public.claim_line_items_default of public.claim_line_items holds 1 row: their keys have no "
                        + "partition of their own. Fix: run maintenance with the default partition rescued (pgpartition "
                        + "maintain --rescue-default, or MaintenancePolicy.withDefaultRescued(true)), which creates a partition "
                        + "for every period holding rows there and moves the rows into it."));
        assertThat(health.healthForPath("pgpartition").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(meters.get("pgpartition.table.status").tag("table", "claim_line_items").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("pgpartition.default.rows").tag("table", "claim_line_items").gauge().value()).isEqualTo(1.0);
        transactions.executeWithoutResult(status -> entityManager.remove(entityManager.merge(far)));
    }

    @Test
    @Order(6)
    void gaugesPerTableAndForMaintenance() {
        assertThat(meters.get("pgpartition.partitions").tag("table", "chat_messages").tag("unit", "entityManagerFactory")
                .gauge().value()).isEqualTo(3.0);
        assertThat(meters.get("pgpartition.partitions.ahead").tag("table", "chat_messages").gauge().value()).isEqualTo(2.0);
        assertThat(meters.get("pgpartition.default.rows").tag("table", "chat_messages").gauge().value())
                .as("no default partition").isNaN();
        assertThat(meters.get("pgpartition.table.status").tag("table", "chat_messages").gauge().value()).isZero();
        assertThat(meters.get("pgpartition.maintenance.since.success").timeGauge().value(java.util.concurrent.TimeUnit.SECONDS))
                .isBetween(0.0, 600.0);
        assertThat(meters.get("pgpartition.maintenance.failures").functionCounter().count()).isZero();
    }
}
