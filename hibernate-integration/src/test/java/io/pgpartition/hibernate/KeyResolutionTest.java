package io.pgpartition.hibernate;

import io.pgpartition.MappingProblem;
import io.pgpartition.PartitionMappingException;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorColumn;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Key attributes resolve to the columns the real mapping gives them.
 */
@HibernateTest
class KeyResolutionTest {

    @BeforeAll
    static void createTables(TestDatabase db) {
        db.execute(
                "CREATE TABLE invoice_line (id bigint, booked_on date NOT NULL) PARTITION BY RANGE (booked_on)",
                "CREATE TABLE invoice_line_all PARTITION OF invoice_line FOR VALUES FROM (MINVALUE) TO (MAXVALUE)",
                "CREATE TABLE ledger (entry_no bigint NOT NULL, posted_on date NOT NULL) PARTITION BY RANGE (posted_on)",
                "CREATE TABLE ledger_all PARTITION OF ledger FOR VALUES FROM (MINVALUE) TO (MAXVALUE)",
                "CREATE TABLE audit_events (id bigint, recorded_at timestamp NOT NULL) PARTITION BY RANGE (recorded_at)",
                "CREATE TABLE audit_events_all PARTITION OF audit_events FOR VALUES FROM (MINVALUE) TO (MAXVALUE)",
                "CREATE TABLE payments (id bigint, kind text NOT NULL) PARTITION BY LIST (kind)",
                "CREATE TABLE payments_card PARTITION OF payments FOR VALUES IN ('CARD')",
                "CREATE TABLE tickets (id bigint, priority smallint NOT NULL) PARTITION BY LIST (priority)",
                "CREATE TABLE tickets_low PARTITION OF tickets FOR VALUES IN (0)",
                "CREATE TABLE tickets_mid PARTITION OF tickets FOR VALUES IN (1)");
    }

    @Entity(name = "InvoiceLine")
    @PartitionedBy(range = "bookedOn")
    static class InvoiceLine {
        @Id Long id;
        @Column(nullable = false) LocalDate bookedOn;
    }

    @Test
    void physicalNamingStrategyIsApplied(SessionFactoryScope scope) {
        try (SessionFactory factory = scope.build(
                Map.of("hibernate.physical_naming_strategy", "org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy"),
                InvoiceLine.class)) {
            assertThat(factory.isOpen()).as("InvoiceLine.bookedOn resolves to invoice_line.booked_on").isTrue();
        }
    }

    @Embeddable
    static class LedgerId implements Serializable {
        @Column(name = "entry_no") Long entryNo;
        @Column(name = "posted_on") LocalDate postedOn;

        @Override
        public boolean equals(Object o) {
            return o instanceof LedgerId l && Objects.equals(entryNo, l.entryNo) && Objects.equals(postedOn, l.postedOn);
        }

        @Override
        public int hashCode() {
            return Objects.hash(entryNo, postedOn);
        }
    }

    @Entity(name = "LedgerEntry")
    @Table(name = "ledger")
    @PartitionedBy(range = "postedOn")
    static class LedgerEntry {
        @EmbeddedId LedgerId id;
    }

    @Test
    void embeddedIdMemberIsAKeyAttribute(SessionFactoryScope scope) {
        try (SessionFactory factory = scope.build(LedgerEntry.class)) {
            assertThat(factory.isOpen()).as("postedOn inside the @EmbeddedId resolves to posted_on, not null").isTrue();
        }
    }

    @MappedSuperclass
    @PartitionedBy(range = "recordedAt")
    abstract static class Recorded {
        @Column(name = "recorded_at", nullable = false) LocalDateTime recordedAt;
    }

    @Entity(name = "AuditEvent")
    @Table(name = "audit_events")
    static class AuditEvent extends Recorded {
        @Id Long id;
    }

    @Test
    void annotationAndKeyFromAMappedSuperclass(SessionFactoryScope scope) {
        try (SessionFactory factory = scope.build(AuditEvent.class)) {
            assertThat(factory.isOpen()).as("@PartitionedBy and recordedAt inherited from a @MappedSuperclass").isTrue();
        }
    }

    @Entity(name = "Payment")
    @Table(name = "payments")
    @Inheritance(strategy = InheritanceType.SINGLE_TABLE)
    @DiscriminatorColumn(name = "kind")
    @PartitionedBy(list = "kind")
    abstract static class Payment {
        @Id Long id;
        @Column(name = "kind", nullable = false, insertable = false, updatable = false) String kind;
    }

    @Entity(name = "CardPayment")
    @DiscriminatorValue("CARD")
    static class CardPayment extends Payment {
    }

    @Entity(name = "WirePayment")
    @DiscriminatorValue("WIRE")
    static class WirePayment extends Payment {
    }

    @Test
    void singleTableDiscriminatorValuesNeedPartitions(SessionFactoryScope scope) {
        assertThatThrownBy(() -> scope.build(Payment.class, CardPayment.class, WirePayment.class).close())
                .isInstanceOfSatisfying(PartitionMappingException.class, e -> assertThat(e.getProblems())
                        .extracting(MappingProblem::toString)
                        .as("the abstract root has no value; CARD has a partition; WIRE does not")
                        .containsExactly("[LIST_VALUE_UNCOVERED] Payment -> payments: value 'WIRE' of kind has no partition and the "
                                + "table has no default partition; found partitions for ('CARD'), expected one for 'WIRE'. Fix: "
                                + "CREATE TABLE \"public\".\"payments_wire\" PARTITION OF \"public\".\"payments\" FOR VALUES IN ('WIRE')"));
    }

    enum Priority { LOW, MEDIUM, HIGH }

    @Entity(name = "Ticket")
    @Table(name = "tickets")
    @PartitionedBy(list = "priority")
    static class Ticket {
        @Id Long id;
        @Column(nullable = false) Priority priority;
    }

    @Test
    void ordinalEnumsNeedAPartitionPerOrdinal(SessionFactoryScope scope) {
        assertThatThrownBy(() -> scope.build(Ticket.class).close())
                .isInstanceOfSatisfying(PartitionMappingException.class, e -> assertThat(e.getProblems())
                        .extracting(MappingProblem::toString)
                        .as("HIGH is stored as 2, which no partition lists")
                        .containsExactly("[LIST_VALUE_UNCOVERED] Ticket -> tickets: value 2 of priority has no partition and the "
                                + "table has no default partition; found partitions for (0, 1), expected one for 2. Fix: CREATE TABLE "
                                + "\"public\".\"tickets_2\" PARTITION OF \"public\".\"tickets\" FOR VALUES IN (2)"));
    }
}
