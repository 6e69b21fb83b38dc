package io.pgpartition.catalog;

import io.pgpartition.model.ColumnType;
import io.pgpartition.model.DefaultBound;
import io.pgpartition.model.HashBound;
import io.pgpartition.model.KeyPart;
import io.pgpartition.model.ListBound;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionBound;
import io.pgpartition.model.PartitionKey;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.TableName;
import io.pgpartition.model.ValueKind;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import io.pgpartition.test.seeds.SeedSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog reader against real DDL for every seed table: the full model it returns.
 */
@PostgresTest
class CatalogReaderSeedTest {

    private static final ColumnType TIMESTAMP = ColumnType.of("timestamp without time zone", ValueKind.TIMESTAMP);
    private static final ColumnType TIMESTAMPTZ = ColumnType.of("timestamp with time zone", ValueKind.TIMESTAMPTZ);
    private static final ColumnType DATE = ColumnType.of("date", ValueKind.DATE);
    private static final ColumnType TEXT = ColumnType.of("text", ValueKind.TEXT);
    private static final ColumnType UUID = ColumnType.of("uuid", ValueKind.UUID);
    private static final ColumnType BIGINT = ColumnType.of("bigint", ValueKind.INTEGER);

    private static CatalogSnapshot snapshot;

    @BeforeAll
    static void createSeedTables(TestDatabase db) throws SQLException {
        db.execute(SeedSchema.statements().toArray(String[]::new));
        try (Connection connection = db.connection()) {
            snapshot = new CatalogReader().read(connection, List.of(
                    TableName.of("content_items_all"), TableName.of("chat_messages"), TableName.of("event_impressions"),
                    TableName.of("generated_images"), TableName.of("credit_transactions"), TableName.of("claims_production"),
                    TableName.of("claim_line_items"), TableName.of("chat_sessions"), TableName.of("orders"),
                    TableName.of("public", "content_items_auto"), TableName.of("no_such_table")));
        }
    }

    @Test
    void listTableContentItemsAll() {
        assertThat(snapshot.partitionedTable(TableName.of("content_items_all")).map(CatalogReaderSeedTest::spelled))
                .as("content_items_all is LIST by source_type with content_items ('items') and content_items_auto ('auto')")
                .contains(new PartitionedTable(table("content_items_all"),
                        PartitionKey.of(PartitionStrategy.LIST, KeyPart.column("source_type", TEXT)),
                        List.of(partition("content_items", ListBound.of("items")),
                                partition("content_items_auto", ListBound.of("auto")))));
        assertThat(snapshot.relation(TableName.of("content_items_all")).orElseThrow())
                .as("the parent's kind, columns and primary key")
                .isEqualTo(new Relation(table("content_items_all"), RelationKind.PARTITIONED_TABLE, Optional.empty(), Optional.empty(),
                        List.of(new Column("id", BIGINT, true, 1), new Column("source_type", TEXT, true, 2),
                                new Column("title", TEXT, true, 3), new Column("created_at", TIMESTAMP, true, 4),
                                new Column("updated_at", TIMESTAMP, true, 5)),
                        List.of(new UniqueConstraint("content_items_all_pkey", true, List.of("id", "source_type"), false)),
                        List.of()));
    }

    @Test
    void quarterlyRangeTableChatMessages() {
        assertThat(snapshot.partitionedTable(TableName.of("chat_messages")))
                .as("chat_messages is RANGE quarterly by created_at (timestamp) over 2024")
                .contains(new PartitionedTable(table("chat_messages"),
                        PartitionKey.of(PartitionStrategy.RANGE, KeyPart.column("created_at", TIMESTAMP)),
                        List.of(partition("chat_messages_2024_q1", RangeBound.of(ts(2024, 1), ts(2024, 4))),
                                partition("chat_messages_2024_q2", RangeBound.of(ts(2024, 4), ts(2024, 7))),
                                partition("chat_messages_2024_q3", RangeBound.of(ts(2024, 7), ts(2024, 10))),
                                partition("chat_messages_2024_q4", RangeBound.of(ts(2024, 10), ts(2025, 1))))));
        Relation relation = snapshot.relation(TableName.of("chat_messages")).orElseThrow();
        assertThat(relation.uniqueConstraints())
                .as("composite primary key (id, created_at) and unique (message_id, created_at)")
                .containsExactly(new UniqueConstraint("chat_messages_pkey", true, List.of("id", "created_at"), false),
                        new UniqueConstraint("chat_messages_message_id_key", false, List.of("message_id", "created_at"), false));
        assertThat(relation.column("role").orElseThrow())
                .as("the enum column carries its labels in declared order")
                .isEqualTo(new Column("role", ColumnType.enumType("messagerole", List.of("user", "assistant", "system")), true, 5));
        assertThat(relation.column("message_id").orElseThrow())
                .as("varchar keeps its length in the SQL name and reads as text")
                .isEqualTo(new Column("message_id", ColumnType.of("character varying(36)", ValueKind.TEXT), false, 4));
    }

    @Test
    void timestamptzRangeTableEventImpressions() {
        assertThat(snapshot.partitionedTable(TableName.of("event_impressions")))
                .as("timestamptz bounds read as instants, whatever the session time zone")
                .contains(new PartitionedTable(table("event_impressions"),
                        PartitionKey.of(PartitionStrategy.RANGE, KeyPart.column("created_at", TIMESTAMPTZ)),
                        List.of(partition("event_impressions_2025_01", RangeBound.of(instant("2025-01-01"), instant("2025-02-01"))),
                                partition("event_impressions_2025_02", RangeBound.of(instant("2025-02-01"), instant("2025-03-01"))),
                                partition("event_impressions_2025_03", RangeBound.of(instant("2025-03-01"), instant("2025-04-01"))))));
    }

    @Test
    void monthlyRangeWithDefaultGeneratedImages() {
        assertThat(snapshot.partitionedTable(TableName.of("generated_images")))
                .as("generated_images is monthly with a DEFAULT partition")
                .contains(new PartitionedTable(table("generated_images"),
                        PartitionKey.of(PartitionStrategy.RANGE, KeyPart.column("created_at", TIMESTAMP)),
                        List.of(partition("generated_images_2024_01", RangeBound.of(ts(2024, 1), ts(2024, 2))),
                                partition("generated_images_2024_02", RangeBound.of(ts(2024, 2), ts(2024, 3))),
                                partition("generated_images_2024_03", RangeBound.of(ts(2024, 3), ts(2024, 4))),
                                partition("generated_images_default", DefaultBound.INSTANCE))));
        assertThat(snapshot.partitionedTable(TableName.of("generated_images")).orElseThrow().defaultPartition().map(Partition::name))
                .as("the default partition is found")
                .contains(table("generated_images_default"));
        assertThat(snapshot.partitionedTable(TableName.of("credit_transactions")).orElseThrow().partitions())
                .as("credit_transactions is monthly with a DEFAULT partition")
                .containsExactly(partition("credit_transactions_2024_01", RangeBound.of(ts(2024, 1), ts(2024, 2))),
                        partition("credit_transactions_2024_02", RangeBound.of(ts(2024, 2), ts(2024, 3))),
                        partition("credit_transactions_default", DefaultBound.INSTANCE));
    }

    @Test
    void yearlyRangeClaimsProductionWithIncomingForeignKey() {
        assertThat(snapshot.partitionedTable(TableName.of("claims_production")))
                .as("claims_production is yearly by service_from_date (date)")
                .contains(new PartitionedTable(table("claims_production"),
                        PartitionKey.of(PartitionStrategy.RANGE, KeyPart.column("service_from_date", DATE)),
                        List.of(partition("claims_production_y2026", RangeBound.of(LocalDate.of(2026, 1, 1), LocalDate.of(2027, 1, 1))),
                                partition("claims_production_y2027", RangeBound.of(LocalDate.of(2027, 1, 1), LocalDate.of(2028, 1, 1))),
                                partition("claims_production_y2028", RangeBound.of(LocalDate.of(2028, 1, 1), LocalDate.of(2029, 1, 1))))));
        Relation relation = snapshot.relation(TableName.of("claims_production")).orElseThrow();
        assertThat(relation.primaryKey())
                .as("composite primary key (id, service_from_date)")
                .contains(new UniqueConstraint("claims_production_pkey", true, List.of("id", "service_from_date"), false));
        assertThat(relation.referencedBy())
                .as("the foreign key from claim_line_items, once (not once per partition)")
                .containsExactly(new ForeignKey("claim_line_items_claim_fk", table("claim_line_items"),
                        List.of("claim_id", "claim_service_from_date"), table("claims_production"), List.of("id", "service_from_date")));
    }

    @Test
    void monthlyRangeClaimLineItemsNamedYearMonth() {
        PartitionedTable table = snapshot.partitionedTable(TableName.of("claim_line_items")).orElseThrow();
        assertThat(table.key()).as("key").isEqualTo(PartitionKey.of(PartitionStrategy.RANGE, KeyPart.column("service_date", DATE)));
        assertThat(table.partitions())
                .as("six monthly partitions named claim_line_items_yYYYYmMM")
                .containsExactly(
                        partition("claim_line_items_y2024m04", RangeBound.of(LocalDate.of(2024, 4, 1), LocalDate.of(2024, 5, 1))),
                        partition("claim_line_items_y2024m05", RangeBound.of(LocalDate.of(2024, 5, 1), LocalDate.of(2024, 6, 1))),
                        partition("claim_line_items_y2024m06", RangeBound.of(LocalDate.of(2024, 6, 1), LocalDate.of(2024, 7, 1))),
                        partition("claim_line_items_y2024m07", RangeBound.of(LocalDate.of(2024, 7, 1), LocalDate.of(2024, 8, 1))),
                        partition("claim_line_items_y2024m08", RangeBound.of(LocalDate.of(2024, 8, 1), LocalDate.of(2024, 9, 1))),
                        partition("claim_line_items_y2024m09", RangeBound.of(LocalDate.of(2024, 9, 1), LocalDate.of(2024, 10, 1))));
    }

    @Test
    void hashTableChatSessions() {
        assertThat(snapshot.partitionedTable(TableName.of("chat_sessions")))
                .as("chat_sessions is HASH by user_id with modulus 4")
                .contains(new PartitionedTable(table("chat_sessions"),
                        PartitionKey.of(PartitionStrategy.HASH, KeyPart.column("user_id", UUID)),
                        List.of(partition("chat_sessions_h0", new HashBound(4, 0)), partition("chat_sessions_h1", new HashBound(4, 1)),
                                partition("chat_sessions_h2", new HashBound(4, 2)), partition("chat_sessions_h3", new HashBound(4, 3)))));
    }

    @Test
    void plainTableWithIncomingForeignKey() {
        assertThat(snapshot.relation(TableName.of("orders")).orElseThrow())
                .as("orders is a plain table referenced by order_items")
                .isEqualTo(new Relation(table("orders"), RelationKind.TABLE, Optional.empty(), Optional.empty(),
                        List.of(new Column("id", BIGINT, true, 1), new Column("user_id", UUID, true, 2),
                                new Column("created_at", TIMESTAMP, true, 3)),
                        List.of(new UniqueConstraint("orders_pkey", true, List.of("id"), false)),
                        List.of(new ForeignKey("order_items_order_fk", table("order_items"), List.of("order_id"),
                                table("orders"), List.of("id")))));
        assertThat(snapshot.partitionedTable(TableName.of("orders"))).as("a plain table has no partitioning").isEmpty();
    }

    @Test
    void partitionReadDirectlyNamesItsParentAndRoot() {
        Relation partition = snapshot.relation(TableName.of("public", "content_items_auto")).orElseThrow();
        assertThat(partition.kind()).as("a leaf partition is a table").isEqualTo(RelationKind.TABLE);
        assertThat(partition.isPartition()).as("it is a partition").isTrue();
        assertThat(partition.parent()).as("its parent").contains(table("content_items_all"));
        assertThat(partition.root()).as("its root").contains(table("content_items_all"));
        assertThat(snapshot.relation(TableName.of("content_items_all")))
                .as("the root of a requested partition is described too")
                .isPresent();
    }

    @Test
    void missingTableIsAbsent() {
        assertThat(snapshot.relation(TableName.of("no_such_table"))).as("a table that does not exist").isEmpty();
        assertThat(snapshot.server().major()).as("the server version is known").isBetween(14, 18);
    }

    @Test
    void readingEveryPartitionedTableFindsTheRootsOnly(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            CatalogSnapshot all = new CatalogReader().readAllPartitioned(connection);
            assertThat(all.rootPartitionedTables()).extracting(t -> t.name().name())
                    .as("every partitioned table of the seeds, and no plain table or partition")
                    .containsExactly("chat_messages", "chat_sessions", "claim_line_items", "claims_production",
                            "content_items_all", "credit_transactions", "event_impressions", "generated_images");
        }
    }

    private static TableName table(String name) {
        return TableName.of("public", name);
    }

    private static Partition partition(String name, PartitionBound bound) {
        return new Partition(table(name), bound, false, -1);
    }

    private static LocalDateTime ts(int year, int month) {
        return LocalDate.of(year, month, 1).atStartOfDay();
    }

    private static Instant instant(String date) {
        return Instant.parse(date + "T00:00:00Z");
    }

    /** The layout as the tests spell it: key columns and types, leaving out the collation facts, which depend on the server's locale. */
    private static PartitionedTable spelled(PartitionedTable table) {
        return new PartitionedTable(table.name(), new PartitionKey(table.key().strategy(), table.key().parts().stream()
                .map(part -> new KeyPart(part.column(), part.expression(), part.type())).toList()), table.partitions(), table.partitionCount());
    }
}
