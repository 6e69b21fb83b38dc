package io.pgpartition.catalog.internal;

import io.pgpartition.catalog.internal.Jdbc;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.ListPartitionSpec;
import io.pgpartition.policy.ListPolicy;
import io.pgpartition.policy.PartitionPolicy;
import io.pgpartition.policy.RangePolicy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the table's rows say about a conversion by {@code key}, read in one scan (plus one for a list layout).
 *
 * @param rows      the rows
 * @param nullKeys  the rows whose key is null
 * @param minKey    the least key as text (range layouts only; null otherwise or when the table is empty)
 * @param maxKey    the greatest key as text (range layouts only)
 * @param uncovered up to eleven key values no declared list partition holds
 */
public record TableData(long rows, long nullKeys, String minKey, String maxKey, List<String> uncovered) {

    /** Reads the rows of {@code table} ({@code ONLY} the table: inheritance children are not its rows). */
    public static TableData read(Connection connection, TableName table, String key, PartitionPolicy policy) throws SQLException {
        String k = Sql.identifier(key);
        boolean range = policy instanceof RangePolicy;
        String bounds = range ? ", min(" + k + ")::text, max(" + k + ")::text" : ", NULL::text, NULL::text";
        Object[] data = Jdbc.first(connection, "SELECT count(*), count(*) FILTER (WHERE " + k + " IS NULL)" + bounds + " FROM ONLY "
                + Sql.table(table), rs -> new Object[]{rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)}).orElseThrow();
        List<String> uncovered = List.of();
        if (policy instanceof ListPolicy list) {
            List<String> declared = new ArrayList<>();
            for (ListPartitionSpec partition : list.partitions()) {
                declared.addAll(partition.values());
            }
            uncovered = Jdbc.list(connection, "SELECT DISTINCT " + k + "::text FROM ONLY " + Sql.table(table) + " WHERE " + k
                    + " IS NOT NULL AND NOT (" + k + "::text = ANY (?)) ORDER BY 1 LIMIT 11", rs -> rs.getString(1),
                    (Object) declared.toArray(String[]::new));
        }
        return new TableData((Long) data[0], (Long) data[1], (String) data[2], (String) data[3], uncovered);
    }

    /** The least and greatest key of {@code table}, as text (nulls when it is empty). */
    public static String[] keyRange(Connection connection, TableName table, String key) throws SQLException {
        String k = Sql.identifier(key);
        return Jdbc.first(connection, "SELECT min(" + k + ")::text, max(" + k + ")::text FROM ONLY " + Sql.table(table),
                rs -> new String[]{rs.getString(1), rs.getString(2)}).orElseThrow();
    }

    /** Which of {@code names} are taken in {@code schema} by a relation, a statistics object or a function. */
    public static Set<String> taken(Connection connection, String schema, List<String> names) throws SQLException {
        return new TreeSet<>(Jdbc.list(connection, """
                SELECT n FROM pg_catalog.unnest(?::text[]) n
                 WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
                                WHERE s.nspname = ? AND c.relname = n)
                    OR EXISTS (SELECT 1 FROM pg_catalog.pg_statistic_ext x JOIN pg_catalog.pg_namespace s ON s.oid = x.stxnamespace
                                WHERE s.nspname = ? AND x.stxname = n)
                    OR EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace s ON s.oid = p.pronamespace
                                WHERE s.nspname = ? AND p.proname = n)""", rs -> rs.getString(1),
                names.toArray(String[]::new), schema, schema, schema));
    }
}
