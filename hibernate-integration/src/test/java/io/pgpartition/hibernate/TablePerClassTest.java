package io.pgpartition.hibernate;

import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code TABLE_PER_CLASS}: {@code @PartitionedBy} on the abstract root partitions each concrete subclass's own table. */
@HibernateTest
class TablePerClassTest {

    @Entity(name = "Remittance")
    @Inheritance(strategy = InheritanceType.TABLE_PER_CLASS)
    @PartitionedBy(range = "paidOn")
    abstract static class Remittance {
        @Id Long id;
        @Column(name = "paid_on", nullable = false) LocalDate paidOn;
        Long cents;
    }

    @Entity(name = "CardRemittance")
    @Table(name = "tpc_card")
    static class CardRemittance extends Remittance {
        String card;
    }

    @Entity(name = "WireRemittance")
    @Table(name = "tpc_wire")
    static class WireRemittance extends Remittance {
        String iban;
    }

    @Test
    void eachConcreteTableIsAPartitionedTableOfItsOwn(TestDatabase db, SessionFactoryScope scope) {
        for (String table : new String[]{"tpc_card", "tpc_wire"}) {
            String extra = table.equals("tpc_card") ? "card" : "iban";
            db.execute("CREATE TABLE " + table + " (id bigint NOT NULL, paid_on date NOT NULL, cents bigint, " + extra + " text, "
                            + "PRIMARY KEY (id, paid_on)) PARTITION BY RANGE (paid_on)",
                    "CREATE TABLE " + table + "_all PARTITION OF " + table + " FOR VALUES FROM (MINVALUE) TO (MAXVALUE)");
        }
        try (SessionFactory factory = scope.build(Remittance.class, CardRemittance.class, WireRemittance.class)) {
            factory.inTransaction(session -> {
                CardRemittance card = new CardRemittance();
                card.id = 1L;
                card.paidOn = LocalDate.parse("2024-05-01");
                session.persist(card);
            });
            assertThatThrownBy(() -> factory.inTransaction(session -> session.find(CardRemittance.class, 1L).paidOn = LocalDate.parse("2024-06-01")))
                    .isInstanceOf(PartitionKeyChangedException.class)
                    .hasMessage("Cannot update CardRemittance with id 1: partition key attribute 'paidOn' would change from 2024-05-01 to "
                            + "2024-06-01. The partition key of a stored row never changes: delete the row and insert a new one instead.");
            assertThat(factory.<LocalDate>fromTransaction(session -> session.find(Remittance.class, 1L).paidOn))
                    .as("read through the root").isEqualTo(LocalDate.parse("2024-05-01"));
        }
    }
}
