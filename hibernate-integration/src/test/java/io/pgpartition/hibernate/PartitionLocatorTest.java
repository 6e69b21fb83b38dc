package io.pgpartition.hibernate;

import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.model.TableName;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.seeds.SeedEntities;
import io.pgpartition.test.postgres.TestDatabase;
import io.pgpartition.test.seeds.SeedSchema;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PartitionLocator names the partition PostgreSQL stored a row in, for simple and composite identifiers.
 */
@HibernateTest
class PartitionLocatorTest {

    @Test
    void namesThePartitionOfEachSeedRow(TestDatabase db, SessionFactoryScope scope) {
        db.execute(SeedSchema.statements().toArray(String[]::new));
        db.execute("CREATE TABLE chat_messages_rest PARTITION OF chat_messages FOR VALUES FROM ('2025-01-01') TO (MAXVALUE)",
                "CREATE TABLE claims_production_rest PARTITION OF claims_production FOR VALUES FROM ('2029-01-01') TO (MAXVALUE)",
                "CREATE TABLE claim_line_items_rest PARTITION OF claim_line_items FOR VALUES FROM ('2024-10-01') TO (MAXVALUE)",
                "CREATE TABLE event_impressions_rest PARTITION OF event_impressions FOR VALUES FROM ('2025-04-01') TO (MAXVALUE)");
        try (SessionFactory factory = scope.build(SeedEntities.ALL.toArray(Class<?>[]::new))) {
            factory.inTransaction(session -> {
                SeedEntities.ContentItem auto = new SeedEntities.ContentItem();
                auto.id = 1L;
                auto.sourceType = "auto";
                auto.title = "Auto post";
                auto.createdAt = LocalDateTime.now();
                auto.updatedAt = auto.createdAt;
                session.persist(auto);
                assertThat(PartitionLocator.partitionOf(session, auto)).as("a simple id, LIST by source_type")
                        .isEqualTo("content_items_auto");

                SeedEntities.ClaimsProduction claim = new SeedEntities.ClaimsProduction();
                claim.id = 7L;
                claim.serviceFromDate = LocalDate.of(2027, 3, 1);
                claim.patientId = 3L;
                session.persist(claim);
                assertThat(PartitionLocator.partitionOf(session, claim)).as("an @IdClass id holding the key, yearly")
                        .isEqualTo("claims_production_y2027");

                SeedEntities.ChatSession chat = new SeedEntities.ChatSession();
                chat.id = 5L;
                chat.userId = UUID.fromString("0e37df36-f698-11e6-8dd4-cb9ced3df976");
                chat.startedAt = Instant.now();
                session.persist(chat);
                TableName sessions = TableName.of("chat_sessions");
                String expected = session.doReturningWork(connection -> new CatalogReader().read(connection, List.of(sessions)))
                        .partitionedTable(sessions).orElseThrow().partitionFor(chat.userId).orElseThrow().name().name();
                assertThat(PartitionLocator.partitionOf(session, chat)).as("a hash partition, the one the model computes")
                        .isEqualTo(expected);
            });
        }
    }

    @Test
    void aRowThatIsNotThereIsSaidSo(TestDatabase db, SessionFactoryScope scope) {
        db.execute("CREATE TABLE IF NOT EXISTS chat_sessions (id bigint NOT NULL, user_id uuid NOT NULL, started_at timestamptz NOT NULL) "
                        + "PARTITION BY HASH (user_id)",
                "CREATE TABLE IF NOT EXISTS chat_sessions_h0 PARTITION OF chat_sessions FOR VALUES WITH (MODULUS 1, REMAINDER 0)");
        try (SessionFactory factory = scope.build(Map.of("pgpartition.validation", "none"),
                SeedEntities.ChatSession.class)) {
            SeedEntities.ChatSession ghost = new SeedEntities.ChatSession();
            ghost.id = 404L;
            ghost.userId = UUID.randomUUID();
            assertThatThrownBy(() -> factory.inSession(session -> PartitionLocator.partitionOf(session, ghost)))
                    .isInstanceOf(PartitioningException.class)
                    .hasMessage("No row of chat_sessions has the identifier of io.pgpartition.test.seeds.SeedEntities$ChatSession 404 "
                            + "(id = 404). Persist it, or check that it was not deleted.");
        }
    }
}
