package io.pgpartition.hibernate;

import io.pgpartition.annotations.HashPartitions;
import io.pgpartition.annotations.ListPartition;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.catalog.UniqueConstraint;
import io.pgpartition.model.DefaultBound;
import io.pgpartition.model.HashBound;
import io.pgpartition.model.ListBound;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionBound;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.TableName;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When Hibernate creates the schema, partitioned entities get partitioned tables with their initial partitions.
 */
@HibernateTest
class SchemaGenerationTest {

    @Entity(name = "Claim")
    @Table(name = "gen_claims")
    @PartitionedBy(range = "serviceDate")
    @RangePartitions(interval = "1 month", premake = 2, naming = "{table}_y{yyyy}m{MM}", defaultPartition = true)
    static class Claim {
        @Id Long id;
        @Column(name = "service_date", nullable = false) LocalDate serviceDate;
        BigDecimal amount;
    }

    @Entity(name = "Impression")
    @Table(name = "gen_impressions")
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "1 year", premake = 1, naming = "{table}_{yyyy}", zone = "Europe/Berlin")
    static class Impression {
        @Id Long id;
        @Column(name = "created_at", nullable = false) Instant createdAt;
    }

    @Entity(name = "Item")
    @Table(name = "gen_items")
    @PartitionedBy(list = "sourceType")
    @ListPartition(name = "{table}_{value}", values = "items")
    @ListPartition(name = "gen_items_automatic", values = {"auto", "bot"})
    static class Item {
        @Id Long id;
        @Column(name = "source_type", nullable = false) String sourceType;
    }

    @Entity(name = "Session")
    @Table(name = "gen_sessions")
    @PartitionedBy(hash = "userId")
    @HashPartitions(modulus = 3)
    static class Session {
        @Id Long id;
        @Column(name = "user_id", nullable = false) UUID userId;
    }

    @Entity(name = "Message")
    @Table(name = "gen_messages")
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "3 months", premake = 0, naming = "{table}_{yyyy}_q{q}")
    static class Message {
        @Id Long id;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
    }

    private static Partition partition(String name, PartitionBound bound) {
        return Partition.of(TableName.of("public", name), bound);
    }

    @Test
    void createDropBuildsAPartitionedSchemaThatValidates(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        try (SessionFactory factory = scope.build(Map.of("hibernate.hbm2ddl.auto", "create-drop"),
                Claim.class, Impression.class, Item.class, Session.class, Message.class);
             Connection connection = db.connection()) {
            assertThat(factory.isOpen()).as("the generated schema passes validation").isTrue();
            CatalogSnapshot snapshot = new CatalogReader().read(connection, List.of(TableName.of("gen_claims"),
                    TableName.of("gen_impressions"), TableName.of("gen_items"), TableName.of("gen_sessions"), TableName.of("gen_messages")));

            YearMonth month = YearMonth.now(ZoneOffset.UTC);
            assertThat(snapshot.partitionedTable(TableName.of("gen_claims")).orElseThrow().partitions())
                    .as("monthly: the current month, two ahead, and the default")
                    .containsExactlyInAnyOrder(
                            partition("gen_claims_y" + month.getYear() + "m" + String.format("%02d", month.getMonthValue()),
                                    RangeBound.of(month.atDay(1), month.plusMonths(1).atDay(1))),
                            partition("gen_claims_y" + month.plusMonths(1).getYear() + "m" + String.format("%02d", month.plusMonths(1).getMonthValue()),
                                    RangeBound.of(month.plusMonths(1).atDay(1), month.plusMonths(2).atDay(1))),
                            partition("gen_claims_y" + month.plusMonths(2).getYear() + "m" + String.format("%02d", month.plusMonths(2).getMonthValue()),
                                    RangeBound.of(month.plusMonths(2).atDay(1), month.plusMonths(3).atDay(1))),
                            partition("gen_claims_default", DefaultBound.INSTANCE));
            assertThat(snapshot.relation(TableName.of("gen_claims")).orElseThrow().primaryKey().map(UniqueConstraint::columns))
                    .as("the key joins the surrogate id in the primary key").contains(List.of("id", "service_date"));

            int year = LocalDate.now(ZoneId.of("Europe/Berlin")).getYear();
            ZoneId berlin = ZoneId.of("Europe/Berlin");
            assertThat(snapshot.partitionedTable(TableName.of("gen_impressions")).orElseThrow().partitions())
                    .as("timestamptz years start at midnight in the policy's zone")
                    .containsExactlyInAnyOrder(
                            partition("gen_impressions_" + year, RangeBound.of(LocalDate.of(year, 1, 1).atStartOfDay(berlin).toInstant(),
                                    LocalDate.of(year + 1, 1, 1).atStartOfDay(berlin).toInstant())),
                            partition("gen_impressions_" + (year + 1), RangeBound.of(LocalDate.of(year + 1, 1, 1).atStartOfDay(berlin).toInstant(),
                                    LocalDate.of(year + 2, 1, 1).atStartOfDay(berlin).toInstant())));

            assertThat(snapshot.partitionedTable(TableName.of("gen_items")).orElseThrow().partitions())
                    .as("declared list partitions")
                    .containsExactlyInAnyOrder(partition("gen_items_items", ListBound.of("items")),
                            partition("gen_items_automatic", ListBound.of("auto", "bot")));
            assertThat(snapshot.partitionedTable(TableName.of("gen_sessions")).orElseThrow().partitions())
                    .as("one partition per remainder")
                    .containsExactlyInAnyOrder(partition("gen_sessions_h0", new HashBound(3, 0)),
                            partition("gen_sessions_h1", new HashBound(3, 1)), partition("gen_sessions_h2", new HashBound(3, 2)));
            LocalDate quarter = LocalDate.of(month.getYear(), (month.getMonthValue() - 1) / 3 * 3 + 1, 1);
            assertThat(snapshot.partitionedTable(TableName.of("gen_messages")).orElseThrow().partitions())
                    .as("premake 0: the current quarter only")
                    .containsExactly(partition("gen_messages_" + quarter.getYear() + "_q" + ((quarter.getMonthValue() - 1) / 3 + 1),
                            RangeBound.of(quarter.atStartOfDay(), quarter.plusMonths(3).atStartOfDay())));
        }
        try (Connection connection = db.connection()) {
            assertThat(new CatalogReader().read(connection, List.of(TableName.of("gen_claims"))).relation(TableName.of("gen_claims")))
                    .as("create-drop dropped the table and its partitions on close").isEmpty();
        }
    }

    @Test
    void validateAcceptsPartitionedTables(SessionFactoryScope scope) {
        try (SessionFactory created = scope.build(Map.of("hibernate.hbm2ddl.auto", "create"), Item.class, Session.class);
             SessionFactory validated = scope.build(Map.of("hibernate.hbm2ddl.auto", "validate"), Item.class, Session.class)) {
            assertThat(validated.isOpen()).as("schema validation finds the partitioned tables (no 'missing table')").isTrue();
        }
    }
}
