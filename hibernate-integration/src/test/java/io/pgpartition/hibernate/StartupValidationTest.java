package io.pgpartition.hibernate;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitionMappingException;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.TableName;
import io.pgpartition.model.ValueKind;
import io.pgpartition.policy.PartitionDefinition;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.policy.TimeInterval;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.seeds.SeedEntities;
import io.pgpartition.test.postgres.TestDatabase;
import io.pgpartition.test.seeds.SeedSchema;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How startup validation behaves: silent on correct mappings of every seed table, settings, dialects, JPA bootstrap.
 */
@HibernateTest
class StartupValidationTest {

    @BeforeAll
    static void createSeedTablesCoveringToday(TestDatabase db) throws SQLException {
        db.execute(SeedSchema.statements().toArray(String[]::new));
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            for (Class<?> entity : SeedEntities.ALL) {
                String table = entity.getAnnotation(jakarta.persistence.Table.class).name();
                PartitionDefinition definition = PartitionDefinition.of(entity, table);
                if (definition.range().isEmpty()) {
                    continue;
                }
                PartitionedTable layout = new CatalogReader().read(connection, List.of(TableName.of(table)))
                        .partitionedTable(TableName.of(table)).orElseThrow();
                ValueKind kind = layout.key().parts().get(0).type().kind();
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                Object now = kind == ValueKind.DATE ? today : kind == ValueKind.TIMESTAMP ? today.atStartOfDay()
                        : today.atStartOfDay(ZoneOffset.UTC).toInstant();
                if (layout.accepts(now)) {
                    continue;
                }
                RangePolicy policy = definition.range().get();
                TimeInterval interval = (TimeInterval) policy.interval();
                LocalDate start = interval.periodStart(today);
                LocalDate end = interval.plus(start, 1);
                RangeBound bound = kind == ValueKind.DATE ? RangeBound.of(start, end)
                        : kind == ValueKind.TIMESTAMP ? RangeBound.of(start.atStartOfDay(), end.atStartOfDay())
                        : RangeBound.of(start.atStartOfDay(ZoneOffset.UTC).toInstant(), end.atStartOfDay(ZoneOffset.UTC).toInstant());
                statement.execute(PartitionDdl.createPartitionOf(layout.name(),
                        layout.name().sibling(policy.naming().format(table, start)), bound));
            }
        }
    }

    @Test
    void correctMappingsOfEverySeedTableBootWithoutAProblem(SessionFactoryScope scope) {
        String log = StandardError.during(() -> {
            try (SessionFactory factory = scope.build(SeedEntities.ALL.toArray(Class<?>[]::new))) {
                assertThat(factory.isOpen()).as("all eight seed entities validate").isTrue();
            }
        });
        assertThat(log).as("a good mapping boots silently").doesNotContain("pgpartition", "[KEY_", "[RANGE_", "[LIST_");
    }

    @Test
    void warnModeLogsEachProblemOnceAndBoots(SessionFactoryScope scope) {
        String log = StandardError.during(() -> {
            try (SessionFactory factory = scope.build(Map.of(PartitioningSettings.VALIDATION, "warn"),
                    ProblemCodesTest.Missing.class)) {
                assertThat(factory.isOpen()).as("warn boots despite the problem").isTrue();
            }
        });
        assertThat(log.lines().filter(line -> line.contains("[PARENT_TABLE_MISSING] Missing -> missing_events")))
                .as("the problem is logged once at WARN")
                .singleElement().asString().startsWith("[main] WARN io.pgpartition");
    }

    @Test
    void noneModeSkipsValidation(SessionFactoryScope scope) {
        try (SessionFactory factory = scope.build(Map.of(PartitioningSettings.VALIDATION, "none"),
                ProblemCodesTest.Missing.class)) {
            assertThat(factory.isOpen()).as("none boots without looking").isTrue();
        }
    }

    @Test
    void disabledLeavesHibernateAlone(TestDatabase db, SessionFactoryScope scope) {
        try (SessionFactory factory = scope.build(Map.of(PartitioningSettings.ENABLED, "false"),
                ProblemCodesTest.Missing.class)) {
            assertThat(factory.isOpen()).as("no validation when disabled").isTrue();
            int written = factory.fromTransaction(session -> session.createNativeMutationQuery(
                    "insert into content_items_auto (id, source_type, title, created_at, updated_at) values (900, 'auto', 't', now(), now())")
                    .executeUpdate());
            assertThat(written).as("a write to a child partition is not guarded when disabled").isEqualTo(1);
        } finally {
            db.execute("DELETE FROM content_items_all WHERE id = 900");
        }
    }

    @Test
    void anUnknownSettingValueIsRefused(SessionFactoryScope scope) {
        assertThatThrownBy(() -> scope.build(Map.of(PartitioningSettings.VALIDATION, "strict"),
                ProblemCodesTest.Missing.class))
                .as("a typo in the setting is not silently read as a default")
                .isInstanceOf(PartitioningException.class)
                .hasMessage("Invalid setting pgpartition.validation=strict; expected fail, warn or none");
    }

    @Test
    void aNonPostgresDialectIsLeftAloneWithOneWarningOrRefusedUnderFail(SessionFactoryScope scope) {
        Map<String, String> h2 = Map.of("hibernate.dialect", "org.hibernate.dialect.H2Dialect",
                "hibernate.boot.allow_jdbc_metadata_access", "false");
        String log = StandardError.during(() -> {
            try (SessionFactory factory = scope.build(h2, ProblemCodesTest.Missing.class)) {
                assertThat(factory.isOpen()).as("another dialect boots as without pgpartition").isTrue();
            }
        });
        assertThat(log.lines().filter(line -> line.contains("pgpartition"))).as("one warning, naming the way to refuse")
                .containsExactly("[main] WARN io.pgpartition.hibernate.internal.boot.PartitioningIntegrator - pgpartition: this "
                        + "persistence unit maps 1 @PartitionedBy entity (Missing) with H2Dialect, not PostgreSQL: their partition "
                        + "keys are neither validated nor guarded here, and schema generation creates their tables unpartitioned. "
                        + "This suits tests on another database; set pgpartition.non_postgresql=fail to refuse it.");

        Map<String, String> failing = new HashMap<>(h2);
        failing.put(PartitioningSettings.NON_POSTGRESQL, "fail");
        assertThatThrownBy(() -> scope.build(failing, ProblemCodesTest.Missing.class))
                .isInstanceOfSatisfying(PartitioningException.class, e -> assertThat(e.getCode()).isEqualTo(ErrorCode.SERVER_UNSUPPORTED))
                .hasMessage("pgpartition works with PostgreSQL only, but this persistence unit maps 1 @PartitionedBy entity (Missing) "
                        + "with H2Dialect (pgpartition.non_postgresql=fail). Use a PostgreSQL 14+ database with "
                        + "org.hibernate.dialect.PostgreSQLDialect, or set pgpartition.non_postgresql=warn to run them unguarded on "
                        + "this database.");
        failing.put(PartitioningSettings.NON_POSTGRESQL, "sometimes");
        assertThatThrownBy(() -> scope.build(failing, ProblemCodesTest.Missing.class))
                .hasMessage("Invalid setting pgpartition.non_postgresql=sometimes; expected warn or fail");
    }

    @Test
    void jpaBootstrapWithPersistenceXmlValidatesToo(TestDatabase db) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.jdbc.url", db.jdbcUrl());
        if (db.user() != null) {
            properties.put("jakarta.persistence.jdbc.user", db.user());
        }
        if (db.password() != null) {
            properties.put("jakarta.persistence.jdbc.password", db.password());
        }
        try (EntityManagerFactory factory = Persistence.createEntityManagerFactory("seed", properties)) {
            assertThat(factory.isOpen()).as("the seed unit boots through JPA").isTrue();
        }
        assertThatThrownBy(() -> Persistence.createEntityManagerFactory("broken", properties))
                .as("the broken unit fails with the report, whatever JPA wraps it in")
                .satisfies(e -> assertThat(rootCause(e)).isInstanceOf(PartitionMappingException.class)
                        .hasMessageContaining("[PARENT_TABLE_MISSING] Missing -> missing_events"));
    }

    private static Throwable rootCause(Throwable e) {
        while (!(e instanceof PartitionMappingException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
