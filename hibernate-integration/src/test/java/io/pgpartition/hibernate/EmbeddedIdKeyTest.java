package io.pgpartition.hibernate;

import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A key inside an {@code @EmbeddedId}, changed in place on a managed entity: refused, not dropped. */
@HibernateTest
class EmbeddedIdKeyTest {

    @Embeddable
    static class EntryId implements Serializable {
        @Column(name = "entry_no") Long entryNo;
        @Column(name = "posted_on") LocalDate postedOn;

        EntryId() {
        }

        EntryId(Long entryNo, LocalDate postedOn) {
            this.entryNo = entryNo;
            this.postedOn = postedOn;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EntryId e && Objects.equals(entryNo, e.entryNo) && Objects.equals(postedOn, e.postedOn);
        }

        @Override
        public int hashCode() {
            return Objects.hash(entryNo, postedOn);
        }

        @Override
        public String toString() {
            return entryNo + "/" + postedOn;
        }
    }

    @Entity(name = "JournalEntry")
    @Table(name = "eik_journal")
    @PartitionedBy(range = "postedOn")
    static class JournalEntry {
        @EmbeddedId EntryId id;
        String memo;
    }

    @Embeddable
    record DayId(@Column(name = "entry_no") Long no, @Column(name = "day") LocalDate day) implements Serializable {
    }

    @Entity(name = "DailyEntry")
    @Table(name = "eik_daily")
    @PartitionedBy(range = "key.day")
    static class DailyEntry {
        @EmbeddedId DayId key;
        String memo;
    }

    @Embeddable
    static class Place {
        @Column(name = "region") String region;
    }

    @Entity(name = "PlacedEntry")
    @Table(name = "eik_placed")
    @PartitionedBy(list = "place.region")
    static class PlacedEntry {
        @jakarta.persistence.Id Long id;
        @jakarta.persistence.Embedded Place place;
    }

    private static String where(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT posted_on || ' ' || tableoid::regclass FROM eik_journal")) {
            return rs.next() ? rs.getString(1) : "gone";
        }
    }

    @Test
    void aKeyChangedInsideTheIdentifierIsRefused(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        db.execute("CREATE TABLE eik_journal (entry_no bigint NOT NULL, posted_on date NOT NULL, memo text, "
                        + "PRIMARY KEY (entry_no, posted_on)) PARTITION BY RANGE (posted_on)",
                "CREATE TABLE eik_journal_2024 PARTITION OF eik_journal FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE eik_journal_rest PARTITION OF eik_journal FOR VALUES FROM ('2025-01-01') TO (MAXVALUE)");
        try (SessionFactory factory = scope.build(JournalEntry.class)) {
            factory.inTransaction(session -> {
                JournalEntry entry = new JournalEntry();
                entry.id = new EntryId(1L, LocalDate.parse("2024-05-01"));
                session.persist(entry);
            });
            assertThatThrownBy(() -> factory.inTransaction(session ->
                    session.find(JournalEntry.class, new EntryId(1L, LocalDate.parse("2024-05-01"))).id.postedOn = LocalDate.parse("2025-05-01")))
                    .as("changed in place inside the @EmbeddedId").isInstanceOf(PartitionKeyChangedException.class)
                    .hasMessage("Cannot update JournalEntry with id 1/2024-05-01: partition key attribute 'postedOn' would change from "
                            + "2024-05-01 to 2025-05-01. The partition key of a stored row never changes: delete the row and insert a new one "
                            + "instead.");
            assertThatThrownBy(() -> factory.inTransaction(session -> {
                JournalEntry entry = new JournalEntry();
                entry.id = new EntryId(2L, LocalDate.parse("2024-06-01"));
                session.persist(entry);
                session.flush();
                entry.id.postedOn = LocalDate.parse("2024-07-01");
            })).as("changed after the insert, in the same session").isInstanceOf(PartitionKeyChangedException.class);
            factory.inTransaction(session ->
                    session.find(JournalEntry.class, new EntryId(1L, LocalDate.parse("2024-05-01"))).memo = "kept");
        }
        assertThat(where(db)).as("the row is where it was, and other attributes still change").isEqualTo("2024-05-01 eik_journal_2024");
    }

    @Test
    void aRecordIdentifiersMemberNamedThroughTheIdentifierIsAKey(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        db.execute("CREATE TABLE eik_daily (entry_no bigint NOT NULL, day date NOT NULL, memo text, PRIMARY KEY (entry_no, day)) "
                        + "PARTITION BY RANGE (day)",
                "CREATE TABLE eik_daily_2024 PARTITION OF eik_daily FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE eik_daily_rest PARTITION OF eik_daily FOR VALUES FROM ('2025-01-01') TO (MAXVALUE)");
        try (SessionFactory factory = scope.build(DailyEntry.class)) {
            factory.inTransaction(session -> {
                DailyEntry entry = new DailyEntry();
                entry.key = new DayId(1L, LocalDate.parse("2024-05-01"));
                session.persist(entry);
            });
            assertThatThrownBy(() -> factory.inTransaction(session -> {
                DailyEntry entry = new DailyEntry();
                entry.key = new DayId(2L, LocalDate.parse("2023-05-01"));
                session.persist(entry);
            })).as("a day no partition takes, refused before any SQL").isInstanceOf(io.pgpartition.NoPartitionForKeyException.class)
                    .hasNoCause()
                    .hasMessage("No partition of table eik_daily accepts partition key value '2023-05-01'; nearest partitions: "
                            + "eik_daily_2024. Create a partition for this value or run partition maintenance.");
        }
    }

    @Test
    void aKeyInsideAnEmbeddedIsRefusedWithTheWayOut(TestDatabase db, SessionFactoryScope scope) {
        db.execute("CREATE TABLE eik_placed (id bigint NOT NULL, region text NOT NULL) PARTITION BY LIST (region)",
                "CREATE TABLE eik_placed_eu PARTITION OF eik_placed FOR VALUES IN ('eu')");
        assertThatThrownBy(() -> scope.build(PlacedEntry.class).close())
                .isInstanceOf(io.pgpartition.PartitionMappingException.class)
                .hasMessageContaining("[KEY_ATTRIBUTE_UNKNOWN] PlacedEntry -> eik_placed: key attribute 'place.region' is not a basic "
                        + "attribute of the entity's @EmbeddedId (a key inside an @Embedded other than the identifier is not supported); "
                        + "found attributes [id], expected one of them, or <id>.<member>. Fix: map the key's column as a basic attribute "
                        + "of PlacedEntry and name it in @PartitionedBy; the embeddable's attribute on the same column then takes "
                        + "@Column(insertable = false, updatable = false)");
    }
}
