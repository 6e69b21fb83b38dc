package io.pgpartition.catalog.internal;

import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The table {@value #NAME} in a schema, where applications record the maintenance policies of their partitioned
 * tables in that schema (as options of {@code pgpartition maintain}), for the command line to read: its statements and
 * its reads.
 */
public final class PolicyTable {

    /** The table's name, in the schema of the tables whose policies it holds. */
    public static final String NAME = "pgpartition_policies";

    private PolicyTable() {
    }

    /** A recorded row: a table of the schema, its policy's options, who recorded them and when. */
    public record Row(TableName table, List<String> options, String recordedBy, OffsetDateTime recordedAt) {
    }

    /** The policy table of a schema. */
    public static TableName in(String schema) {
        return TableName.of(schema, NAME);
    }

    /** The statement that creates the policy table of a schema. */
    public static String create(String schema) {
        return "CREATE TABLE " + Sql.table(in(schema)) + " (table_name text PRIMARY KEY, options text[] NOT NULL, "
                + "recorded_by text, recorded_at timestamptz NOT NULL DEFAULT now())";
    }

    /** Creates a schema's policy table; another session creating it at the same moment is no failure. */
    public static void createIn(Connection connection, String schema) throws SQLException {
        try {
            Jdbc.update(connection, create(schema));
        } catch (SQLException e) {
            if (!"42P07".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /** The role the session acts as. */
    public static String currentRole(Connection connection) throws SQLException {
        return Jdbc.first(connection, "SELECT CURRENT_USER::text", rs -> rs.getString(1)).orElseThrow();
    }

    /**
     * Records (or replaces, where they differ) the options of tables of one schema, in one statement; returns how many
     * rows changed.
     */
    public static int record(Connection connection, String schema, Map<String, List<String>> optionsByTable, String recordedBy)
            throws SQLException {
        List<String> names = new ArrayList<>();
        List<String> flat = new ArrayList<>();
        List<Long> first = new ArrayList<>();
        List<Long> last = new ArrayList<>();
        optionsByTable.forEach((table, options) -> {
            names.add(table);
            first.add((long) flat.size() + 1);
            flat.addAll(options);
            last.add((long) flat.size());
        });
        return Jdbc.update(connection, "INSERT INTO " + Sql.table(in(schema)) + " AS p (table_name, options, recorded_by) "
                        + "SELECT t.name, (?::text[])[t.first::int : t.last::int], ? FROM unnest(?::text[], ?::int8[], ?::int8[]) "
                        + "AS t(name, first, last) ON CONFLICT (table_name) DO UPDATE SET options = EXCLUDED.options, recorded_by = "
                        + "EXCLUDED.recorded_by, recorded_at = now() WHERE p.options IS DISTINCT FROM EXCLUDED.options",
                flat.toArray(String[]::new), recordedBy, names.toArray(String[]::new), first.toArray(Long[]::new),
                last.toArray(Long[]::new));
    }

    /** Of these schemas, those where the current role may create a table. */
    public static java.util.Set<String> creatableIn(Connection connection, java.util.Collection<String> schemas) throws SQLException {
        return new java.util.HashSet<>(Jdbc.list(connection, "SELECT s.name FROM unnest(?::text[]) AS s(name) JOIN pg_catalog.pg_namespace n "
                + "ON n.nspname = s.name WHERE pg_catalog.has_schema_privilege(n.oid, 'CREATE')", rs -> rs.getString(1),
                (Object) schemas.toArray(String[]::new)));
    }

    /** The schemas that have a policy table, in name order. */
    public static List<String> schemas(Connection connection) throws SQLException {
        return Jdbc.list(connection, "SELECT n.nspname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE c.relname = ? AND c.relkind IN ('r', 'p') ORDER BY 1", rs -> rs.getString(1), NAME);
    }

    /** Every policy recorded in a schema's policy table, in table name order; none when it has no such table. */
    public static List<Row> read(Connection connection, String schema) throws SQLException {
        if (Jdbc.first(connection, "SELECT pg_catalog.to_regclass(?) IS NOT NULL", rs -> rs.getBoolean(1),
                Sql.table(in(schema))).orElse(false)) {
            return Jdbc.list(connection, "SELECT table_name, options, recorded_by, recorded_at FROM " + Sql.table(in(schema))
                    + " ORDER BY table_name", rs -> new Row(TableName.of(schema, rs.getString(1)),
                    List.of((String[]) rs.getArray(2).getArray()), rs.getString(3), rs.getObject(4, OffsetDateTime.class)));
        }
        return List.of();
    }

    /** Every policy recorded in the database. */
    public static List<Row> readAll(Connection connection) throws SQLException {
        List<Row> rows = new ArrayList<>();
        for (String schema : schemas(connection)) {
            rows.addAll(read(connection, schema));
        }
        return rows;
    }

}
