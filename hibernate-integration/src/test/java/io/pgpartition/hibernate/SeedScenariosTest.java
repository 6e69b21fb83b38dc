package io.pgpartition.hibernate;

import io.pgpartition.ChildPartitionWriteException;
import io.pgpartition.NoPartitionForKeyException;
import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.PartitionKeyMissingException;
import io.pgpartition.test.PartitionAssertions;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.hibernate.Setting;
import io.pgpartition.test.seeds.SeedEntities;
import io.pgpartition.test.postgres.TestDatabase;
import io.pgpartition.test.seeds.SeedSchema;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seed plans' scenarios end to end through the entity API, JPQL, native SQL and JDBC: content_items_all routes by
 * source_type, chat_messages by quarter.
 */
@HibernateTest(entities = {SeedEntities.ContentItem.class, SeedEntities.ChatMessage.class},
        settings = @Setting(name = PartitioningSettings.VALIDATION, value = "none"))
class SeedScenariosTest {

    private static SessionFactory factory;

    @BeforeAll
    static void boot(TestDatabase db, SessionFactoryScope scope) {
        db.execute(SeedSchema.statements().toArray(String[]::new));
        db.execute("CREATE TABLE chat_messages_later PARTITION OF chat_messages FOR VALUES FROM ('2025-01-01') TO (MAXVALUE)");
        factory = scope.sessionFactory();
    }


    private static SeedEntities.ContentItem item(long id, String sourceType) {
        SeedEntities.ContentItem item = new SeedEntities.ContentItem();
        item.id = id;
        item.sourceType = sourceType;
        item.title = "item " + id;
        item.createdAt = LocalDateTime.of(2024, 5, 1, 12, 0);
        item.updatedAt = item.createdAt;
        return item;
    }

    @Test
    void contentItemsRouteBySourceTypeAndStayThere(TestDatabase db) throws SQLException {
        factory.inTransaction(session -> {
            session.persist(item(1, "items"));
            session.persist(item(2, "auto"));
        });
        try (Connection connection = db.connection()) {
            PartitionAssertions.assertStoredIn(connection, "content_items", "content_items_all", "id = ?", 1L);
            PartitionAssertions.assertStoredIn(connection, "content_items_auto", "content_items_all", "id = ?", 2L);
        }

        factory.inTransaction(session -> session.find(SeedEntities.ContentItem.class, 2L).title = "edited through the parent");
        factory.inTransaction(session -> session.createMutationQuery("update ContentItem set title = 'jpql' where id = 1").executeUpdate());
        try (Connection connection = db.connection()) {
            assertThat(PartitionAssertions.partitionOf(connection, "content_items_auto", "title = ?", "edited through the parent"))
                    .as("the entity update modified the row in its child").isEqualTo("content_items_auto");
            assertThat(PartitionAssertions.partitionOf(connection, "content_items", "title = ?", "jpql"))
                    .as("the JPQL update too").isEqualTo("content_items");
            PartitionAssertions.assertScansExactly(connection,
                    "update content_items_all set title = 'x' where id = ? and source_type = ?", List.of(2L, "auto"), "content_items_auto");
        }

        factory.inTransaction(session -> session.remove(session.find(SeedEntities.ContentItem.class, 2L)));
        long left = factory.fromTransaction(session ->
                session.createNativeQuery("select count(*) from content_items_auto", Long.class).getSingleResult());
        assertThat(left).as("the delete through the parent removed the child row").isZero();
    }

    @Test
    void invalidAndMissingSourceTypesAreRefusedEveryWay() {
        assertThatThrownBy(() -> factory.inTransaction(session -> session.persist(item(10, null))))
                .as("entity API, no source_type").isInstanceOf(PartitionKeyMissingException.class);
        assertThatThrownBy(() -> factory.inTransaction(session -> session.persist(item(11, "manual"))))
                .as("entity API, a source_type no partition lists").isInstanceOf(NoPartitionForKeyException.class)
                .hasMessage("No partition of table content_items_all accepts partition key value 'manual'; nearest partitions: "
                        + "content_items, content_items_auto. Create a partition for this value or run partition maintenance.");
        assertThatThrownBy(() -> factory.inTransaction(session -> session.createNativeMutationQuery(
                "insert into content_items_all (id, source_type, title, created_at, updated_at) values (12, 'manual', 't', now(), now())")
                .executeUpdate()))
                .as("native SQL: the server's error, translated").isInstanceOf(NoPartitionForKeyException.class);
        assertThatThrownBy(() -> factory.inTransaction(session -> session.doWork(connection -> connection.createStatement().execute(
                "insert into content_items (id, source_type, title, created_at, updated_at) values (13, 'items', 't', now(), now())"))))
                .as("JDBC writing the child directly").isInstanceOf(ChildPartitionWriteException.class);
    }

    @Test
    void chatMessagesRouteByQuarterAndKeepTheirKey(TestDatabase db) throws SQLException {
        UUID id = UUID.randomUUID();
        SeedEntities.ChatMessage message = new SeedEntities.ChatMessage();
        message.id = id;
        message.createdAt = LocalDateTime.of(2024, 5, 17, 9, 30);
        message.userId = UUID.randomUUID();
        message.sessionId = UUID.randomUUID();
        message.role = SeedEntities.MessageRole.user;
        message.content = "hello";
        message.updatedAt = message.createdAt;
        factory.inTransaction(session -> session.persist(message));
        try (Connection connection = db.connection()) {
            PartitionAssertions.assertStoredIn(connection, "chat_messages_2024_q2", "chat_messages", "id = ?", id);
        }
        assertThatThrownBy(() -> factory.inTransaction(session -> session.createMutationQuery(
                "update ChatMessage set content = 'moved', createdAt = :later where id = :id")
                .setParameter("later", LocalDateTime.of(2024, 11, 1, 0, 0)).setParameter("id", id).executeUpdate()))
                .as("a JPQL update that would move the row to Q4").isInstanceOf(PartitionKeyChangedException.class);
        try (Connection connection = db.connection()) {
            PartitionAssertions.assertStoredIn(connection, "chat_messages_2024_q2", "chat_messages", "id = ?", id);
        }
    }
}
