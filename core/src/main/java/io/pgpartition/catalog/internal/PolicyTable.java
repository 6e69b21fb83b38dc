package io.pgpartition.catalog.internal;

import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    /** Records (or replaces, when they differ) the options of a table; returns whether a row changed. */
    public static boolean record(Connection connection, TableName table, List<String> options, String recordedBy) throws SQLException {
        return Jdbc.update(connection, "INSERT INTO " + Sql.table(in(table.schema())) + " AS p (table_name, options, recorded_by) "
                        + "VALUES (?, ?, ?) ON CONFLICT (table_name) DO UPDATE SET options = EXCLUDED.options, recorded_by = "
                        + "EXCLUDED.recorded_by, recorded_at = now() WHERE p.options IS DISTINCT FROM EXCLUDED.options",
                table.name(), options.toArray(String[]::new), recordedBy) > 0;
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

    /** The policy recorded for one table, if any. */
    public static Optional<Row> read(Connection connection, TableName qualified) throws SQLException {
        return read(connection, qualified.schema()).stream().filter(row -> row.table().equals(qualified)).findFirst();
    }

    /** Every policy recorded in the database. */
    public static List<Row> readAll(Connection connection) throws SQLException {
        List<Row> rows = new ArrayList<>();
        for (String schema : schemas(connection)) {
            rows.addAll(read(connection, schema));
        }
        return rows;
    }

    /** Whether the current role may create a table in the schema. */
    public static boolean mayCreateIn(Connection connection, String schema) throws SQLException {
        return Jdbc.first(connection, "SELECT pg_catalog.has_schema_privilege(?, 'CREATE')", rs -> rs.getBoolean(1), schema)
                .orElse(false);
    }
}
