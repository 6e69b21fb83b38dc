package io.pgpartition.test;

import io.pgpartition.pruning.PruningProbe;
import io.pgpartition.pruning.StatementScan;
import io.pgpartition.pruning.TableScan;
import io.pgpartition.test.internal.WatchedConnections;
import org.opentest4j.AssertionFailedError;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Assertions for integration tests on partitioned tables: which partition holds a row, which partitions a query
 * scans, and that a statement is pruned.
 *
 * <pre>{@code
 * PartitionAssertions.assertStoredIn(connection, "content_items_auto", "content_items_all", "id = ?", 42L);
 * PartitionAssertions.assertScansExactly(connection,
 *         "select * from chat_messages where created_at >= ? and created_at < ?",
 *         List.of(start, end), "chat_messages_2024_q2");
 * }</pre>
 */
public final class PartitionAssertions {

    /** A plan node that names a relation: its type, the relation, and how often it ran. */
    private static final Pattern SCAN = Pattern.compile(
            "\"Node Type\":\\s*\"([^\"]*)\"[^{}]*?\"Relation Name\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"[^{}]*?\"Actual Loops\":\\s*(\\d+)");

    private PartitionAssertions() {
    }

    /** The partition holding the rows of {@code table} that match {@code where}; fails unless exactly one does. */
    public static String partitionOf(Connection connection, String table, String where, Object... parameters) throws SQLException {
        List<String> partitions = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT DISTINCT tableoid::regclass::text FROM " + table + " WHERE " + where + " ORDER BY 1")) {
            bind(statement, List.of(parameters));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    partitions.add(rs.getString(1));
                }
            }
        }
        if (partitions.size() != 1) {
            throw new AssertionFailedError("Expected the rows of " + table + " where " + where + " to sit in one partition, but they sit in "
                    + (partitions.isEmpty() ? "none (no such row)" : partitions));
        }
        return partitions.get(0);
    }

    /** Asserts that the rows of {@code table} matching {@code where} are stored in {@code expectedPartition}. */
    public static void assertStoredIn(Connection connection, String expectedPartition, String table, String where,
                                      Object... parameters) throws SQLException {
        String actual = partitionOf(connection, table, where, parameters);
        if (!actual.equals(expectedPartition)) {
            throw new AssertionFailedError("Expected the row of " + table + " where " + where + " in partition "
                    + expectedPartition + ", but it is in " + actual, expectedPartition, actual);
        }
    }

    /**
     * The partitions a statement reads, from {@code EXPLAIN (ANALYZE, FORMAT JSON)}: scan nodes that ran at least
     * once, so partitions pruned at planning and at run time ("Subplans Removed", "never executed") do not count.
     * The statement runs inside a savepoint that is rolled back (or a transaction, in auto-commit mode), so a DML
     * statement changes nothing.
     */
    public static Set<String> scannedPartitions(Connection connection, String sql, List<?> parameters) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        Savepoint savepoint = autoCommit ? null : connection.setSavepoint();
        try (PreparedStatement statement = connection.prepareStatement(
                "EXPLAIN (ANALYZE, FORMAT JSON, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                Set<String> scanned = new TreeSet<>();
                Matcher scan = SCAN.matcher(rs.getString(1));
                while (scan.find()) {
                    // a ModifyTable node names the statement's target table; it does not read it
                    if (!scan.group(1).equals("ModifyTable") && Long.parseLong(scan.group(3)) > 0) {
                        scanned.add(scan.group(2));
                    }
                }
                return scanned;
            }
        } finally {
            if (savepoint != null) {
                connection.rollback(savepoint);
            } else {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }

    /** Asserts that a statement reads exactly these partitions (by relation name), no more, no fewer. */
    public static void assertScansExactly(Connection connection, String sql, List<?> parameters, String... partitions)
            throws SQLException {
        Set<String> expected = new TreeSet<>(List.of(partitions));
        Set<String> actual = scannedPartitions(connection, sql, parameters);
        if (!actual.equals(expected)) {
            throw new AssertionFailedError("Expected the statement to scan exactly " + expected + ", but it scanned " + actual
                    + ": " + sql, expected, actual);
        }
    }

    /**
     * Asserts that a statement, with these parameter values, cannot touch every partition of any table it reads: it is
     * explained (not run), and the failure names the tables and the partitions it can touch.
     */
    public static void assertPruned(Connection connection, String sql, Object... parameters) throws SQLException {
        StatementScan scan = PruningProbe.explain(connection, sql, List.of(parameters));
        List<TableScan> unpruned = scan.unpruned(false);
        if (!unpruned.isEmpty()) {
            throw new AssertionFailedError("Expected the statement to be pruned, but it can touch " + unpruned.stream()
                    .map(TableScan::describe).collect(Collectors.joining(", ")) + ": " + sql);
        }
    }

    /**
     * The connection with its statements watched by {@link FailOnUnprunedStatements} (for tests that use JDBC without
     * Hibernate); outside a watched test it behaves as the connection itself.
     */
    public static Connection watched(Connection connection) {
        return WatchedConnections.watch(connection);
    }

    /** The data source, its connections watched as {@link #watched(Connection)} says. */
    public static DataSource watched(DataSource dataSource) {
        return WatchedConnections.watch(dataSource);
    }

    private static void bind(PreparedStatement statement, List<?> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }
}
