package io.pgpartition.catalog.internal;

import io.pgpartition.catalog.internal.Jdbc;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;
import io.pgpartition.model.ValueKind;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Questions about the data rather than the catalog: the greatest key of a table, the keys held by a default
 * partition, exact row counts, the values a partition holds, the bytes each partition takes. Every statement goes
 * through {@link Jdbc}; table and column names through {@link Sql}.
 */
public final class DataProbes {

    /** A numeric value that is a number: not NaN and (PostgreSQL 14 and later) not infinite. */
    private static final String NUMERIC_FINITE = "%1$s NOT IN ('NaN', 'Infinity', '-Infinity')";

    private static final String COUNT = """
            SELECT w.i, (pg_catalog.xpath('/row/c/text()', pg_catalog.query_to_xml(
                       pg_catalog.format('SELECT count(*) AS c FROM %I.%I', w.schema_name, w.rel_name), false, true, '')))[1]::text::bigint
              FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS w(schema_name, rel_name, i)""";

    private static final String SIZES = """
            SELECT w.i, s.table_bytes - s.toast_bytes, s.index_bytes, s.toast_bytes
              FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS w(schema_name, rel_name, i)
              JOIN pg_catalog.pg_namespace n ON n.nspname = w.schema_name
              JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = w.rel_name
             CROSS JOIN LATERAL (SELECT pg_catalog.pg_table_size(c.oid) AS table_bytes,
                                        CASE WHEN c.relhasindex THEN pg_catalog.pg_indexes_size(c.oid) ELSE 0 END AS index_bytes,
                                        CASE WHEN c.reltoastrelid = 0 THEN 0
                                             ELSE pg_catalog.pg_total_relation_size(c.reltoastrelid) END AS toast_bytes) AS s""";

    private DataProbes() {
    }

    /**
     * The greatest finite value of a column (an index scan per partition), or null when the table holds no rows: a
     * numeric NaN or infinity sorts above every number and steps through no interval.
     */
    public static Object greatestKey(Connection connection, TableName table, String column, ValueKind kind) throws SQLException {
        String quoted = Sql.identifier(column);
        return Jdbc.first(connection, "SELECT max(" + quoted + ") FROM " + Sql.table(table)
                + (kind == ValueKind.NUMERIC ? " WHERE " + NUMERIC_FINITE.formatted(quoted) : ""), rs -> rs.getObject(1)).orElse(null);
    }

    /**
     * The least finite value of a column at or after {@code atOrAfter} (from the start when null), read as its kind
     * reads ({@link LocalDate}, {@link LocalDateTime}, an {@code Instant} for {@code timestamptz}, else the driver's
     * object); null when there is none. Null keys are not looked at.
     */
    public static Object leastKey(Connection connection, TableName table, String column, ValueKind kind, Object atOrAfter)
            throws SQLException {
        String quoted = Sql.identifier(column);
        boolean time = kind == ValueKind.DATE || kind == ValueKind.TIMESTAMP || kind == ValueKind.TIMESTAMPTZ;
        String sql = "SELECT min(" + quoted + ") FROM " + Sql.table(table) + " WHERE "
                + (time ? "isfinite(" + quoted + ")" : kind == ValueKind.NUMERIC ? NUMERIC_FINITE.formatted(quoted) : "TRUE")
                + (atOrAfter == null ? "" : " AND " + quoted + " >= " + Sql.literal(atOrAfter));
        return Jdbc.first(connection, sql, rs -> read(rs, kind)).orElse(null);
    }

    /** The greatest finite value of a column, read as {@link #leastKey} reads; null when there is none. */
    public static Object greatestFiniteKey(Connection connection, TableName table, String column, ValueKind kind) throws SQLException {
        String quoted = Sql.identifier(column);
        boolean time = kind == ValueKind.DATE || kind == ValueKind.TIMESTAMP || kind == ValueKind.TIMESTAMPTZ;
        return Jdbc.first(connection, "SELECT max(" + quoted + ") FROM ONLY " + Sql.table(table) + " WHERE "
                + (time ? "isfinite(" + quoted + ")" : kind == ValueKind.NUMERIC ? NUMERIC_FINITE.formatted(quoted) : "TRUE"),
                rs -> read(rs, kind)).orElse(null);
    }

    /**
     * How many rows of a table fall between each two of {@code thresholds} (ascending values of the column's type
     * {@code sqlType}), in one scan: index 0 below the first and null keys, index {@code i} in {@code [thresholds[i-1],
     * thresholds[i])}, the last index at or above the last threshold.
     */
    public static long[] countsBetween(Connection connection, TableName table, String column, String sqlType, List<Object> thresholds)
            throws SQLException {
        long[] counts = new long[thresholds.size() + 1];
        String array = thresholds.stream().map(v -> "CAST(" + Sql.literal(v) + " AS " + sqlType + ")").collect(Collectors.joining(", "));
        Jdbc.query(connection, "SELECT pg_catalog.width_bucket(" + Sql.identifier(column) + ", ARRAY[" + array + "]), count(*) FROM ONLY "
                + Sql.table(table) + " GROUP BY 1", rs -> {
            int bucket = rs.getObject(1) == null ? 0 : rs.getInt(1);
            counts[Math.max(0, Math.min(bucket, counts.length - 1))] += rs.getLong(2);
        });
        return counts;
    }

    private static Object read(ResultSet rs, ValueKind kind) throws SQLException {
        return switch (kind) {
            case DATE -> rs.getObject(1, LocalDate.class);
            case TIMESTAMP -> rs.getObject(1, LocalDateTime.class);
            case TIMESTAMPTZ -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant).orElse(null);
            default -> rs.getObject(1);
        };
    }

    /** The rows of a table whose key column is null or, for a date/time key, infinite: rows no range partition takes. */
    public static long unplaceableRows(Connection connection, TableName table, String column, boolean time) throws SQLException {
        String quoted = Sql.identifier(column);
        return Jdbc.first(connection, "SELECT count(*) FROM " + Sql.table(table) + " WHERE " + quoted + " IS NULL"
                + (time ? " OR NOT isfinite(" + quoted + ")" : ""), rs -> rs.getLong(1)).orElse(0L);
    }

    /** The first {@code limit} distinct values of a column in order, as text (null for NULL). */
    public static List<String> distinctValues(Connection connection, TableName table, String column, int limit) throws SQLException {
        return Jdbc.list(connection, "SELECT DISTINCT " + Sql.identifier(column) + "::text FROM " + Sql.table(table)
                + " ORDER BY 1 LIMIT " + limit, rs -> rs.getString(1));
    }

    /**
     * Exact row counts of many tables in one statement, whatever their number: the server runs one {@code count(*)}
     * per table through {@code query_to_xml} (a {@code UNION ALL} of thousands of counts would exhaust the parser's
     * stack). Names are quoted by the server's {@code format('%I')}. A partitioned table counts the rows of its partitions
     * (a partition has no inheritance children, so this differs from {@code ONLY} for partitioned ones alone).
     */
    public static Map<TableName, Long> rowCounts(Connection connection, List<TableName> tables) throws SQLException {
        Map<TableName, Long> rows = new HashMap<>();
        if (!tables.isEmpty()) {
            Jdbc.query(connection, COUNT, rs -> rows.put(tables.get(rs.getInt(1) - 1), rs.getLong(2)),
                    Jdbc.schemas(tables), Jdbc.names(tables));
        }
        return rows;
    }

    /**
     * The bytes of each table in one statement: {@code [heap, indexes, TOAST]}.
     */
    public static Map<TableName, long[]> sizes(Connection connection, List<TableName> tables) throws SQLException {
        Map<TableName, long[]> sizes = new HashMap<>();
        if (!tables.isEmpty()) {
            Jdbc.query(connection, SIZES, rs -> sizes.put(tables.get(rs.getInt(1) - 1),
                    new long[]{rs.getLong(2), rs.getLong(3), rs.getLong(4)}), Jdbc.schemas(tables), Jdbc.names(tables));
        }
        return sizes;
    }

    /**
     * Citus tables keep their rows on the workers' shards, and the coordinator's tables stay empty: their bytes
     * ({@code citus_table_size}, TOAST included, and the indexes as the rest of {@code citus_total_relation_size}) and the
     * planner's estimate of their rows (the sum of every shard's {@code reltuples}, asked on the workers; -1 when no shard
     * was analyzed), in one statement. Only for tables Citus holds.
     */
    private static final String CITUS_SIZES = """
            SELECT w.i, pg_catalog.citus_table_size(t.oid), pg_catalog.citus_total_relation_size(t.oid) - pg_catalog.citus_table_size(t.oid),
                   (SELECT CASE WHEN pg_catalog.max(r.result::float8) < 0 THEN -1
                                ELSE pg_catalog.sum(GREATEST(r.result::float8, 0))::bigint END
                      FROM pg_catalog.run_command_on_shards(t.oid,
                           $q$SELECT reltuples FROM pg_catalog.pg_class WHERE oid = '%s'::pg_catalog.regclass$q$) r
                     WHERE r.success)
              FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS w(schema_name, rel_name, i)
             CROSS JOIN LATERAL (SELECT pg_catalog.to_regclass(pg_catalog.quote_ident(w.schema_name) || '.'
                                        || pg_catalog.quote_ident(w.rel_name))::oid AS oid) t""";

    /**
     * For tables Citus holds: {@code [bytes of the table with TOAST, bytes of its indexes, estimated rows]} from the
     * workers, by table.
     */
    public static Map<TableName, long[]> citusSizes(Connection connection, List<TableName> tables) throws SQLException {
        Map<TableName, long[]> sizes = new HashMap<>();
        if (!tables.isEmpty()) {
            Jdbc.query(connection, CITUS_SIZES, rs -> {
                long rows = rs.getLong(4);
                sizes.put(tables.get(rs.getInt(1) - 1), new long[]{rs.getLong(2), rs.getLong(3), rs.wasNull() ? -1 : rows});
            }, Jdbc.schemas(tables), Jdbc.names(tables));
        }
        return sizes;
    }

    /** Whether a table holds no row. */
    public static boolean isEmpty(Connection connection, TableName table) throws SQLException {
        return Jdbc.first(connection, "SELECT NOT EXISTS (SELECT 1 FROM " + Sql.table(table) + ")", rs -> rs.getBoolean(1)).orElse(false);
    }

    /**
     * The answer of a checksum query whose rows are {@code (group, rows, sum)}, by group (null for rows of no group):
     * {@code [rows, sum]}.
     */
    public static Map<Long, long[]> checksums(Connection connection, String sql) throws SQLException {
        Map<Long, long[]> sums = new java.util.LinkedHashMap<>();
        Jdbc.query(connection, sql, rs -> sums.put(rs.getObject(1) == null ? null : rs.getLong(1), new long[]{rs.getLong(2), rs.getLong(3)}));
        return sums;
    }

    /** The server's version as {@code SHOW server_version} gives it. */
    public static String serverVersion(Connection connection) throws SQLException {
        return Jdbc.first(connection, "SHOW server_version", rs -> rs.getString(1)).orElse("");
    }
}
