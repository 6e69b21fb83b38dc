package io.pgpartition.hibernate;

import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.hibernate.Setting;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.SessionFactory;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Entity UPDATE and DELETE carry the partition key in their WHERE clause, so PostgreSQL touches one partition.
 */
@HibernateTest(entities = RoutingTest.Message.class,
        settings = @Setting(name = "hibernate.session_factory.statement_inspector", value = "io.pgpartition.hibernate.RoutingTest$Recorder"))
class RoutingTest {

    /** Records the SQL Hibernate sends. */
    public static final class Recorder implements StatementInspector {
        static final List<String> SQL = new CopyOnWriteArrayList<>();

        @Override
        public String inspect(String sql) {
            SQL.add(sql);
            return sql;
        }
    }

    @Entity(name = "Message")
    @Table(name = "rt_messages")
    @PartitionedBy(range = "createdAt")
    static class Message {
        @Id Long id;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
        String content;
        @Version Integer version;
    }

    @Test
    void findRefusesAKeyOfTheWrongShape() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> factory.inSession(session ->
                        PartitionedFinder.find(session, Message.class, 1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Message is partitioned by [createdAt]: pass 1 key value(s), got 0");
    }

    private static SessionFactory factory;

    @BeforeAll
    static void boot(TestDatabase db, SessionFactoryScope scope) {
        db.execute("CREATE TABLE rt_messages (id bigint NOT NULL, created_at timestamp NOT NULL, content text, version int, "
                        + "PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at)",
                "CREATE TABLE rt_messages_all PARTITION OF rt_messages FOR VALUES FROM (MINVALUE) TO (MAXVALUE)");
        factory = scope.sessionFactory();
    }


    @Test
    void updateAndDeleteBySurrogateIdCarryTheKeyAndKeepOptimisticLocking() {
        Message message = new Message();
        message.id = 1L;
        message.createdAt = LocalDateTime.of(2024, 5, 17, 9, 30);
        message.content = "hello";
        factory.inTransaction(session -> session.persist(message));

        Recorder.SQL.clear();
        factory.inTransaction(session -> session.find(Message.class, 1L).content = "edited");
        assertThat(Recorder.SQL.stream().filter(sql -> sql.startsWith("update")))
                .as("the UPDATE names id, version and the partition key")
                .singleElement().asString().endsWith("where id=? and created_at=? and version=?");

        Recorder.SQL.clear();
        Message found = factory.fromTransaction(session ->
                PartitionedFinder.find(session, Message.class, 1L, LocalDateTime.of(2024, 5, 17, 9, 30)));
        assertThat(found.content).as("found by id plus key").isEqualTo("edited");
        assertThat(Recorder.SQL.stream().filter(sql -> sql.startsWith("select")))
                .as("the load names the identifier and the partition key")
                .singleElement().asString().contains("where m1_0.id=? and m1_0.created_at=?");
        Message other = factory.fromTransaction(session ->
                PartitionedFinder.find(session, Message.class, 1L, LocalDateTime.of(2030, 1, 1, 0, 0)));
        assertThat(other).as("the right id with another key is not the row").isNull();

        Recorder.SQL.clear();
        factory.inTransaction(session -> session.remove(session.find(Message.class, 1L)));
        assertThat(Recorder.SQL.stream().filter(sql -> sql.startsWith("delete")))
                .as("the DELETE names id, version and the partition key")
                .singleElement().asString().endsWith("where id=? and created_at=? and version=?");
    }
}
