package io.pgpartition.cli;

import io.pgpartition.MappingProblem;
import io.pgpartition.PartitionMappingException;
import io.pgpartition.ProblemCode;
import io.pgpartition.annotations.HashPartitions;
import io.pgpartition.annotations.ListPartition;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import io.pgpartition.test.PartitionAssertions;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The command startup validation prints for a table that is not partitioned yet runs as printed: split into words by
 * a real shell, run by this command line (the password typed at its prompt), and the next bootstrap finds nothing.
 */
@HibernateTest
class PrintedFixesTest {

    @Entity(name = "Order")
    @Table(name = "pf_orders")
    @PartitionedBy(range = "createdAt")
    @RangePartitions(interval = "1 month", premake = 2, naming = "{table}_{yyyy}_{MM}", defaultPartition = true,
            retention = "24 months", zone = "Europe/Paris")
    static class Order {
        @Id Long id;
        @Column(name = "created_at", nullable = false) LocalDateTime createdAt;
    }

    @Entity(name = "Item")
    @Table(name = "pf_items")
    @PartitionedBy(list = "kind")
    @ListPartition(name = "pf_items_books", values = "book")
    @ListPartition(name = "pf_items_music", values = {"cd", "vinyl record"})
    static class Item {
        @Id Long id;
        @Column(nullable = false) String kind;
    }

    @Entity(name = "Visit")
    @Table(name = "pf_visits")
    @PartitionedBy(hash = "userId")
    @HashPartitions(modulus = 4, naming = "{table}_part{remainder}")
    static class Visit {
        @Id Long id;
        @Column(name = "user_id", nullable = false) UUID userId;
    }

    @Test
    void aRangeTablesConversionRunsAsPrinted(TestDatabase db, SessionFactoryScope scope) throws Exception {
        db.execute("CREATE TABLE pf_orders (id bigint PRIMARY KEY, created_at timestamp NOT NULL)",
                "INSERT INTO pf_orders SELECT g, now() - g * interval '1 day' FROM generate_series(1, 90) g");

        String command = convertCommand(scope, Order.class);

        assertThat(command).isEqualTo("pgpartition convert run pf_orders --by 'range(created_at)' --interval '1 month' "
                + "--premake 2 --naming '{table}_{yyyy}_{MM}' --default-partition "
                + "--zone Europe/Paris " + connection(db));
        runAsPrinted(db, command);
        try (SessionFactory converted = scope.build(Order.class)) {
            assertThat(converted.isOpen()).as("the converted table validates").isTrue();
        }
        assertThat(count(db, "pf_orders")).as("every row kept").isEqualTo(90);
        try (Connection connection = db.connection()) {
            assertThat(PartitionAssertions.partitionOf(connection, "pf_orders", "id = ?", 1L)).as("named as the annotation says")
                    .matches("pf_orders_\\d{4}_\\d{2}");
        }
    }

    @Test
    void aListTablesConversionRunsAsPrinted(TestDatabase db, SessionFactoryScope scope) throws Exception {
        db.execute("CREATE TABLE pf_items (id bigint PRIMARY KEY, kind text NOT NULL)",
                "INSERT INTO pf_items VALUES (1, 'book'), (2, 'cd'), (3, 'vinyl record')");

        String command = convertCommand(scope, Item.class);

        assertThat(command).isEqualTo("pgpartition convert run pf_items --by 'list(kind)' --list pf_items_books=book "
                + "--list 'pf_items_music=cd,vinyl record' " + connection(db));
        runAsPrinted(db, command);
        try (SessionFactory converted = scope.build(Item.class); Connection connection = db.connection()) {
            assertThat(converted.isOpen()).as("the converted table validates").isTrue();
            assertThat(PartitionAssertions.partitionOf(connection, "pf_items", "id = ?", 3L)).isEqualTo("pf_items_music");
        }
    }

    @Test
    void aHashTablesConversionRunsAsPrinted(TestDatabase db, SessionFactoryScope scope) throws Exception {
        db.execute("CREATE TABLE pf_visits (id bigint PRIMARY KEY, user_id uuid NOT NULL)",
                "INSERT INTO pf_visits SELECT g, gen_random_uuid() FROM generate_series(1, 40) g");

        String command = convertCommand(scope, Visit.class);

        assertThat(command).isEqualTo("pgpartition convert run pf_visits --by 'hash(user_id)' --hash-modulus 4 "
                + "--naming '{table}_part{remainder}' " + connection(db));
        runAsPrinted(db, command);
        try (SessionFactory converted = scope.build(Visit.class)) {
            assertThat(converted.isOpen()).as("the converted table validates").isTrue();
        }
        assertThat(count(db, "pf_visits")).isEqualTo(40);
    }

    /** The command printed as the fix of the one TABLE_NOT_PARTITIONED problem. */
    private static String convertCommand(SessionFactoryScope scope, Class<?> entity) {
        String[] fix = new String[1];
        assertThatThrownBy(() -> scope.build(entity)).isInstanceOfSatisfying(PartitionMappingException.class, e -> {
            MappingProblem problem = e.getProblems().stream().filter(p -> p.code() == ProblemCode.TABLE_NOT_PARTITIONED)
                    .findFirst().orElseThrow();
            String message = problem.message();
            String start = "Fix: convert it online, keeping its rows and concurrent writes (pgpartition convert analyze first): ";
            assertThat(message).contains(start).endsWith(", or remove @PartitionedBy");
            fix[0] = message.substring(message.indexOf(start) + start.length(), message.length() - ", or remove @PartitionedBy".length());
        });
        return fix[0];
    }

    /** The connection options validation prints for the test database: as Hibernate reached it, the password prompted for. */
    private static String connection(TestDatabase db) {
        String url = db.jdbcUrl().matches("[A-Za-z0-9_./:=@%+,-]+") ? db.jdbcUrl() : "'" + db.jdbcUrl() + "'";
        boolean userInUrl = db.jdbcUrl().contains("?user=") || db.jdbcUrl().contains("&user=");
        return "--url " + url + (db.user() == null || userInUrl ? "" : " -U " + db.user()) + " -W";
    }

    /** Splits the command into words with a real shell, as a terminal would, and runs it, typing the password. */
    private static void runAsPrinted(TestDatabase db, String command) throws Exception {
        Process shell = new ProcessBuilder("bash", "-c", "printf '%s\\0' " + command).redirectErrorStream(true).start();
        String words = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor(10, TimeUnit.SECONDS)).isTrue();
        List<String> argv = Arrays.asList(words.split("\0"));
        assertThat(argv.get(0)).isEqualTo("pgpartition");
        InputStream stdin = System.in;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        System.setIn(new ByteArrayInputStream(((db.password() == null ? "" : db.password()) + "\n").getBytes(StandardCharsets.UTF_8)));
        try {
            var commandLine = PgPartitionCommand.commandLine();
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            int exit = commandLine.execute(argv.subList(1, argv.size()).toArray(String[]::new));
            assertThat(exit).as("exit status; printed:%n%s%n%s", out, err).isZero();
        } finally {
            System.setIn(stdin);
        }
    }

    private static long count(TestDatabase db, String table) throws SQLException {
        try (Connection connection = db.connection(); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
