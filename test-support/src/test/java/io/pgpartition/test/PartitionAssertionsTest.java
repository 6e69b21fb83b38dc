package io.pgpartition.test;

import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@PostgresTest
class PartitionAssertionsTest {

    @BeforeAll
    static void createTable(TestDatabase db) {
        db.execute("CREATE TABLE lines (id bigint NOT NULL, day date NOT NULL) PARTITION BY RANGE (day)",
                "CREATE TABLE lines_m04 PARTITION OF lines FOR VALUES FROM ('2024-04-01') TO ('2024-05-01')",
                "CREATE TABLE lines_m05 PARTITION OF lines FOR VALUES FROM ('2024-05-01') TO ('2024-06-01')",
                "CREATE TABLE lines_m06 PARTITION OF lines FOR VALUES FROM ('2024-06-01') TO ('2024-07-01')",
                "INSERT INTO lines VALUES (1, '2024-04-10'), (2, '2024-05-10'), (3, '2024-06-10')");
    }

    @Test
    void namesThePartitionOfARow(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            assertThat(PartitionAssertions.partitionOf(connection, "lines", "id = ?", 2L)).as("row 2").isEqualTo("lines_m05");
            PartitionAssertions.assertStoredIn(connection, "lines_m06", "lines", "id = ?", 3L);
            assertThatThrownBy(() -> PartitionAssertions.assertStoredIn(connection, "lines_m04", "lines", "id = ?", 3L))
                    .isInstanceOf(AssertionFailedError.class)
                    .hasMessage("Expected the row of lines where id = ? in partition lines_m04, but it is in lines_m06");
            assertThatThrownBy(() -> PartitionAssertions.partitionOf(connection, "lines", "id > ?", 0L))
                    .hasMessage("Expected the rows of lines where id > ? to sit in one partition, but they sit in [lines_m04, lines_m05, lines_m06]");
        }
    }

    @Test
    void countsPlanTimePruning(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            PartitionAssertions.assertScansExactly(connection, "select * from lines where day = ?",
                    List.of(LocalDate.of(2024, 5, 10)), "lines_m05");
            assertThat(PartitionAssertions.scannedPartitions(connection, "select * from lines where id = ?", List.of(1L)))
                    .as("without the key every partition is read").containsExactly("lines_m04", "lines_m05", "lines_m06");
            assertThatThrownBy(() -> PartitionAssertions.assertScansExactly(connection, "select * from lines", List.of(), "lines_m04"))
                    .isInstanceOf(AssertionFailedError.class)
                    .hasMessage("Expected the statement to scan exactly [lines_m04], but it scanned [lines_m04, lines_m05, lines_m06]: select * from lines");
        }
    }

    @Test
    void countsRunTimePruning(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            statement.execute("SET plan_cache_mode = force_generic_plan");
            PartitionAssertions.assertScansExactly(connection, "select * from lines where day = ?",
                    List.of(LocalDate.of(2024, 6, 10)), "lines_m06");
            PartitionAssertions.assertScansExactly(connection,
                    "select * from lines where day = (select max(day) from lines_m04)", List.of(), "lines_m04");
        }
    }

    @Test
    void dmlIsMeasuredAndRolledBack(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            PartitionAssertions.assertScansExactly(connection, "delete from lines where day = ? and id = ?",
                    List.of(LocalDate.of(2024, 4, 10), 1L), "lines_m04");
            assertThat(PartitionAssertions.partitionOf(connection, "lines", "id = ?", 1L))
                    .as("the measured delete left the row in place").isEqualTo("lines_m04");
            assertThat(connection.getAutoCommit()).as("auto-commit is restored").isTrue();
        }
    }

    @Test
    void assertPrunedPassesARangeAndFailsAScanOfEveryPartitionNamingIt(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            PartitionAssertions.assertPruned(connection, "select * from lines where day >= ? and day < ?",
                    LocalDate.of(2024, 4, 1), LocalDate.of(2024, 6, 1));
            assertThatThrownBy(() -> PartitionAssertions.assertPruned(connection, "select * from lines where id = ?", 1L))
                    .isInstanceOf(org.opentest4j.AssertionFailedError.class)
                    .hasMessage("Expected the statement to be pruned, but it can touch all 3 partitions of public.lines (partition key "
                            + "RANGE (day)): select * from lines where id = ?");
        }
    }
}
