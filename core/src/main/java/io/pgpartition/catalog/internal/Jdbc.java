package io.pgpartition.catalog.internal;

import io.pgpartition.model.TableName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The one way pgpartition sends a catalog query: a prepared statement with its parameters bound (a {@code String[]}
 * as a {@code text[]}, a {@code Long[]} as an {@code int8[]}, anything else through {@code setObject}), each row
 * handed to a reader, statement and result closed whatever happens.
 */
public final class Jdbc {

    private Jdbc() {
    }

    /** Reads the current row of a result. */
    @FunctionalInterface
    public interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /** Maps the current row of a result to a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Runs a query and hands every row to {@code reader}. */
    public static void query(Connection connection, String sql, RowReader reader, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(connection, statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        }
    }

    /** Runs a statement that changes rows; returns how many. */
    public static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(connection, statement, parameters);
            return statement.executeUpdate();
        }
    }

    private static void bind(Connection connection, PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object parameter = parameters[i];
            if (parameter == null) {
                statement.setNull(i + 1, java.sql.Types.OTHER);
            } else if (parameter instanceof String[] texts) {
                statement.setArray(i + 1, connection.createArrayOf("text", texts));
            } else if (parameter instanceof Long[] longs) {
                statement.setArray(i + 1, connection.createArrayOf("int8", longs));
            } else {
                statement.setObject(i + 1, parameter);
            }
        }
    }

    /** Runs a query and maps every row. */
    public static <T> List<T> list(Connection connection, String sql, RowMapper<T> mapper, Object... parameters) throws SQLException {
        List<T> rows = new ArrayList<>();
        query(connection, sql, rs -> rows.add(mapper.map(rs)), parameters);
        return rows;
    }

    /** Runs a query and maps its first row, if any. */
    public static <T> Optional<T> first(Connection connection, String sql, RowMapper<T> mapper, Object... parameters) throws SQLException {
        List<T> rows = list(connection, sql, mapper, parameters);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    /** The schemas of the names, in order, for a {@code text[]} parameter ({@code null} for an unqualified name). */
    public static String[] schemas(Collection<TableName> names) {
        return names.stream().map(TableName::schema).toArray(String[]::new);
    }

    /** The relation names of the names, in order, for a {@code text[]} parameter. */
    public static String[] names(Collection<TableName> names) {
        return names.stream().map(TableName::name).toArray(String[]::new);
    }

    /** A table name read from a schema column and a name column. */
    public static TableName table(ResultSet rs, int schemaColumn) throws SQLException {
        return TableName.of(rs.getString(schemaColumn), rs.getString(schemaColumn + 1));
    }
}
