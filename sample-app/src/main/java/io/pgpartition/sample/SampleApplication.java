package io.pgpartition.sample;

import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.PartitionMappingException;
import io.pgpartition.PartitioningException;
import io.pgpartition.UnprunedStatementException;
import io.pgpartition.hibernate.PartitionedFinder;
import io.pgpartition.conversion.ConversionProgress;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.conversion.ConversionStatus;
import io.pgpartition.conversion.TableConversion;
import io.pgpartition.reshape.PartitionReshape;
import io.pgpartition.reshape.ReshapeSpec;
import io.pgpartition.reshape.ReshapeStatus;
import io.pgpartition.hibernate.PartitionLocator;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.maintenance.MaintenanceResult;
import io.pgpartition.maintenance.PartitionMaintenance;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.PartitionDefinition;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.report.PartitionReport;
import io.pgpartition.report.ReportHtml;
import io.pgpartition.report.ReportText;
import io.pgpartition.test.PartitionAssertions;
import io.pgpartition.test.postgres.PostgresServer;
import io.pgpartition.test.postgres.TestDatabase;
import io.pgpartition.test.seeds.SeedEntities;
import io.pgpartition.test.seeds.SeedEntities.ChatMessage;
import io.pgpartition.test.seeds.SeedEntities.ClaimLineItem;
import io.pgpartition.test.seeds.SeedEntities.ClaimsProduction;
import io.pgpartition.test.seeds.SeedEntities.ContentItem;
import io.pgpartition.test.seeds.SeedEntities.EventImpression;
import io.pgpartition.test.seeds.SeedEntities.MessageRole;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tour of pgpartition on the seed domain, as a Hibernate application sees it: schema generation and startup
 * validation, a mapping that is refused, rows routed and guarded, maintenance ahead and behind, an online conversion,
 * and the report. Runs on the embedded PostgreSQL (or the server {@code PGPARTITION_TEST_JDBC_URL} names), in a fresh
 * database dropped at the end.
 */
public final class SampleApplication {

    /** The persistence unit of the tour: five of the seed tables, mapped as {@link SeedEntities} maps them. */
    static final List<Class<?>> ENTITIES = List.of(ContentItem.class, ChatMessage.class, EventImpression.class,
            ClaimsProduction.class, ClaimLineItem.class);

    private final PrintStream out;
    private final TestDatabase database;
    private final List<String> statements = new CopyOnWriteArrayList<>();
    private final Path reportFile;

    private SampleApplication(PrintStream out, TestDatabase database, Path reportFile) {
        this.out = out;
        this.database = database;
        this.reportFile = reportFile;
    }

    public static void main(String[] args) throws Exception {
        run(System.out, Path.of("target", "pgpartition-sample-report.html"));
    }

    /** Runs the tour, printing to {@code out} and writing the HTML report to {@code reportFile}. */
    public static void run(PrintStream out, Path reportFile) throws Exception {
        // Hibernate's logging through SLF4J, whose configuration (simplelogger.properties) keeps it to errors
        System.setProperty("org.jboss.logging.provider", "slf4j");
        PostgresServer server = PostgresServer.shared();
        try (TestDatabase database = server.createDatabase("sample_app")) {
            out.println("pgpartition sample: the seed domain as a Hibernate application, on " + server.version());
            new SampleApplication(out, database, reportFile).tour();
        }
    }

    private void tour() throws Exception {
        try (SessionFactory factory = sessionFactory(ENTITIES, "create"); Connection sql = database.connection()) {
            step(1, "Schema generation and startup validation");
            out.println("   " + ENTITIES.size() + " entities, their tables created partitioned with their first "
                    + "partitions (" + leafCount(sql) + " in all), and validated against the database: no problem.");

            step(2, "A wrong mapping, in its own persistence unit");
            try (SessionFactory wrong = sessionFactory(WrongMappings.ALL, "none")) {
                out.println("   (it started: this should not happen)");
            } catch (PartitionMappingException e) {
                out.println("   The bootstrap stops with one report of every problem:");
                e.getMessage().lines().forEach(line -> out.println("   " + line));
            }

            step(3, "Rows through the parent tables, guarded");
            routeAndGuard(factory, sql);

            step(4, "The unpruned-statement sentinel (pgpartition.unpruned_statements=fail, for tests and development)");
            sentinel();

            step(5, "Maintenance: months ahead, the default partition emptied, old months archived");
            maintain(sql);

            step(6, "Online conversion of the plain generated_images table");
            convert(sql);

            step(7, "Online reshape: generated_images' three oldest months merged into one partition");
            reshape(sql);

            step(8, "The report");
            PartitionReport report = PartitionReport.collect(sql, List.of(), true, Instant.now());
            out.println("   Each table's line of the text report, and what it says about them (partitions left out):");
            ReportText.render(report).lines().filter(SampleApplication::summaryLine).forEach(line -> out.println("   " + line));
            Path html = write(reportFile, ReportHtml.render(report));
            out.println("   The same as one HTML page with a chart per table: " + html);

            long rows = report.tables().stream().mapToLong(t -> t.exactRows().orElse(0)).sum();
            out.println();
            out.println("Done: " + report.tables().size() + " partitioned tables, " + leafCount(sql) + " partitions, " + String.format(java.util.Locale.ROOT, "%,d", rows)
                    + " rows; validated, guarded, maintained, archived, converted, reshaped and reported.");
        }
    }

    private void routeAndGuard(SessionFactory factory, Connection sql) throws SQLException {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        factory.inTransaction(session -> {
            ContentItem auto = content(1L, "auto", "Imported post");
            ContentItem item = content(2L, "items", "Written post");
            session.persist(auto);
            session.persist(item);
            ChatMessage message = new ChatMessage();
            message.id = UUID.randomUUID();
            message.createdAt = now;
            message.updatedAt = now;
            message.userId = UUID.randomUUID();
            message.sessionId = UUID.randomUUID();
            message.messageId = "m-1";
            message.role = MessageRole.user;
            message.content = "hello";
            session.persist(message);
            EventImpression impression = new EventImpression();
            impression.id = 1L;
            impression.eventId = 7L;
            impression.createdAt = now.toInstant(ZoneOffset.UTC);
            session.persist(impression);
            session.flush();
            for (Object entity : List.of(auto, item, message, impression)) {
                out.println("   " + describe(entity) + " -> " + PartitionLocator.partitionOf(session, entity));
            }
        });
        try {
            factory.inTransaction(session -> session.persist(content(3L, "manual", "Typed by hand")));
            out.println("   (a 'manual' item was stored: this should not happen)");
        } catch (PartitioningException e) {
            out.println("   A source_type no partition takes is refused before any SQL is sent:");
            out.println("     " + e.getMessage());
        }
        try {
            factory.inTransaction(session -> {
                EventImpression impression = session.find(EventImpression.class, 1L);
                impression.createdAt = impression.createdAt.minus(Duration.ofDays(62));
            });
            out.println("   (an impression moved to another month: this should not happen)");
        } catch (PartitionKeyChangedException e) {
            out.println("   Moving an impression to another month changes its partition key, which is refused:");
            out.println("     " + e.getMessage());
        }
        statements.clear();
        factory.inTransaction(session -> session.find(EventImpression.class, 1L).eventId = 8L);
        factory.inTransaction(session -> session.remove(session.find(EventImpression.class, 1L)));
        String update = statements.stream().filter(s -> s.startsWith("update event_impressions")).findFirst().orElse("(none)");
        String delete = statements.stream().filter(s -> s.startsWith("delete from event_impressions")).findFirst().orElse("(none)");
        out.println("   Update and delete by id send the key too, so PostgreSQL touches one partition:");
        out.println("     " + update);
        out.println("     " + delete);
        Instant at = now.toInstant(ZoneOffset.UTC);
        int all = PartitionAssertions.scannedPartitions(sql, "DELETE FROM event_impressions WHERE id = ?", List.of(1L)).size();
        var scanned = PartitionAssertions.scannedPartitions(sql, "DELETE FROM event_impressions WHERE id = ? AND created_at = ?",
                List.of(1L, java.sql.Timestamp.from(at)));
        out.println("     scans " + scanned + "; by id alone it would scan all " + all + " partitions");
    }

    /**
     * A persistence unit with the sentinel on: a load by id alone is refused before it runs, with the line and the fix;
     * the load by id and key that the fix names goes through.
     */
    private void sentinel() {
        Instant at = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toInstant(ZoneOffset.UTC);
        try (SessionFactory watched = sessionFactory(ENTITIES, "none", Map.of("pgpartition.unpruned_statements", "fail"))) {
            watched.inTransaction(session -> {
                EventImpression impression = new EventImpression();
                impression.id = 2L;
                impression.eventId = 9L;
                impression.createdAt = at;
                session.persist(impression);
            });
            try {
                watched.inSession(session -> session.find(EventImpression.class, 2L));
                out.println("   (a load by id alone ran: this should not happen)");
            } catch (UnprunedStatementException e) {
                out.println("   em.find(EventImpression.class, 2L) is refused before it runs:");
                out.println("     " + e.getMessage());
            }
            EventImpression found = watched.fromSession(session -> PartitionedFinder.find(session, EventImpression.class, 2L, at));
            out.println("   PartitionedFinder.find(em, EventImpression.class, 2L, createdAt) reads one partition and finds event "
                    + found.eventId + ".");
            // merge() of the detached entity loads it by id and key too
            watched.inTransaction(session -> session.remove(session.merge(found)));
        }
    }

    private void maintain(Connection sql) throws Exception {
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        for (int back = 6; back >= 1; back--) {
            YearMonth old = month.minusMonths(back);
            String name = "event_impressions_" + old.getYear() + "_" + String.format("%02d", old.getMonthValue());
            database.execute("CREATE TABLE " + name + " PARTITION OF event_impressions FOR VALUES FROM ('" + old.atDay(1)
                    + " 00:00+00') TO ('" + old.plusMonths(1).atDay(1) + " 00:00+00')",
                    "INSERT INTO event_impressions (id, event_id, created_at) SELECT g, g % 50, TIMESTAMPTZ '" + old.atDay(1) + " 00:00+00' + (g % 27) * "
                            + "INTERVAL '1 day' FROM generate_series(" + (back * 1000) + ", " + (back * 1000 + 999) + ") g");
        }
        LocalDate farAhead = month.plusMonths(5).atDay(10);
        database.execute("CREATE TABLE claim_line_items_default PARTITION OF claim_line_items DEFAULT",
                "INSERT INTO claims_production (id, service_from_date, patient_id) VALUES (1, '" + farAhead + "', 42)",
                "INSERT INTO claim_line_items (id, service_date, claim_id, claim_service_from_date, procedure_code) VALUES (1, '"
                        + farAhead + "', 1, '" + farAhead + "', '99213')");
        out.println("   Six months of event_impressions history (1,000 rows each) and a claim line for " + farAhead
                + ", which only the default partition a DBA added takes ("
                + PartitionAssertions.partitionOf(sql, "claim_line_items", "id = ?", 1L) + ").");
        List<MaintenancePolicy> policies = new ArrayList<>();
        for (Class<?> entity : ENTITIES) {
            String table = entity.getAnnotation(Table.class).name();
            MaintenancePolicy.of(TableName.of(table), PartitionDefinition.of(entity, table))
                    .map(policy -> table.equals("claim_line_items") ? policy.withDefaultRescued(true) : policy)
                    .ifPresent(policies::add);
        }
        MaintenanceResult result = new PartitionMaintenance(policies).apply(sql, Instant.now());
        result.applied().forEach(applied -> out.println("   " + applied.action().description()
                + (applied.rowsMoved() > 0 ? " (" + applied.rowsMoved() + " rows moved)" : "")));
        out.println("   " + (result.isComplete() ? "Complete" : "NOT complete") + ": " + result.created().size() + " created, "
                + result.archived().size() + " archived into public_archive, a second run has nothing to do ("
                + new PartitionMaintenance(policies).plan(sql, Instant.now()).actions().size() + " actions planned).");
    }

    private void convert(Connection sql) throws Exception {
        database.execute("CREATE TABLE generated_images (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), "
                        + "generation_type text NOT NULL, generation_status text NOT NULL, created_at timestamp NOT NULL)",
                "CREATE INDEX idx_generated_images_created ON generated_images (created_at)",
                "INSERT INTO generated_images (generation_type, generation_status, created_at) "
                        + "SELECT (ARRAY['portrait','landscape','icon'])[1 + g % 3], 'done', "
                        + "(now() AT TIME ZONE 'UTC') - (g % 120) * INTERVAL '1 day' FROM generate_series(1, 20000) g");
        RangePolicy monthly = RangePolicy.monthly().premake(3).naming("{table}_{yyyy}_{MM}").defaultPartition(true).build();
        TableConversion conversion = new TableConversion(ConversionSpec.of(TableName.of("generated_images"), "created_at", monthly)
                .withBatchSize(5_000));
        out.println("   20,000 rows over four months, converted into monthly partitions while it stays writable:");
        ConversionStatus status = conversion.run(sql, Instant.now(), new ConversionProgress() {
            @Override
            public void copied(long rows, long total, Duration elapsed) {
                out.println("     copied " + rows + " of " + total + " rows");
            }

            @Override
            public void swapped(Duration locked) {
                out.println("     swapped the names; writers stalled " + locked.toMillis() + " ms behind the swap's lock");
            }
        });
        out.println("   " + status.describe());
        conversion.cleanup(sql);
        out.println("   Cleaned up: the original table is dropped.");
        out.println("   A row now lands in its month: " + PartitionAssertions.partitionOf(sql, "generated_images",
                "created_at = (SELECT max(created_at) FROM generated_images)"));
    }

    private void reshape(Connection sql) throws Exception {
        TableName table = TableName.of("generated_images");
        List<TableName> oldest = new io.pgpartition.catalog.CatalogReader().read(sql, List.of(table)).partitionedTable(table).orElseThrow()
                .orderedPartitions().stream().filter(p -> !p.isDefault()).limit(3).map(p -> p.name()).toList();
        out.println("   " + oldest.stream().map(TableName::name).collect(java.util.stream.Collectors.joining(", "))
                + " merged while the table stays writable:");
        ReshapeStatus status = new PartitionReshape(ReshapeSpec.merge(table, oldest).withName("generated_images_oldest")
                .withBatchSize(5_000)).run(sql, new ConversionProgress() {
            @Override
            public void copied(long rows, long total, Duration elapsed) {
                out.println("     copied " + rows + " of " + total + " rows");
            }

            @Override
            public void step(String line) {
                if (line.startsWith("verified ")) {
                    out.println("     " + line);
                }
            }

            @Override
            public void swapped(Duration locked) {
                out.println("     swapped the partitions; the table was locked " + locked.toMillis() + " ms");
            }
        });
        out.println("   " + status.describe());
        PartitionReshape.cleanup(sql, table, ConversionSpec.DEFAULT_OPTIONS, ConversionProgress.NONE);
        out.println("   Cleaned up: the three months are dropped; an old row now lands in " + PartitionAssertions.partitionOf(sql,
                "generated_images", "created_at = (SELECT min(created_at) FROM generated_images)"));
    }

    private SessionFactory sessionFactory(List<Class<?>> entities, String schema) {
        return sessionFactory(entities, schema, Map.of());
    }

    private SessionFactory sessionFactory(List<Class<?>> entities, String schema, Map<String, String> settings) {
        Configuration configuration = new Configuration()
                .setProperty("hibernate.connection.url", database.jdbcUrl())
                .setProperty("hibernate.connection.pool_size", "2")
                .setProperty("hibernate.hbm2ddl.auto", schema)
                .setProperty("pgpartition.validation", "fail");
        if (database.user() != null) {
            configuration.setProperty("hibernate.connection.username", database.user());
        }
        if (database.password() != null) {
            configuration.setProperty("hibernate.connection.password", database.password());
        }
        settings.forEach(configuration::setProperty);
        configuration.setStatementInspector(sqlText -> {
            statements.add(sqlText);
            return sqlText;
        });
        entities.forEach(configuration::addAnnotatedClass);
        return configuration.buildSessionFactory();
    }

    /** The lines of the text report a screen has room for: each table's, its problems, the retired partitions. */
    private static boolean summaryLine(String line) {
        return !line.isBlank() && (!line.startsWith(" ") || line.startsWith("  gap") || line.startsWith("  default partition")
                || line.startsWith("  missing") || line.startsWith("  public_archive"));
    }

    private void step(int number, String title) {
        out.println();
        out.println(number + ". " + title);
    }

    private static ContentItem content(Long id, String sourceType, String title) {
        ContentItem item = new ContentItem();
        item.id = id;
        item.sourceType = sourceType;
        item.title = title;
        item.createdAt = LocalDateTime.now(ZoneOffset.UTC);
        item.updatedAt = item.createdAt;
        return item;
    }

    private static String describe(Object entity) {
        if (entity instanceof ContentItem c) {
            return "ContentItem " + c.id + " (source_type '" + c.sourceType + "')";
        }
        if (entity instanceof ChatMessage m) {
            return "ChatMessage " + m.messageId + " (created " + m.createdAt + ")";
        }
        EventImpression e = (EventImpression) entity;
        return "EventImpression " + e.id + " (created " + e.createdAt + ")";
    }

    private static long leafCount(Connection sql) throws SQLException {
        return count(sql, "SELECT count(*) FROM pg_class c WHERE c.relispartition AND c.relkind = 'r'");
    }

    private static long count(Connection sql, String query) throws SQLException {
        try (var statement = sql.createStatement(); var rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Path write(Path file, String content) throws IOException {
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Files.writeString(absolute, content, StandardCharsets.UTF_8);
        return absolute;
    }
}
