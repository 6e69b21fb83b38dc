package io.pgpartition.hibernate;

import io.pgpartition.MappingProblem;
import io.pgpartition.PartitionMappingException;
import io.pgpartition.ProblemCode;
import io.pgpartition.annotations.HashPartitions;
import io.pgpartition.annotations.ListPartition;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.ConstraintMode;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.ForeignKey;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinColumns;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each problem code, triggered by an entity and real DDL, with its message asserted in full.
 */
@HibernateTest
class ProblemCodesTest {

    /** A range table whose partition covers every time, so that only the problem under test shows. */
    private static String rangeTable(String name, String extraColumns) {
        return "CREATE TABLE " + name + " (id bigint NOT NULL, created_at timestamp NOT NULL" + extraColumns
                + ") PARTITION BY RANGE (created_at); CREATE TABLE " + name + "_all PARTITION OF " + name
                + " FOR VALUES FROM (MINVALUE) TO (MAXVALUE)";
    }

    @BeforeAll
    static void createTables(TestDatabase db) {
        db.execute(rangeTable("ai_events", "").split("; "));
        db.execute(rangeTable("kau_events", ", title text").split("; "));
        db.execute("CREATE TABLE plain_orders (id bigint PRIMARY KEY, created_at timestamp NOT NULL)");
        db.execute("CREATE TABLE mcp_items_all (id bigint NOT NULL, source_type text NOT NULL) PARTITION BY LIST (source_type)",
                "CREATE TABLE mcp_items_auto PARTITION OF mcp_items_all FOR VALUES IN ('auto')");
        db.execute("CREATE TABLE sm_items (id bigint NOT NULL, source_type text NOT NULL) PARTITION BY LIST (source_type)",
                "CREATE TABLE sm_items_d PARTITION OF sm_items DEFAULT");
        db.execute("CREATE TABLE km_events (id bigint, created_at timestamp NOT NULL, updated_at timestamp NOT NULL) PARTITION BY RANGE (updated_at)",
                "CREATE TABLE km_events_all PARTITION OF km_events FOR VALUES FROM (MINVALUE) TO (MAXVALUE)",
                "CREATE TABLE ke_items (id bigint, name text NOT NULL) PARTITION BY LIST (lower(name))",
                "CREATE TABLE ke_items_d PARTITION OF ke_items DEFAULT");
        db.execute("CREATE TABLE kn_events (id bigint, created_at timestamp) PARTITION BY RANGE (created_at)",
                "CREATE TABLE kn_events_all PARTITION OF kn_events FOR VALUES FROM (MINVALUE) TO (MAXVALUE)");
        db.execute(rangeTable("uk_messages", ", message_id text").split("; "));
        db.execute(rangeTable("fk_messages", "").split("; "));
        db.execute(rangeTable("fk_keyed_messages", "").split("; "));
        db.execute("CREATE TABLE fk_reactions (id bigint PRIMARY KEY, message_id bigint)",
                "CREATE TABLE fk_loose_reactions (id bigint PRIMARY KEY, message_id bigint)",
                "CREATE TABLE fk_keyed_reactions (id bigint PRIMARY KEY, message_id bigint, message_created_at timestamp)");
        db.execute("CREATE TABLE np_events (id bigint, created_at timestamp NOT NULL) PARTITION BY RANGE (created_at)");
        db.execute("CREATE TABLE lv_items (id bigint, source_type text NOT NULL) PARTITION BY LIST (source_type)",
                "CREATE TABLE lv_items_items PARTITION OF lv_items FOR VALUES IN ('items')",
                "CREATE TABLE lv_items_auto PARTITION OF lv_items FOR VALUES IN ('auto')");
        db.execute("CREATE TABLE rn_messages (id bigint, created_at timestamp NOT NULL) PARTITION BY RANGE (created_at)",
                "CREATE TABLE rn_messages_2024_q1 PARTITION OF rn_messages FOR VALUES FROM ('2024-01-01') TO ('2024-04-01')",
                "CREATE TABLE rn_messages_2024_q2 PARTITION OF rn_messages FOR VALUES FROM ('2024-04-01') TO ('2024-07-01')");
        db.execute("CREATE TABLE hr_sessions (id bigint, user_id uuid NOT NULL) PARTITION BY HASH (user_id)",
                "CREATE TABLE hr_sessions_h0 PARTITION OF hr_sessions FOR VALUES WITH (MODULUS 4, REMAINDER 0)",
                "CREATE TABLE hr_sessions_h2 PARTITION OF hr_sessions FOR VALUES WITH (MODULUS 4, REMAINDER 2)");
    }

    private static void assertOnlyProblem(SessionFactoryScope scope, Class<?> entity, ProblemCode code, String message) {
        assertThatThrownBy(() -> scope.build(entity).close())
                .as("%s stops the bootstrap", code)
                .isInstanceOfSatisfying(PartitionMappingException.class, e -> {
                    assertThat(e.getProblems()).as("exactly one problem")
                            .containsExactly(new MappingProblem(code, e.getProblems().get(0).entity(), e.getProblems().get(0).table(),
                                    e.getProblems().get(0).message()));
                    assertThat(e.getProblems().get(0).toString()).as("the report line").isEqualTo(message);
                    assertThat(e).as("the exception message").hasMessage(
                            "Partition mapping validation found 1 problem:" + System.lineSeparator() + "  " + message);
                });
    }

    @Entity(name = "BadInterval")
    @Table(name = "ai_events")
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "1 fortnight")
    static class BadInterval {
        @Id Long id;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
    }

    @Test
    void annotationInvalid(SessionFactoryScope scope) {
        assertOnlyProblem(scope, BadInterval.class, ProblemCode.ANNOTATION_INVALID,
                "[ANNOTATION_INVALID] BadInterval -> ai_events: @RangePartitions(interval) cannot be read; found \"1 fortnight\", "
                        + "expected a positive count of days, weeks, months, quarters or years such as '1 day', '1 week', '1 month', "
                        + "'3 months', '1 quarter', '1 year' (or daily, weekly, monthly, quarterly, yearly), or a positive integer "
                        + "step such as '100000' for a numeric key. Fix: correct @RangePartitions(interval) on BadInterval");
    }

    @Entity(name = "Misnamed")
    @Table(name = "kau_events")
    @PartitionedBy(range = "createdOn")
    static class Misnamed {
        @Id Long id;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
        String title;
    }

    @Test
    void keyAttributeUnknown(SessionFactoryScope scope) {
        assertOnlyProblem(scope, Misnamed.class, ProblemCode.KEY_ATTRIBUTE_UNKNOWN,
                "[KEY_ATTRIBUTE_UNKNOWN] Misnamed -> kau_events: key attribute 'createdOn' is not a basic persistent attribute; "
                        + "found attributes [createdAt, id, title], expected one of them. Fix: name an attribute of Misnamed in @PartitionedBy");
    }

    @Entity(name = "Missing")
    @Table(name = "missing_events")
    @PartitionedBy(range = "createdAt")
    static class Missing {
        @Id Long id;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
    }

    @Test
    void parentTableMissing(SessionFactoryScope scope) {
        assertOnlyProblem(scope, Missing.class, ProblemCode.PARENT_TABLE_MISSING,
                "[PARENT_TABLE_MISSING] Missing -> missing_events: the table does not exist; found no relation named missing_events, "
                        + "expected a table partitioned by RANGE (created_at). Fix: let Hibernate create it (hibernate.hbm2ddl.auto="
                        + "create, or jakarta.persistence.schema-generation.database.action=create: pgpartition makes it partitioned "
                        + "with its first partitions), or create it in your migration with PARTITION BY RANGE (\"created_at\")");
    }

    @Entity(name = "PlainOrder")
    @Table(name = "plain_orders")
    @PartitionedBy(range = "createdAt")
    static class PlainOrder {
        @Id Long id;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
    }

    @Test
    void tableNotPartitioned(SessionFactoryScope scope) {
        assertOnlyProblem(scope, PlainOrder.class, ProblemCode.TABLE_NOT_PARTITIONED,
                "[TABLE_NOT_PARTITIONED] PlainOrder -> plain_orders: the table is not partitioned; found a plain table, expected a "
                        + "table partitioned by RANGE (created_at). Fix: declare the layout (@RangePartitions(interval = ...)) on "
                        + "PlainOrder and the command that converts the table online is printed here, or remove @PartitionedBy");
    }

    @Entity(name = "LooseVisit")
    @Table(name = "plain_orders")
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "1 year", naming = "{table}_{yyyy}")
    static class LooseVisit {
        @Id Long id;
        @Column(name = "created_at") LocalDateTime createdAt;
    }

    @Test
    void whatTheMappingAloneShowsIsReportedWhateverTheTablesState(SessionFactoryScope scope) {
        assertThatThrownBy(() -> scope.build(LooseVisit.class).close())
                .isInstanceOfSatisfying(PartitionMappingException.class, e -> assertThat(e.getProblems())
                        .extracting(MappingProblem::code)
                        .as("the key optional in the mapping is reported beside the table that is not partitioned yet")
                        .containsExactly(ProblemCode.TABLE_NOT_PARTITIONED, ProblemCode.KEY_NULLABLE))
                .hasMessageContaining("  [KEY_NULLABLE] LooseVisit -> plain_orders: key attribute 'createdAt' is optional in the "
                        + "mapping; found nullable = true, expected nullable = false. Fix: @Column(name = \"created_at\", "
                        + "nullable = false) on LooseVisit.createdAt");
    }

    @Entity(name = "AutoContent")
    @Table(name = "mcp_items_auto")
    @PartitionedBy(list = "sourceType")
    static class AutoContent {
        @Id Long id;
        @Column(name = "source_type", nullable = false) String sourceType;
    }

    @Test
    void mapsChildPartition(SessionFactoryScope scope) {
        assertOnlyProblem(scope, AutoContent.class, ProblemCode.MAPS_CHILD_PARTITION,
                "[MAPS_CHILD_PARTITION] AutoContent -> mcp_items_auto: the table is a partition of public.mcp_items_all; found a "
                        + "partition, expected its partitioned parent table. Fix: map the parent table instead: @Table(name = \"mcp_items_all\")");
    }

    @Entity(name = "RangeByMistake")
    @Table(name = "sm_items")
    @PartitionedBy(range = "sourceType")
    static class RangeByMistake {
        @Id Long id;
        @Column(name = "source_type", nullable = false) String sourceType;
    }

    @Test
    void strategyMismatch(SessionFactoryScope scope) {
        assertOnlyProblem(scope, RangeByMistake.class, ProblemCode.STRATEGY_MISMATCH,
                "[STRATEGY_MISMATCH] RangeByMistake -> sm_items: the partition strategy differs; found LIST (source_type), expected "
                        + "RANGE. Fix: declare @PartitionedBy(list = \"sourceType\") to match the table, or repartition the table by RANGE");
    }

    @Entity(name = "WrongKey")
    @Table(name = "km_events")
    @PartitionedBy(range = "createdAt")
    static class WrongKey {
        @Id Long id;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
        @Column(name = "updated_at", nullable = false) LocalDateTime updatedAt;
    }

    @Entity(name = "ExpressionKey")
    @Table(name = "ke_items")
    @PartitionedBy(list = "name")
    static class ExpressionKey {
        @Id Long id;
        @Column(nullable = false) String name;
    }

    @Test
    void keyMismatch(SessionFactoryScope scope) {
        assertOnlyProblem(scope, WrongKey.class, ProblemCode.KEY_MISMATCH,
                "[KEY_MISMATCH] WrongKey -> km_events: the partition key columns differ; found RANGE (updated_at), expected RANGE "
                        + "(created_at). Fix: declare @PartitionedBy(range = \"updatedAt\") to match the table (the order counts)");
        assertOnlyProblem(scope, ExpressionKey.class, ProblemCode.KEY_MISMATCH,
                "[KEY_MISMATCH] ExpressionKey -> ke_items: the table is partitioned by an expression; found LIST ((lower(name))), "
                        + "expected LIST (name). Fix: partition the table by the column(s) name: rows cannot be routed by an expression "
                        + "the entity does not map");
    }

    @Entity(name = "LooseKey")
    @Table(name = "kn_events")
    @PartitionedBy(range = "createdAt")
    static class LooseKey {
        @Id Long id;
        @Column(name = "created_at") LocalDateTime createdAt;
    }

    @Test
    void keyNullableInTheMappingAndInTheDatabase(SessionFactoryScope scope) {
        assertThatThrownBy(() -> scope.build(LooseKey.class).close())
                .isInstanceOfSatisfying(PartitionMappingException.class, e -> assertThat(e.getProblems())
                        .extracting(MappingProblem::toString)
                        .as("both the mapping and the column allow NULL")
                        .containsExactly(
                                "[KEY_NULLABLE] LooseKey -> kn_events: key attribute 'createdAt' is optional in the mapping; found "
                                        + "nullable = true, expected nullable = false. Fix: @Column(name = \"created_at\", nullable = false) "
                                        + "on LooseKey.createdAt",
                                "[KEY_NULLABLE] LooseKey -> kn_events: key column created_at is nullable in the database; found NULL "
                                        + "allowed, expected NOT NULL. Fix: ALTER TABLE \"public\".\"kn_events\" ALTER COLUMN \"created_at\" SET NOT NULL"));
    }

    @Entity(name = "UniqueMessage")
    @Table(name = "uk_messages", uniqueConstraints = @UniqueConstraint(name = "uk_message_id", columnNames = "message_id"))
    @PartitionedBy(range = "createdAt")
    static class UniqueMessage {
        @Id Long id;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
        @Column(name = "message_id") String messageId;
    }

    @Test
    void uniqueWithoutKey(SessionFactoryScope scope) {
        assertOnlyProblem(scope, UniqueMessage.class, ProblemCode.UNIQUE_WITHOUT_KEY,
                "[UNIQUE_WITHOUT_KEY] UniqueMessage -> uk_messages: unique constraint uk_message_id lacks the partition key; found "
                        + "(message_id), expected columns including (created_at). Fix: @UniqueConstraint(columnNames = {\"message_id\", "
                        + "\"created_at\"}); PostgreSQL enforces uniqueness only per partition");
    }

    @Entity(name = "FkMessage")
    @Table(name = "fk_messages")
    @PartitionedBy(range = "createdAt")
    static class FkMessage {
        @Id Long id;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
    }

    @Entity(name = "FkReaction")
    @Table(name = "fk_reactions")
    static class FkReaction {
        @Id Long id;
        @ManyToOne @JoinColumn(name = "message_id") FkMessage message;
    }

    @Entity(name = "LooseReaction")
    @Table(name = "fk_loose_reactions")
    static class LooseReaction {
        @Id Long id;
        @ManyToOne @JoinColumn(name = "message_id", foreignKey = @ForeignKey(ConstraintMode.NO_CONSTRAINT)) FkMessage message;
    }

    static class KeyedId implements Serializable {
        Long id;
        LocalDateTime createdAt;

        @Override
        public boolean equals(Object o) {
            return o instanceof KeyedId k && java.util.Objects.equals(id, k.id) && java.util.Objects.equals(createdAt, k.createdAt);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(id, createdAt);
        }
    }

    @Entity(name = "KeyedMessage")
    @Table(name = "fk_keyed_messages")
    @IdClass(KeyedId.class)
    @PartitionedBy(range = "createdAt")
    static class KeyedMessage {
        @Id Long id;
        @Id @Column(name = "created_at") LocalDateTime createdAt;
    }

    @Entity(name = "KeyedReaction")
    @Table(name = "fk_keyed_reactions")
    static class KeyedReaction {
        @Id Long id;
        @ManyToOne
        @JoinColumns({@JoinColumn(name = "message_id", referencedColumnName = "id"),
                @JoinColumn(name = "message_created_at", referencedColumnName = "created_at")})
        KeyedMessage message;
    }

    @Entity(name = "TaggedMessage")
    @Table(name = "fk_messages")
    @PartitionedBy(range = "createdAt")
    static class TaggedMessage {
        @Id Long id;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
        @jakarta.persistence.ElementCollection
        @jakarta.persistence.CollectionTable(name = "fk_message_tags", joinColumns = @JoinColumn(name = "message_id"))
        java.util.Set<String> tags;
    }

    @Test
    void aCollectionTableReferencingThePartitionedTableIsToldTheFixThatWorksOnEveryHibernate(SessionFactoryScope scope) {
        assertThatThrownBy(() -> scope.build(TaggedMessage.class).close())
                .isInstanceOfSatisfying(PartitionMappingException.class, e -> assertThat(e.getProblems())
                        .extracting(MappingProblem::toString)
                        .containsExactly("[FOREIGN_KEY_TO_PARTITIONED] TaggedMessage -> fk_messages: collection TaggedMessage.tags "
                                + "references this table by (id) from fk_message_tags (message_id), which cannot be a foreign key to a "
                                + "partitioned table; found (id), expected referenced columns including (created_at). Fix: join on the "
                                + "partition key too (@JoinColumns naming created_at), or drop the database constraint with "
                                + "@CollectionTable(foreignKey = @ForeignKey(ConstraintMode.NO_CONSTRAINT)) on the collection "
                                + "(@JoinTable(foreignKey = ..., inverseForeignKey = ...) for a @ManyToMany)"));
    }

    @Test
    void foreignKeyToPartitioned(SessionFactoryScope scope) {
        assertThatThrownBy(() -> scope.build(FkMessage.class, FkReaction.class).close())
                .isInstanceOfSatisfying(PartitionMappingException.class, e -> assertThat(e.getProblems())
                        .extracting(MappingProblem::toString)
                        .containsExactly("[FOREIGN_KEY_TO_PARTITIONED] FkMessage -> fk_messages: FkReaction references this table by "
                                + "(id) from fk_reactions (message_id), which cannot be a foreign key to a partitioned table; found (id), "
                                + "expected referenced columns including (created_at). Fix: join on the partition key too (@JoinColumns "
                                + "naming created_at), or drop the database constraint with @JoinColumn(foreignKey = "
                                + "@ForeignKey(ConstraintMode.NO_CONSTRAINT))"));
        try (SessionFactory noConstraint = scope.build(FkMessage.class, LooseReaction.class);
             SessionFactory joinedOnKey = scope.build(KeyedMessage.class, KeyedReaction.class)) {
            assertThat(noConstraint.isOpen()).as("NO_CONSTRAINT opts out of the check").isTrue();
            assertThat(joinedOnKey.isOpen()).as("a join that includes the partition key is a valid foreign key").isTrue();
        }
    }

    @Entity(name = "Empty")
    @Table(name = "np_events")
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "1 month", naming = "{table}_y{yyyy}m{MM}")
    static class Empty {
        @Id Long id;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
    }

    @Test
    void noPartitions(SessionFactoryScope scope) {
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        assertOnlyProblem(scope, Empty.class, ProblemCode.NO_PARTITIONS,
                "[NO_PARTITIONS] Empty -> np_events: the table has no partitions, so every insert fails; found 0 partitions, "
                        + "expected at least one. Fix: CREATE TABLE \"public\".\"np_events_y" + month.getYear() + "m"
                        + String.format("%02d", month.getMonthValue()) + "\" PARTITION OF \"public\".\"np_events\" FOR VALUES FROM ('"
                        + month.atDay(1) + " 00:00:00') TO ('" + month.plusMonths(1).atDay(1) + " 00:00:00')");
    }

    enum Source { items, auto, manual }

    @Entity(name = "ContentItem")
    @Table(name = "lv_items")
    @PartitionedBy(list = "sourceType")
    @ListPartition(name = "lv_items_items", values = "items")
    @ListPartition(name = "lv_items_auto", values = "auto")
    @ListPartition(name = "lv_items_feed", values = "feed")
    static class ContentItem {
        @Id Long id;
        @Enumerated(EnumType.STRING) @Column(name = "source_type", nullable = false) Source sourceType;
    }

    @Test
    void listValueUncovered(SessionFactoryScope scope) {
        assertThatThrownBy(() -> scope.build(ContentItem.class).close())
                .isInstanceOfSatisfying(PartitionMappingException.class, e -> assertThat(e.getProblems())
                        .extracting(MappingProblem::toString)
                        .as("a declared @ListPartition value and an enum constant, each without a partition")
                        .containsExactly(
                                "[LIST_VALUE_UNCOVERED] ContentItem -> lv_items: value 'feed' of sourceType has no partition and the "
                                        + "table has no default partition; found partitions for ('auto', 'items'), expected one for 'feed'. "
                                        + "Fix: CREATE TABLE \"public\".\"lv_items_feed\" PARTITION OF \"public\".\"lv_items\" FOR VALUES IN ('feed')",
                                "[LIST_VALUE_UNCOVERED] ContentItem -> lv_items: value 'manual' of sourceType has no partition and the "
                                        + "table has no default partition; found partitions for ('auto', 'items'), expected one for 'manual'. "
                                        + "Fix: CREATE TABLE \"public\".\"lv_items_manual\" PARTITION OF \"public\".\"lv_items\" FOR VALUES IN ('manual')"));
    }

    @Entity(name = "StaleMessage")
    @Table(name = "rn_messages")
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "3 months", naming = "{table}_{yyyy}_q{q}")
    static class StaleMessage {
        @Id Long id;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
    }

    @Test
    void rangeNowUncovered(SessionFactoryScope scope) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate quarter = LocalDate.of(today.getYear(), (today.getMonthValue() - 1) / 3 * 3 + 1, 1);
        assertOnlyProblem(scope, StaleMessage.class, ProblemCode.RANGE_NOW_UNCOVERED,
                "[RANGE_NOW_UNCOVERED] StaleMessage -> rn_messages: no partition holds the current time and the table has no default "
                        + "partition; found partitions from '2024-01-01 00:00:00' to '2024-07-01 00:00:00', expected one holding "
                        + today + " (UTC). Fix: CREATE TABLE \"public\".\"rn_messages_" + quarter.getYear() + "_q" + ((quarter.getMonthValue() - 1) / 3 + 1)
                        + "\" PARTITION OF \"public\".\"rn_messages\" FOR VALUES FROM ('" + quarter + " 00:00:00') TO ('"
                        + quarter.plusMonths(3) + " 00:00:00')");
    }

    @Entity(name = "ChatSession")
    @Table(name = "hr_sessions")
    @PartitionedBy(hash = "userId")
    @HashPartitions(modulus = 4, naming = "{table}_h{remainder}")
    static class ChatSession {
        @Id Long id;
        @Column(name = "user_id", nullable = false) UUID userId;
    }

    @Test
    void hashRemainderMissing(SessionFactoryScope scope) {
        assertOnlyProblem(scope, ChatSession.class, ProblemCode.HASH_REMAINDER_MISSING,
                "[HASH_REMAINDER_MISSING] ChatSession -> hr_sessions: remainders 1, 3 of modulus 4 have no partition, so rows "
                        + "hashing there cannot be inserted; found partitions for 2 of 4 remainders, expected all 4. Fix: CREATE TABLE "
                        + "\"public\".\"hr_sessions_h1\" PARTITION OF \"public\".\"hr_sessions\" FOR VALUES WITH (MODULUS 4, REMAINDER 1); "
                        + "CREATE TABLE \"public\".\"hr_sessions_h3\" PARTITION OF \"public\".\"hr_sessions\" FOR VALUES WITH (MODULUS 4, REMAINDER 3)");
    }

    @Test
    void everyProblemOfEveryEntityInOneReport(SessionFactoryScope scope) {
        assertThatThrownBy(() -> scope.build(Missing.class, Misnamed.class, ChatSession.class, ContentItem.class).close())
                .isInstanceOfSatisfying(PartitionMappingException.class, e -> assertThat(e.getProblems())
                        .extracting(MappingProblem::code, MappingProblem::entity)
                        .as("four broken entities, all reported together, in entity name order")
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple(ProblemCode.HASH_REMAINDER_MISSING, "ChatSession"),
                                org.assertj.core.groups.Tuple.tuple(ProblemCode.LIST_VALUE_UNCOVERED, "ContentItem"),
                                org.assertj.core.groups.Tuple.tuple(ProblemCode.LIST_VALUE_UNCOVERED, "ContentItem"),
                                org.assertj.core.groups.Tuple.tuple(ProblemCode.KEY_ATTRIBUTE_UNKNOWN, "Misnamed"),
                                org.assertj.core.groups.Tuple.tuple(ProblemCode.PARENT_TABLE_MISSING, "Missing")));
    }

}
