package io.pgpartition.test;

import io.pgpartition.pruning.FullScan;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * {@link FailOnUnprunedStatements} seen from outside: an example class (nested, so the build does not run it on its own)
 * runs through the JUnit launcher on watched JDBC connections, and only its test that ran an unpruned statement fails.
 */
class FailOnUnprunedStatementsTest {

    static volatile int unprunedLine;

    @Test
    void onlyTheTestThatRanAnUnprunedStatementFailsWithItsReport() {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Example.class)).build(), listener);
        TestExecutionSummary summary = listener.getSummary();

        assertThat(summary.getTestsSucceededCount()).as("pruned, intended and batched statements pass").isEqualTo(3);
        assertThat(summary.getFailures()).as("one test fails").singleElement().satisfies(failure -> assertThat(failure.getException())
                .isInstanceOf(org.opentest4j.AssertionFailedError.class)
                .hasMessage("1 statement in this test can touch every partition of a table:\n- Unpruned statement: statement can "
                        + "touch all 3 partitions of public.fo_visits (partition key RANGE (day)), run at "
                        + "io.pgpartition.test.FailOnUnprunedStatementsTest$Example.readsEveryPartition(FailOnUnprunedStatementsTest.java:"
                        + unprunedLine + "): SELECT count(*) FROM fo_visits WHERE site = ?. Fix: add a condition on day to its WHERE "
                        + "clause (an equality, a range or an IN list PostgreSQL can prune with). If reading every partition is meant, "
                        + "run it inside FullScan.intended(...) or put the comment /* pgpartition:full-scan */ in its SQL."));
    }

    @PostgresTest
    @FailOnUnprunedStatements
    static class Example {

        @BeforeAll
        static void tables(TestDatabase db) {
            db.execute("CREATE TABLE fo_visits (id bigint, day date NOT NULL, site int) PARTITION BY RANGE (day)",
                    "CREATE TABLE fo_visits_2025 PARTITION OF fo_visits FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                    "CREATE TABLE fo_visits_2026 PARTITION OF fo_visits FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                    "CREATE TABLE fo_visits_rest PARTITION OF fo_visits DEFAULT");
        }

        @AfterEach
        void cleanUp(TestDatabase db) throws SQLException {
            try (Connection connection = PartitionAssertions.watched(db.connection()); Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM fo_visits");
            }
        }

        @Test
        void readsOneYear(TestDatabase db) throws SQLException {
            try (Connection connection = PartitionAssertions.watched(db.connection());
                 PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM fo_visits WHERE day >= ? AND day < ?")) {
                statement.setObject(1, LocalDate.of(2026, 1, 1));
                statement.setObject(2, LocalDate.of(2027, 1, 1));
                try (ResultSet rs = statement.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
            }
        }

        @Test
        void readsEveryPartition(TestDatabase db) throws SQLException {
            try (Connection connection = PartitionAssertions.watched(db.connection());
                 PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM fo_visits WHERE site = ?")) {
                statement.setInt(1, 7);
                unprunedLine = new Throwable().getStackTrace()[0].getLineNumber() + 1;
                statement.executeQuery().close();
            }
        }

        @Test
        void readsEveryPartitionOnPurpose(TestDatabase db) throws SQLException {
            try (Connection connection = PartitionAssertions.watched(db.connection()); Statement statement = connection.createStatement()) {
                FullScan.intended(() -> {
                    try {
                        statement.executeQuery("SELECT count(*) FROM fo_visits").close();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                statement.executeQuery("SELECT /* pgpartition:full-scan */ max(day) FROM fo_visits").close();
            }
        }

        @Test
        void insertsInABatch(TestDatabase db) throws SQLException {
            try (Connection connection = PartitionAssertions.watched(db.connection());
                 PreparedStatement statement = connection.prepareStatement("INSERT INTO fo_visits VALUES (?, ?, ?)")) {
                for (int i = 0; i < 3; i++) {
                    statement.setLong(1, i);
                    statement.setObject(2, LocalDate.of(2026, 2, 1 + i));
                    statement.setInt(3, i);
                    statement.addBatch();
                }
                assertThat(statement.executeBatch()).hasSize(3);
                assertThat(statement.getConnection()).as("the statement hands out the watched connection").isSameAs(connection);
            }
        }
    }
}
