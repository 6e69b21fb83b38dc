package io.pgpartition.hibernate;

import io.pgpartition.NoPartitionForKeyException;
import io.pgpartition.PartitionKeyMissingException;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.Generated;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Never refuse a row PostgreSQL would accept: keys set by callbacks, generators and the database are checked after
 * they are set (or left to the server), and keys whose stored value the client cannot compute exactly (converters,
 * {@code char(n)}, {@code timestamp(0)} rounding, a JDBC time zone) are routed by the server alone.
 */
@HibernateTest
class KeysFilledDuringInsertTest {

    @Entity(name = "StampedMessage")
    @Table(name = "kf_messages")
    @PartitionedBy(range = "createdAt")
    static class StampedMessage {
        @Id Long id;
        @CreationTimestamp @Column(name = "created_at", nullable = false, updatable = false) LocalDateTime createdAt;
    }

    @Entity(name = "CallbackMessage")
    @Table(name = "kf_messages")
    @PartitionedBy(range = "createdAt")
    static class CallbackMessage {
        @Id Long id;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;

        @PrePersist
        void stamp() {
            if (createdAt == null) {
                createdAt = LocalDateTime.now();
            }
        }
    }

    @Entity(name = "DatabaseStampedMessage")
    @Table(name = "kf_messages")
    @PartitionedBy(range = "createdAt")
    static class DatabaseStampedMessage {
        @Id Long id;
        @Generated @Column(name = "created_at", nullable = false, insertable = false, updatable = false) LocalDateTime createdAt;
    }

    @Entity(name = "Ticket")
    @Table(name = "kf_tickets")
    @PartitionedBy(hash = "id")
    static class Ticket {
        @Id @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "kf_tickets_seq")
        @SequenceGenerator(name = "kf_tickets_seq", sequenceName = "kf_tickets_seq", allocationSize = 1) Long id;
        String subject;
    }

    enum Source { AUTOMATIC, MANUAL }

    @Converter
    static class SourceCodes implements AttributeConverter<Source, String> {
        @Override
        public String convertToDatabaseColumn(Source source) {
            return source == null ? null : source.name().substring(0, 1);
        }

        @Override
        public Source convertToEntityAttribute(String code) {
            return code == null ? null : code.equals("A") ? Source.AUTOMATIC : Source.MANUAL;
        }
    }

    @Entity(name = "ConvertedItem")
    @Table(name = "kf_items")
    @PartitionedBy(list = "source")
    static class ConvertedItem {
        @Id Long id;
        @Convert(converter = SourceCodes.class) @Column(name = "source", nullable = false) Source source;
    }

    @Entity(name = "PaddedItem")
    @Table(name = "kf_padded")
    @PartitionedBy(list = "code")
    static class PaddedItem {
        @Id Long id;
        @Column(name = "code", nullable = false, columnDefinition = "character(3)") String code;
    }

    @Entity(name = "SecondReading")
    @Table(name = "kf_readings")
    @PartitionedBy(range = "readAt")
    static class SecondReading {
        @Id Long id;
        @Column(name = "read_at", nullable = false) LocalDateTime readAt;
    }

    private static void messages(TestDatabase db) {
        db.execute("DROP TABLE IF EXISTS kf_messages",
                "CREATE TABLE kf_messages (id bigint NOT NULL, created_at timestamp NOT NULL DEFAULT now(), "
                        + "PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at)",
                "CREATE TABLE kf_messages_now PARTITION OF kf_messages FOR VALUES FROM (now() - interval '1 day') TO (now() + interval '1 day')");
    }

    private static List<String> rows(TestDatabase db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    @Test
    void keysStampedByGeneratorsCallbacksAndTheDatabaseAreAccepted(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        messages(db);
        try (SessionFactory factory = scope.build(StampedMessage.class)) {
            StampedMessage message = new StampedMessage();
            message.id = 1L;
            factory.inTransaction(session -> session.persist(message));
        }
        try (SessionFactory factory = scope.build(CallbackMessage.class)) {
            CallbackMessage message = new CallbackMessage();
            message.id = 2L;
            factory.inTransaction(session -> session.persist(message));
        }
        try (SessionFactory factory = scope.build(DatabaseStampedMessage.class)) {
            DatabaseStampedMessage message = new DatabaseStampedMessage();
            message.id = 3L;
            factory.inTransaction(session -> session.persist(message));
            assertThat(message.createdAt).as("the database's default is read back").isNotNull();
        }
        assertThat(rows(db, "SELECT id || ' ' || tableoid::regclass FROM kf_messages ORDER BY id"))
                .as("@CreationTimestamp, @PrePersist and a column default each set the key before the row reached its partition")
                .containsExactly("1 kf_messages_now", "2 kf_messages_now", "3 kf_messages_now");
    }

    @Test
    void aKeyTheDatabaseLeavesNullIsReportedAsMissing(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        messages(db);
        db.execute("ALTER TABLE kf_messages ALTER COLUMN created_at DROP DEFAULT");
        try (SessionFactory factory = scope.build(DatabaseStampedMessage.class)) {
            DatabaseStampedMessage message = new DatabaseStampedMessage();
            message.id = 4L;
            assertThatThrownBy(() -> factory.inTransaction(session -> session.persist(message)))
                    .as("the server's refusal of the null key, translated")
                    .hasRootCauseInstanceOf(java.sql.SQLException.class)
                    .satisfies(e -> assertThat(causeOfType(e, PartitionKeyMissingException.class)).hasMessage(
                            "Cannot insert DatabaseStampedMessage: partition key attribute 'createdAt' (column created_at of table "
                                    + "kf_messages, partitioned by RANGE) is null. Set DatabaseStampedMessage.createdAt before "
                                    + "persisting: PostgreSQL needs it to choose the partition."));
            db.execute("CREATE TABLE kf_messages_rest PARTITION OF kf_messages DEFAULT");
            assertThatThrownBy(() -> factory.inTransaction(session -> session.persist(message)))
                    .as("with a default partition the row is routed and refused there by NOT NULL: the same translation")
                    .satisfies(e -> assertThat(causeOfType(e, PartitionKeyMissingException.class)).isNotNull());
        }
        assertThat(rows(db, "SELECT id FROM kf_messages")).as("nothing was inserted").isEmpty();
    }

    private static <T extends Throwable> T causeOfType(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the chain of " + e, e);
    }

    @Test
    void aHashKeyInsideASequenceGeneratedIdentifier(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        db.execute("CREATE SEQUENCE kf_tickets_seq",
                "CREATE TABLE kf_tickets (id bigint PRIMARY KEY, subject text) PARTITION BY HASH (id)",
                "CREATE TABLE kf_tickets_0 PARTITION OF kf_tickets FOR VALUES WITH (MODULUS 2, REMAINDER 0)",
                "CREATE TABLE kf_tickets_1 PARTITION OF kf_tickets FOR VALUES WITH (MODULUS 2, REMAINDER 1)");
        try (SessionFactory factory = scope.build(Ticket.class)) {
            factory.inTransaction(session -> {
                for (int i = 0; i < 4; i++) {
                    Ticket ticket = new Ticket();
                    ticket.subject = "t" + i;
                    session.persist(ticket);
                }
            });
        }
        assertThat(rows(db, "SELECT count(*) FROM kf_tickets")).as("the generated id is the key").containsExactly("4");
    }

    @Test
    void convertedCharacterAndRoundedKeysAreLeftToTheServer(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        db.execute("DROP TABLE IF EXISTS kf_readings",
                "CREATE TABLE kf_items (id bigint NOT NULL, source text NOT NULL) PARTITION BY LIST (source)",
                "CREATE TABLE kf_items_a PARTITION OF kf_items FOR VALUES IN ('A')",
                "CREATE TABLE kf_items_m PARTITION OF kf_items FOR VALUES IN ('M')",
                "CREATE TABLE kf_padded (id bigint NOT NULL, code character(3) NOT NULL) PARTITION BY LIST (code)",
                "CREATE TABLE kf_padded_a PARTITION OF kf_padded FOR VALUES IN ('a  ')",
                "CREATE TABLE kf_readings (id bigint NOT NULL, read_at timestamp(0) NOT NULL) PARTITION BY RANGE (read_at)",
                "CREATE TABLE kf_readings_d1 PARTITION OF kf_readings FOR VALUES FROM ('2024-05-01') TO ('2024-05-02')",
                "CREATE TABLE kf_readings_d2 PARTITION OF kf_readings FOR VALUES FROM ('2024-05-02') TO ('2024-05-03')",
                "CREATE TABLE kf_readings_later PARTITION OF kf_readings FOR VALUES FROM ('2025-01-01') TO (MAXVALUE)");
        try (SessionFactory factory = scope.build(ConvertedItem.class, PaddedItem.class, SecondReading.class)) {
            factory.inTransaction(session -> {
                ConvertedItem item = new ConvertedItem();
                item.id = 1L;
                item.source = Source.MANUAL;
                session.persist(item);
                PaddedItem padded = new PaddedItem();
                padded.id = 2L;
                padded.code = "a";
                session.persist(padded);
                SecondReading reading = new SecondReading();
                reading.id = 3L;
                reading.readAt = LocalDateTime.of(2024, 5, 1, 23, 59, 59, 600_000_000);
                session.persist(reading);
            });
            SecondReading beyond = new SecondReading();
            beyond.id = 4L;
            beyond.readAt = LocalDateTime.of(2024, 5, 2, 23, 59, 59, 600_000_000);
            assertThatThrownBy(() -> factory.inTransaction(session -> session.persist(beyond)))
                    .as("what the server refuses is still refused, in pgpartition's words")
                    .satisfies(e -> assertThat(causeOfType(e, NoPartitionForKeyException.class)).hasMessage(
                            "No partition of table kf_readings accepts partition key value 2024-05-03 00:00:00. Create a partition "
                                    + "for this value or run partition maintenance. Server detail: Partition key of the failing row "
                                    + "contains (read_at) = (2024-05-03 00:00:00)."));
        }
        assertThat(rows(db, "SELECT tableoid::regclass::text FROM kf_items UNION ALL SELECT tableoid::regclass::text FROM kf_padded "
                + "UNION ALL SELECT tableoid::regclass::text FROM kf_readings"))
                .as("converted 'M', char(3) 'a' and 23:59:59.6 rounded to the next day each landed where the server put them")
                .containsExactly("kf_items_m", "kf_padded_a", "kf_readings_d2");
    }

    @Test
    void aJdbcTimeZoneLeavesLocalTimesToTheServer(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        db.execute("DROP TABLE IF EXISTS kf_readings",
                "CREATE TABLE kf_readings (id bigint NOT NULL, read_at timestamp NOT NULL) PARTITION BY RANGE (read_at)",
                "CREATE TABLE kf_readings_d1 PARTITION OF kf_readings FOR VALUES FROM ('2024-05-01') TO ('2024-05-02')",
                "CREATE TABLE kf_readings_later PARTITION OF kf_readings FOR VALUES FROM ('2025-01-01') TO (MAXVALUE)");
        java.util.TimeZone jvmZone = java.util.TimeZone.getDefault();
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
        try (SessionFactory factory = scope.build(Map.of("hibernate.jdbc.time_zone", "Pacific/Auckland"), SecondReading.class)) {
            for (int hour = 0; hour < 24; hour += 6) {
                for (LocalDate day : List.of(LocalDate.of(2024, 4, 30), LocalDate.of(2024, 5, 1))) {
                    SecondReading reading = new SecondReading();
                    reading.id = (long) (day.getDayOfMonth() * 100 + hour);
                    reading.readAt = day.atTime(hour, 0);
                    try {
                        factory.inTransaction(session -> session.persist(reading));
                    } catch (RuntimeException refused) {
                        assertThat(causeOfType(refused, NoPartitionForKeyException.class).getCause())
                                .as("%s: refused only by the server itself", reading.readAt)
                                .isInstanceOf(java.sql.SQLException.class);
                    }
                }
            }
        } finally {
            java.util.TimeZone.setDefault(jvmZone);
        }
        assertThat(rows(db, "SELECT id || ' ' || read_at FROM kf_readings ORDER BY id"))
                .as("Hibernate shifts local times by Auckland's +12:00: April 30 from noon lands in May 1's partition, "
                        + "which the client alone would have refused")
                .containsExactly("100 2024-05-01 12:00:00", "106 2024-05-01 18:00:00",
                        "3012 2024-05-01 00:00:00", "3018 2024-05-01 06:00:00");
    }
}
