package io.pgpartition.conversion.internal;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.internal.Catalog;
import io.pgpartition.catalog.internal.Jdbc;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.conversion.ConversionStatus;
import io.pgpartition.ddl.internal.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The table {@value Names#STATE_TABLE} in the converted table's schema, where a conversion records where it stands so
 * that a run stopped anywhere is resumed by the next: the statements that write it and the reads of it.
 */
public final class StateTable {

    private StateTable() {
    }

    /** A conversion's record. */
    public record Recorded(ConversionStatus status, String definition, List<String> lastKey, List<String> copyUntil,
                           List<String> pendingValidation) {
    }

    public static String create(Names names) {
        return "CREATE TABLE IF NOT EXISTS " + Sql.table(names.state()) + " (table_name text PRIMARY KEY, twin text NOT NULL, "
                + "retired text NOT NULL, phase text NOT NULL, last_key text[], copy_until text[], rows_copied bigint NOT NULL DEFAULT 0, "
                + "rows_total bigint NOT NULL DEFAULT 0, started_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL "
                + "DEFAULT now(), definition text, pending_validation text[]);\n"
                + "ALTER TABLE " + Sql.table(names.state()) + " ADD COLUMN IF NOT EXISTS pending_validation text[]";
    }

    /** How a conversion's layout is recorded, to refuse resuming it with another. */
    public static String describe(ConversionSpec spec) {
        return spec.policy().strategy().name().toLowerCase() + "(" + spec.keyColumn() + ") " + spec.policy();
    }

    public static String insert(Names names, ConversionSpec spec, long rows) {
        return "INSERT INTO " + Sql.table(names.state()) + " (table_name, twin, retired, phase, rows_total, definition) VALUES ("
                + Sql.literal(names.table().name()) + ", " + Sql.literal(names.twin().name()) + ", " + Sql.literal(names.retired().name())
                + ", 'PREPARED', (SELECT count(*) FROM ONLY " + Sql.table(names.table()) + "), " + Sql.literal(describe(spec)) + ")";
    }

    public static String setPhase(Names names, ConversionStatus.Phase phase) {
        return "UPDATE " + Sql.table(names.state()) + " SET phase = " + Sql.literal(phase.name()) + ", updated_at = now() WHERE table_name = "
                + Sql.literal(names.table().name());
    }

    public static String copied(Names names, List<String> last, long rows) {
        return "UPDATE " + Sql.table(names.state()) + " SET phase = 'COPYING', last_key = ARRAY[" + String.join(", ",
                last.stream().map(Sql::literal).toList()) + "]::text[], rows_copied = rows_copied + " + rows + ", updated_at = now() "
                + "WHERE table_name = " + Sql.literal(names.table().name());
    }

    public static String pendingValidation(Names names, List<String> statements) {
        return "UPDATE " + Sql.table(names.state()) + " SET pending_validation = ARRAY[" + String.join(", ",
                statements.stream().map(Sql::literal).toList()) + "]::text[] WHERE table_name = " + Sql.literal(names.table().name());
    }

    public static String validated(Names names, String statement) {
        return "UPDATE " + Sql.table(names.state()) + " SET pending_validation = pg_catalog.array_remove(pending_validation, "
                + Sql.literal(statement) + ") WHERE table_name = " + Sql.literal(names.table().name());
    }

    public static String delete(Names names) {
        return "DELETE FROM " + Sql.table(names.state()) + " WHERE table_name = " + Sql.literal(names.table().name());
    }

    /** What is recorded of the conversion of {@code names.table()}, or empty when nothing is. */
    public static Optional<Recorded> read(Connection connection, Names names) throws SQLException {
        Optional<Catalog.TableAccess> access = Catalog.tableAccess(connection, names.state(), "pending_validation");
        if (access.isEmpty()) {
            return Optional.empty();
        }
        if (!access.get().readsAndWrites()) {
            String role = access.get().role();
            throw new PartitioningException(ErrorCode.CONVERSION_BLOCKED, "Role " + role + " cannot read and write " + names.state()
                    + " (owned by " + access.get().owner() + "), where the conversions of its schema record their state. Nothing was "
                    + "changed. Fix: GRANT SELECT, INSERT, UPDATE, DELETE ON " + Sql.table(names.state()) + " TO " + Sql.identifier(role) + ".");
        }
        boolean pending = access.get().hasColumn();
        return Jdbc.first(connection, "SELECT phase, rows_copied, rows_total, started_at, updated_at, definition, last_key, copy_until, "
                + (pending ? "pending_validation" : "NULL::text[]") + " FROM " + Sql.table(names.state()) + " WHERE table_name = ?",
                rs -> new Recorded(new ConversionStatus(names.table(), ConversionStatus.Phase.valueOf(rs.getString(1)), names.twin(),
                        names.retired(), rs.getLong(2), rs.getLong(3), Optional.ofNullable(rs.getObject(4, OffsetDateTime.class)),
                        Optional.ofNullable(rs.getObject(5, OffsetDateTime.class))), rs.getString(6), texts(rs.getArray(7)),
                        texts(rs.getArray(8)), texts(rs.getArray(9))), names.table().name());
    }

    /** Where the conversion stands; {@link ConversionStatus.Phase#NONE} when nothing is recorded. */
    public static ConversionStatus status(Connection connection, Names names) throws SQLException {
        return read(connection, names).map(Recorded::status).orElse(new ConversionStatus(names.table(), ConversionStatus.Phase.NONE,
                names.twin(), names.retired(), 0, 0, Optional.empty(), Optional.empty()));
    }

    private static List<String> texts(java.sql.Array array) throws SQLException {
        return array == null ? null : List.of((String[]) array.getArray());
    }
}
