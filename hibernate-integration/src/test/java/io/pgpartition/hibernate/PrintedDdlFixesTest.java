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
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every DDL that startup validation prints as a fix runs as printed: the test runs it and the next bootstrap finds
 * nothing. (The command printed for a table that is not partitioned yet is run by the command line's tests.)
 */
@HibernateTest
class PrintedDdlFixesTest {

    @Entity(name = "Reading")
    @Table(name = "pd_readings")
    @PartitionedBy(range = "takenAt")
    @RangePartitions(interval = "1 month", naming = "{table}_{yyyy}_{MM}")
    static class Reading {
        @Id Long id;
        @Column(name = "taken_at", nullable = false) LocalDateTime takenAt;
    }

    @Test
    void aNullableKeyColumn(TestDatabase db, SessionFactoryScope scope) {
        db.execute("DROP TABLE IF EXISTS pd_readings",
                "CREATE TABLE pd_readings (id bigint NOT NULL, taken_at timestamp) PARTITION BY RANGE (taken_at)",
                "CREATE TABLE pd_readings_all PARTITION OF pd_readings FOR VALUES FROM (MINVALUE) TO (MAXVALUE)");
        runFixAndBootAgain(db, scope, Reading.class, ProblemCode.KEY_NULLABLE,
                "ALTER TABLE \"public\".\"pd_readings\" ALTER COLUMN \"taken_at\" SET NOT NULL");
    }

    @Test
    void noPartitionsAndNowUncovered(TestDatabase db, SessionFactoryScope scope) {
        db.execute("DROP TABLE IF EXISTS pd_readings",
                "CREATE TABLE pd_readings (id bigint NOT NULL, taken_at timestamp NOT NULL) PARTITION BY RANGE (taken_at)");
        LocalDate month = LocalDate.now(java.time.ZoneOffset.UTC).withDayOfMonth(1);
        String thisMonth = "CREATE TABLE \"public\".\"pd_readings_" + month.getYear() + "_" + String.format("%02d", month.getMonthValue())
                + "\" PARTITION OF \"public\".\"pd_readings\" FOR VALUES FROM ('" + month + " 00:00:00') TO ('" + month.plusMonths(1) + " 00:00:00')";
        runFixAndBootAgain(db, scope, Reading.class, ProblemCode.NO_PARTITIONS, thisMonth);

        db.execute("DROP TABLE pd_readings",
                "CREATE TABLE pd_readings (id bigint NOT NULL, taken_at timestamp NOT NULL) PARTITION BY RANGE (taken_at)",
                "CREATE TABLE pd_readings_2020 PARTITION OF pd_readings FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')");
        runFixAndBootAgain(db, scope, Reading.class, ProblemCode.RANGE_NOW_UNCOVERED, thisMonth);
    }

    enum Channel { WEB, PHONE, STORE }

    @Entity(name = "Ticket")
    @Table(name = "pd_tickets")
    @PartitionedBy(list = "channel")
    @ListPartition(name = "pd_tickets_web", values = "WEB")
    static class Ticket {
        @Id Long id;
        @Enumerated(EnumType.STRING) @Column(nullable = false) Channel channel;
    }

    @Test
    void listValuesWithoutAPartition(TestDatabase db, SessionFactoryScope scope) {
        db.execute("CREATE TABLE pd_tickets (id bigint NOT NULL, channel text NOT NULL) PARTITION BY LIST (channel)",
                "CREATE TABLE pd_tickets_web PARTITION OF pd_tickets FOR VALUES IN ('WEB')");
        runFixAndBootAgain(db, scope, Ticket.class, ProblemCode.LIST_VALUE_UNCOVERED,
                "CREATE TABLE \"public\".\"pd_tickets_phone\" PARTITION OF \"public\".\"pd_tickets\" FOR VALUES IN ('PHONE')",
                "CREATE TABLE \"public\".\"pd_tickets_store\" PARTITION OF \"public\".\"pd_tickets\" FOR VALUES IN ('STORE')");
    }

    enum Kind { WEB, PHONE, STORE }

    @Entity(name = "Order")
    @Table(name = "pd_orders")
    @PartitionedBy(list = "kind")
    static class Order {
        @Id Long id;
        @Enumerated(EnumType.STRING) @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.NAMED_ENUM)
        @Column(nullable = false, columnDefinition = "pd_kind") Kind kind;
    }

    @Test
    void anEnumConstantThePostgresqlTypeLacks(TestDatabase db, SessionFactoryScope scope) {
        db.execute("CREATE TYPE pd_kind AS ENUM ('WEB', 'PHONE')",
                "CREATE TABLE pd_orders (id bigint NOT NULL, kind pd_kind NOT NULL) PARTITION BY LIST (kind)",
                "CREATE TABLE pd_orders_web PARTITION OF pd_orders FOR VALUES IN ('WEB')",
                "CREATE TABLE pd_orders_phone PARTITION OF pd_orders FOR VALUES IN ('PHONE')");
        String fix = "ALTER TYPE pd_kind ADD VALUE 'STORE'; CREATE TABLE \"public\".\"pd_orders_store\" PARTITION OF "
                + "\"public\".\"pd_orders\" FOR VALUES IN ('STORE')";
        assertThatThrownBy(() -> scope.build(Order.class).close()).isInstanceOfSatisfying(PartitionMappingException.class, e ->
                assertThat(e.getProblems()).extracting(problem -> problem.message().substring(problem.message().indexOf(". Fix: ") + 7))
                        .as("the fix printed").containsExactly(fix));
        db.execute(fix.split("; "));
        try (SessionFactory fixed = scope.build(Order.class)) {
            assertThat(fixed.isOpen()).as("after the printed statements, run one by one as psql runs them").isTrue();
        }
    }

    @Entity(name = "Session")
    @Table(name = "pd_sessions")
    @PartitionedBy(hash = "userId")
    @HashPartitions(modulus = 4)
    static class Session {
        @Id Long id;
        @Column(name = "user_id", nullable = false) UUID userId;
    }

    @Test
    void missingHashRemainders(TestDatabase db, SessionFactoryScope scope) {
        db.execute("CREATE TABLE pd_sessions (id bigint NOT NULL, user_id uuid NOT NULL) PARTITION BY HASH (user_id)",
                "CREATE TABLE pd_sessions_h0 PARTITION OF pd_sessions FOR VALUES WITH (MODULUS 4, REMAINDER 0)",
                "CREATE TABLE pd_sessions_h2 PARTITION OF pd_sessions FOR VALUES WITH (MODULUS 4, REMAINDER 2)");
        runFixAndBootAgain(db, scope, Session.class, ProblemCode.HASH_REMAINDER_MISSING,
                "CREATE TABLE \"public\".\"pd_sessions_h1\" PARTITION OF \"public\".\"pd_sessions\" FOR VALUES WITH (MODULUS 4, REMAINDER 1); "
                        + "CREATE TABLE \"public\".\"pd_sessions_h3\" PARTITION OF \"public\".\"pd_sessions\" FOR VALUES WITH (MODULUS 4, REMAINDER 3)");
    }

    /** Boots, expects exactly these fixes of problems of this code, runs each as printed, and boots again without a problem. */
    private static void runFixAndBootAgain(TestDatabase db, SessionFactoryScope scope, Class<?> entity, ProblemCode code,
                                           String... fixes) {
        assertThatThrownBy(() -> scope.build(entity).close()).isInstanceOfSatisfying(PartitionMappingException.class, e -> {
            assertThat(e.getProblems()).extracting(MappingProblem::code).as("the problems").containsOnly(code);
            assertThat(e.getProblems()).extracting(problem -> problem.message().substring(problem.message().indexOf(". Fix: ") + 7))
                    .as("the fixes printed").containsExactly(fixes);
        });
        db.execute(fixes);
        try (SessionFactory fixed = scope.build(entity)) {
            assertThat(fixed.isOpen()).as("after the printed fix, %s is gone", code).isTrue();
        }
    }
}
