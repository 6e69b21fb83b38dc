package io.pgpartition.demo;

import io.pgpartition.PartitioningException;
import io.pgpartition.hibernate.PartitionLocator;
import io.pgpartition.hibernate.PartitionedFinder;
import io.pgpartition.hibernate.spi.PartitionedPersistenceUnit;
import io.pgpartition.pruning.UnprunedStatements;
import io.pgpartition.test.postgres.PostgresServer;
import io.pgpartition.test.postgres.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Spring Boot 4 application with pgpartition's starter and nothing else of pgpartition's: the entity's annotations
 * and {@code application.yml} are all the set-up. Run, it starts (on an embedded PostgreSQL unless
 * {@code spring.datasource.url} is given), saves messages through a Spring Data repository, shows the partition each
 * landed in and the key guard refusing a move, the unpruned-statement sentinel reporting a query without the key, then
 * the {@code pgpartition} health and gauges, and stops.
 */
@SpringBootApplication
@EnableScheduling
public class DemoApplication {

    public static void main(String[] args) {
        List<String> properties = new ArrayList<>();
        TestDatabase database = null;
        if (System.getProperty("spring.datasource.url") == null && System.getenv("SPRING_DATASOURCE_URL") == null) {
            database = PostgresServer.shared().createDatabase("spring_demo");
            properties.add("spring.datasource.url=" + database.jdbcUrl());
            properties.add("spring.datasource.username=" + database.user());
            properties.add("spring.datasource.password=" + (database.password() == null ? "" : database.password()));
        }
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DemoApplication.class)
                .properties(properties.toArray(String[]::new)).logStartupInfo(false).run(args)) {
            tour(context, System.out);
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    /** What the demo shows, on a started application. */
    static void tour(ConfigurableApplicationContext context, PrintStream out) {
        EntityManagerFactory factory = context.getBean(EntityManagerFactory.class);
        PartitionedPersistenceUnit unit = PartitionedPersistenceUnit.of(factory).orElseThrow();
        out.println("1. Started: pgpartition validated " + unit.tables().size() + " partitioned entity against the database "
                + "and ran maintenance (" + unit.lastMaintenanceResult().map(r -> r.created().size() + " partitions created")
                .orElse("nothing to do") + ").");

        ChatMessages messages = context.getBean(ChatMessages.class);
        EntityManager entityManager = context.getBean(EntityManager.class);
        TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
        Instant now = Instant.now();
        out.println("2. Saved through a Spring Data repository; each row is in the partition of its month:");
        List<ChatMessage> sent = new ArrayList<>();
        for (Instant sentAt : List.of(now, now.plus(Duration.ofDays(40)))) {
            ChatMessage saved = messages.save(new ChatMessage(sentAt, "hello at " + sentAt));
            sent.add(saved);
            String partition = transactions.execute(status -> PartitionLocator.partitionOf(entityManager,
                    PartitionedFinder.find(entityManager, ChatMessage.class, saved.getId(), saved.getSentAt())));
            out.println("   message " + saved.getId() + " sent " + sentAt + " -> " + partition);
        }

        out.println("3. Moving a message to another month changes its partition key, which pgpartition refuses:");
        try {
            transactions.executeWithoutResult(status -> {
                ChatMessage first = PartitionedFinder.find(entityManager, ChatMessage.class, sent.get(0).getId(), sent.get(0).getSentAt());
                first.setSentAt(first.getSentAt().plus(Duration.ofDays(90)));
                entityManager.flush();
            });
            out.println("   (the change went through: this should not happen)");
        } catch (RuntimeException e) {
            out.println("   " + rootPartitioningMessage(e));
        }

        out.println("4. A repository query that names no partition key, reported by the sentinel "
                + "(pgpartition.unpruned-statements: log) with the line to change:");
        try (UnprunedStatements.Watch watch = UnprunedStatements.watch()) {
            out.println("   findByBody found " + messages.findByBody("hello at " + now).size() + " message; the report:");
            watch.statements().forEach(statement -> out.println("   " + statement.message()));
        }
        out.println("   findBySentAtBetween reads the partitions of its range and is not reported: "
                + messages.findBySentAtBetween(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1))).size() + " message.");

        out.println("5. GET /actuator/health/pgpartition:");
        HealthEndpoint health = context.getBean(HealthEndpoint.class);
        CompositeHealthDescriptor tables = (CompositeHealthDescriptor) health.healthForPath("pgpartition");
        tables.getComponents().forEach((table, descriptor) -> out.println("   " + table + ": " + descriptor.getStatus() + " "
                + ((IndicatedHealthDescriptor) descriptor).getDetails()));

        out.println("6. Gauges for Micrometer:");
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        meters.find("pgpartition.partitions.ahead").gauges().forEach(gauge -> out.println("   pgpartition.partitions.ahead"
                + gauge.getId().getTags() + " = " + gauge.value()));
        out.println("Done: the chat_messages table is partitioned monthly, guarded and maintained, from the annotations and application.yml alone.");
    }

    private static String rootPartitioningMessage(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PartitioningException) {
                return cause.getClass().getSimpleName() + ": " + cause.getMessage();
            }
        }
        return e.toString();
    }
}
