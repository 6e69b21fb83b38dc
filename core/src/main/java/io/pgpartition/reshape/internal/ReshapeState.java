package io.pgpartition.reshape.internal;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.internal.Catalog;
import io.pgpartition.catalog.internal.Jdbc;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;
import io.pgpartition.reshape.ReshapeStatus;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The table {@value ReshapeSql#STATE_TABLE} in the reshaped table's schema, where a reshape records its plan and where it
 * stands, so that a run stopped anywhere is resumed (or rolled back) by the next.
 */
public final class ReshapeState {

    private ReshapeState() {
    }

    /**
     * A reshape's record.
     *
     * @param request the reshape as asked, to refuse resuming it with another
     * @param source  the replaced partition the copy is at (its index)
     * @param lastKey the last identity copied from it
     * @param pending statements left for after the swap (validations of foreign keys re-added NOT VALID)
     */
    public record Recorded(Shape shape, String request, ReshapeStatus status, int source, List<String> lastKey, List<String> pending) {
    }

    public static String create(TableName table) {
        return "CREATE TABLE IF NOT EXISTS " + Sql.table(ReshapeSql.state(table)) + " (table_name text PRIMARY KEY, request text NOT NULL, "
                + "description text NOT NULL, phase text NOT NULL, replaced text[] NOT NULL, retired text[] NOT NULL, "
                + "replaced_bounds text[] NOT NULL, replaced_checks text[] NOT NULL, created text[] NOT NULL, building text[] NOT NULL, "
                + "created_bounds text[] NOT NULL, created_checks text[] NOT NULL, other_default text, excluded text, "
                + "identity_columns text[] NOT NULL, identity_types text[] NOT NULL, copied_columns text[] NOT NULL, carried text[] NOT NULL, "
                + "restored text[] NOT NULL, source int NOT NULL DEFAULT 0, last_key text[], rows_copied bigint NOT NULL DEFAULT 0, "
                + "rows_total bigint NOT NULL DEFAULT 0, pending text[], started_at timestamptz NOT NULL DEFAULT now(), "
                + "updated_at timestamptz NOT NULL DEFAULT now())";
    }

    public static String insert(Shape shape, String request, String rows) {
        return "INSERT INTO " + Sql.table(ReshapeSql.state(shape.table())) + " (table_name, request, description, phase, replaced, retired, "
                + "replaced_bounds, replaced_checks, created, building, created_bounds, created_checks, other_default, excluded, "
                + "identity_columns, identity_types, copied_columns, carried, restored, rows_total) VALUES (" + Sql.literal(shape.table().name())
                + ", " + Sql.literal(request) + ", " + Sql.literal(shape.description()) + ", 'PREPARED', "
                + array(shape.replaced().stream().map(p -> Sql.table(p.name())).toList()) + ", "
                + array(shape.replaced().stream().map(p -> Sql.table(p.building())).toList()) + ", "
                + array(shape.replaced().stream().map(Shape.Piece::forValues).toList()) + ", "
                + array(shape.replaced().stream().map(Shape.Piece::check).toList()) + ", "
                + array(shape.created().stream().map(p -> Sql.table(p.name())).toList()) + ", "
                + array(shape.created().stream().map(p -> Sql.table(p.building())).toList()) + ", "
                + array(shape.created().stream().map(Shape.Piece::forValues).toList()) + ", "
                + array(shape.created().stream().map(Shape.Piece::check).toList()) + ", "
                + (shape.otherDefault() == null ? "NULL" : Sql.literal(Sql.table(shape.otherDefault()))) + ", "
                + Sql.literal(shape.excluded()) + ", " + array(shape.identity()) + ", " + array(shape.identityTypes()) + ", "
                + array(shape.columns()) + ", " + array(shape.carried()) + ", " + array(shape.restored()) + ", " + rows + ")";
    }

    public static String setPhase(TableName table, ReshapeStatus.Phase phase) {
        return "UPDATE " + Sql.table(ReshapeSql.state(table)) + " SET phase = " + Sql.literal(phase.name()) + ", updated_at = now() "
                + "WHERE table_name = " + Sql.literal(table.name());
    }

    public static String copied(TableName table, int source, List<String> last, long rows) {
        return "UPDATE " + Sql.table(ReshapeSql.state(table)) + " SET phase = 'COPYING', source = " + source + ", last_key = "
                + (last == null ? "NULL" : array(last)) + ", rows_copied = rows_copied + " + rows + ", updated_at = now() "
                + "WHERE table_name = " + Sql.literal(table.name());
    }

    public static String pending(TableName table, List<String> statements) {
        return "UPDATE " + Sql.table(ReshapeSql.state(table)) + " SET pending = " + array(statements) + " WHERE table_name = "
                + Sql.literal(table.name());
    }

    public static String done(TableName table, String statement) {
        return "UPDATE " + Sql.table(ReshapeSql.state(table)) + " SET pending = pg_catalog.array_remove(pending, " + Sql.literal(statement)
                + ") WHERE table_name = " + Sql.literal(table.name());
    }

    public static String delete(TableName table) {
        return "DELETE FROM " + Sql.table(ReshapeSql.state(table)) + " WHERE table_name = " + Sql.literal(table.name());
    }

    /** What is recorded of the reshape of {@code table}, or empty when nothing is. */
    public static Optional<Recorded> read(Connection connection, TableName table) throws SQLException {
        TableName state = ReshapeSql.state(table);
        Optional<Catalog.TableAccess> access = Catalog.tableAccess(connection, state, "pending");
        if (access.isEmpty()) {
            return Optional.empty();
        }
        if (!access.get().readsAndWrites()) {
            String role = access.get().role();
            throw new PartitioningException(ErrorCode.RESHAPE_BLOCKED, "Role " + role + " cannot read and write " + state + " (owned by "
                    + access.get().owner() + "), where the reshapes of its schema record their state. Nothing was changed. Fix: GRANT "
                    + "SELECT, INSERT, UPDATE, DELETE ON " + Sql.table(state) + " TO " + Sql.identifier(role) + ".");
        }
        return Jdbc.first(connection, "SELECT request, description, phase, replaced, retired, replaced_bounds, replaced_checks, created, "
                + "building, created_bounds, created_checks, other_default, excluded, identity_columns, identity_types, copied_columns, "
                + "carried, restored, source, last_key, rows_copied, rows_total, pending, started_at, updated_at FROM " + Sql.table(state)
                + " WHERE table_name = ?", rs -> recorded(rs, table), table.name());
    }

    private static Recorded recorded(ResultSet rs, TableName table) throws SQLException {
        List<Shape.Piece> replaced = pieces(texts(rs.getArray(4)), texts(rs.getArray(5)), texts(rs.getArray(6)), texts(rs.getArray(7)));
        List<Shape.Piece> created = pieces(texts(rs.getArray(8)), texts(rs.getArray(9)), texts(rs.getArray(10)), texts(rs.getArray(11)));
        String otherDefault = rs.getString(12);
        Shape shape = new Shape(table, rs.getString(2), replaced, created, otherDefault == null ? null : TableName.parse(otherDefault),
                rs.getString(13), texts(rs.getArray(14)), texts(rs.getArray(15)), texts(rs.getArray(16)), texts(rs.getArray(17)),
                texts(rs.getArray(18)));
        ReshapeStatus.Phase phase = ReshapeStatus.Phase.valueOf(rs.getString(3));
        ReshapeStatus status = new ReshapeStatus(table, phase, shape.description(), phase == ReshapeStatus.Phase.SWAPPED
                ? shape.retiredTables() : shape.replacedTables(), shape.createdTables(), rs.getLong(21), rs.getLong(22),
                Optional.ofNullable(rs.getObject(24, OffsetDateTime.class)), Optional.ofNullable(rs.getObject(25, OffsetDateTime.class)));
        return new Recorded(shape, rs.getString(1), status, rs.getInt(19), nullableTexts(rs.getArray(20)), nullableTexts(rs.getArray(23)));
    }

    private static List<Shape.Piece> pieces(List<String> names, List<String> others, List<String> bounds, List<String> checks) {
        List<Shape.Piece> pieces = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            pieces.add(new Shape.Piece(TableName.parse(names.get(i)), TableName.parse(others.get(i)), bounds.get(i), checks.get(i)));
        }
        return pieces;
    }

    private static String array(List<String> values) {
        return "ARRAY[" + String.join(", ", values.stream().map(Sql::literal).toList()) + "]::text[]";
    }

    private static List<String> texts(Array array) throws SQLException {
        List<String> values = nullableTexts(array);
        return values == null ? List.of() : values;
    }

    private static List<String> nullableTexts(Array array) throws SQLException {
        return array == null ? null : List.of((String[]) array.getArray());
    }
}
