package io.pgpartition.hibernate;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code pgpartition.maintenance} at startup and on a schedule, for entities whose annotations declare a policy. */
@HibernateTest
class StartupMaintenanceTest {

    @Entity(name = "Reading")
    @Table(name = "readings")
    @PartitionedBy(range = "takenOn")
    @RangePartitions(interval = "1 month", premake = 2, naming = "{table}_y{yyyy}m{MM}")
    static class Reading {
        @Id Long id;
        @Column(name = "taken_on", nullable = false) LocalDate takenOn;
    }

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("'readings_y'yyyy'm'MM");

    /** The partition names the policy wants today: this month and the next two. */
    private static List<String> wanted() {
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        List<String> names = new ArrayList<>();
        for (int i = 0; i <= 2; i++) {
            names.add(month.plusMonths(i).format(MONTH));
        }
        return names;
    }

    /** A readings table holding only this month's partition. */
    private static void createTableWithThisMonthOnly(TestDatabase db) {
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        db.execute("DROP TABLE IF EXISTS readings",
                "CREATE TABLE readings (id bigint NOT NULL, taken_on date NOT NULL, PRIMARY KEY (id, taken_on)) PARTITION BY RANGE (taken_on)",
                "CREATE TABLE " + month.format(MONTH) + " PARTITION OF readings FOR VALUES FROM ('" + month + "') TO ('" + month.plusMonths(1) + "')");
    }

    private static List<String> partitions(TestDatabase db) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                     + "WHERE i.inhparent = 'readings'::regclass ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Test
    void verifyStopsTheBootstrapWhenThePremakeHorizonIsShort(TestDatabase db, SessionFactoryScope scope) {
        createTableWithThisMonthOnly(db);
        List<String> wanted = wanted();
        assertThatThrownBy(() -> scope.build(Map.of(PartitioningSettings.MAINTENANCE, "verify"), Reading.class).close())
                .isInstanceOfSatisfying(PartitioningException.class, e -> assertThat(e.getCode()).isEqualTo(ErrorCode.PARTITIONS_MISSING))
                .hasMessage("Partitions are missing for the premake horizon (pgpartition.maintenance=verify):\n"
                        + "  [HORIZON_SHORT] Table public.readings lacks 2 partitions its policy wants now: " + wanted.get(1) + ", "
                        + wanted.get(2) + ". Fix: run maintenance (pgpartition maintain, or pgpartition.maintenance=apply).\n"
                        + "Set pgpartition.maintenance=apply, or run 'pgpartition maintain' before starting.");
    }

    @Test
    void applyCreatesWhatIsMissingAndVerifyThenBoots(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        createTableWithThisMonthOnly(db);
        try (SessionFactory factory = scope.build(Map.of(PartitioningSettings.MAINTENANCE, "apply"), Reading.class)) {
            assertThat(partitions(db)).as("created at startup").containsExactlyElementsOf(wanted());
            factory.inTransaction(session -> {
                Reading reading = new Reading();
                reading.id = 1L;
                reading.takenOn = LocalDate.now(ZoneOffset.UTC).plusMonths(2);
                session.persist(reading);
            });
        }
        try (SessionFactory factory = scope.build(Map.of(PartitioningSettings.MAINTENANCE, "verify"), Reading.class)) {
            assertThat(factory.isOpen()).as("verify boots once the horizon is covered").isTrue();
        }
    }

    @Test
    void theSchedulerRunsMaintenanceUntilTheFactoryCloses(TestDatabase db, SessionFactoryScope scope) throws Exception {
        createTableWithThisMonthOnly(db);
        try (SessionFactory factory = scope.build(Map.of(PartitioningSettings.MAINTENANCE_INTERVAL, "200ms",
                PartitioningSettings.MAINTENANCE_LOCK_TIMEOUT, "1s"), Reading.class)) {
            assertThat(factory.isOpen()).isTrue();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (partitions(db).size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(partitions(db)).as("created by a background run").containsExactlyElementsOf(wanted());
            assertThat(maintenanceThreads()).as("one daemon thread").hasSize(1).allMatch(Thread::isDaemon);
        }
        Thread.sleep(100);
        assertThat(maintenanceThreads()).as("stopped with the session factory").isEmpty();
    }

    @Test
    void badSettingsAreRefusedByName(TestDatabase db, SessionFactoryScope scope) {
        createTableWithThisMonthOnly(db);
        assertThatThrownBy(() -> scope.build(Map.of(PartitioningSettings.MAINTENANCE, "always"), Reading.class).close())
                .hasMessage("Invalid setting pgpartition.maintenance=always; expected none, verify or apply");
        assertThatThrownBy(() -> scope.build(Map.of(PartitioningSettings.MAINTENANCE_INTERVAL, "hourly"), Reading.class).close())
                .hasMessage("Invalid setting pgpartition.maintenance.interval \"hourly\": expected a duration such as 500ms, 2s, 5m, 1h, 1d or PT2S");
    }

    private static List<Thread> maintenanceThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("pgpartition-maintenance") && t.isAlive()).toList();
    }
}
