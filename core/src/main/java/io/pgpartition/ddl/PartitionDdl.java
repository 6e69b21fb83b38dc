package io.pgpartition.ddl;

import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.DefaultBound;
import io.pgpartition.model.HashBound;
import io.pgpartition.model.KeyPart;
import io.pgpartition.model.ListBound;
import io.pgpartition.model.PartitionBound;
import io.pgpartition.model.PartitionKey;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.RangeValue;
import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Statements that create, attach, detach and drop partitions. Every name goes through {@link Sql#identifier} and
 * every value through {@link Sql#literal}, so no name or value can change what a statement does.
 */
public final class PartitionDdl {

    /** How the statement that moves rows out of a default partition begins. */
    private static final String MOVE_PREFIX = "WITH moved AS (DELETE FROM ";

    /** Whether a statement made here moves rows between partitions (and so needs the server guard's bypass). */
    public static boolean movesRows(String statement) {
        return statement.startsWith(MOVE_PREFIX);
    }


    /** Name of the CHECK constraint a standalone table carries until it is attached. */
    public static final String BOUND_CHECK = "pgpartition_bound";

    private PartitionDdl() {
    }

    /**
     * {@code CREATE TABLE partition PARTITION OF parent FOR VALUES ...}. Takes an ACCESS EXCLUSIVE lock on the parent,
     * which queues behind every open transaction that touched it; on a busy table prefer
     * {@link #createStandaloneThenAttach}, whose ATTACH takes SHARE UPDATE EXCLUSIVE.
     */
    public static String createPartitionOf(TableName parent, TableName partition, PartitionBound bound) {
        return "CREATE TABLE " + Sql.table(partition) + " PARTITION OF " + Sql.table(parent) + " " + forValues(bound);
    }

    /**
     * {@code CREATE TABLE IF NOT EXISTS partition PARTITION OF parent FOR VALUES ...}: for schema scripts that may run
     * against a schema that already has the partition.
     */
    public static String createPartitionOfIfNotExists(TableName parent, TableName partition, PartitionBound bound) {
        return "CREATE TABLE IF NOT EXISTS " + Sql.table(partition) + " PARTITION OF " + Sql.table(parent) + " " + forValues(bound);
    }

    /** {@code PARTITION BY strategy (columns)}, as it follows a {@code CREATE TABLE} column list. */
    public static String partitionBy(PartitionStrategy strategy, List<String> columns) {
        return "PARTITION BY " + strategy + " (" + columns.stream().map(Sql::identifier).collect(Collectors.joining(", ")) + ")";
    }

    /**
     * Creates the partition as a standalone table shaped like the parent, with a CHECK constraint matching its bound
     * where one can be written for the key, then attaches it (SHARE UPDATE EXCLUSIVE on the parent) and drops the
     * no longer needed constraint. Run the statements in order, in one transaction.
     */
    public static List<String> createStandaloneThenAttach(TableName parent, PartitionKey key, TableName partition,
                                                          PartitionBound bound) {
        List<String> statements = new ArrayList<>();
        String check = boundCheck(key, bound);
        statements.add(createStandalone(parent, partition, check));
        statements.add(attach(parent, partition, bound));
        if (check != null) {
            statements.add("ALTER TABLE " + Sql.table(partition) + " DROP CONSTRAINT " + Sql.identifier(BOUND_CHECK));
        }
        return statements;
    }

    /**
     * Creates the partition as an empty standalone table shaped like the parent and attaches it (SHARE UPDATE
     * EXCLUSIVE on the parent). Run both statements in one transaction: no other session can see the table before the
     * commit, so it is still empty when attached and the ATTACH's check of its rows reads no page. A CHECK constraint
     * would only spare that empty read, at a price (declared, then proved to imply the bound, then dropped: about a
     * third more server time per partition); {@link #createStandaloneThenAttach} is for tables that get rows first.
     */
    public static List<String> createEmptyThenAttach(TableName parent, TableName partition, PartitionBound bound) {
        return List.of(createStandalone(parent, partition), attach(parent, partition, bound));
    }

    /**
     * Creates the partition as {@link #createStandaloneThenAttach} does, and first moves into it the rows of the
     * default partition that belong to it, so that the attach does not fail on them. The parent is locked against
     * writes (SHARE ROW EXCLUSIVE; reads go on) for the rest of the transaction: no such row can arrive in between,
     * and no insert that was routed to the default partition before the attach fails after it with "new row for
     * relation ... violates partition constraint"; writes wait for the move and the attach instead. Run the
     * statements in order, in one transaction.
     *
     * @param columns the parent's columns that take inserted values (generated columns left out), in order
     */
    public static List<String> createMovingDefaultRowsThenAttach(TableName parent, PartitionKey key, TableName partition,
                                                                 PartitionBound bound, TableName defaultPartition,
                                                                 List<String> columns) {
        String check = boundCheck(key, bound);
        if (check == null) {
            throw new IllegalArgumentException("Rows of " + partition + " cannot be picked out of " + defaultPartition
                    + " by a condition: the key of " + parent + " is " + key);
        }
        String list = columns.stream().map(Sql::identifier).collect(Collectors.joining(", "));
        List<String> statements = new ArrayList<>();
        statements.add("LOCK TABLE " + Sql.table(parent) + " IN SHARE ROW EXCLUSIVE MODE");
        statements.add(createStandalone(parent, partition, check));
        statements.add(MOVE_PREFIX + Sql.table(defaultPartition) + " WHERE " + check + " RETURNING "
                + list + ") INSERT INTO " + Sql.table(partition) + " (" + list + ") SELECT " + list + " FROM moved");
        statements.add(attach(parent, partition, bound));
        statements.add("ALTER TABLE " + Sql.table(partition) + " DROP CONSTRAINT " + Sql.identifier(BOUND_CHECK));
        return statements;
    }

    /** Whether {@link #createMovingDefaultRowsThenAttach} can pick the partition's rows out of a default partition. */
    public static boolean canMoveDefaultRows(PartitionKey key, PartitionBound bound) {
        return boundCheck(key, bound) != null;
    }

    /** {@code CREATE SCHEMA IF NOT EXISTS schema}. */
    public static String createSchemaIfNotExists(String schema) {
        return "CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(schema);
    }

    /**
     * {@code CREATE TABLE partition (LIKE parent INCLUDING ALL EXCLUDING IDENTITY)}: columns, defaults, constraints,
     * indexes, storage and comments of the parent; identity stays with the parent, which hands out the values.
     */
    public static String createStandalone(TableName parent, TableName partition) {
        return createStandalone(parent, partition, null);
    }

    /**
     * {@link #createStandalone(TableName, TableName)}, with the {@link #BOUND_CHECK} constraint declared in the same
     * statement unless {@code check} is null: the empty table needs no separate ALTER TABLE (and no scan) to get it.
     */
    private static String createStandalone(TableName parent, TableName partition, String check) {
        return "CREATE TABLE " + Sql.table(partition) + " (LIKE " + Sql.table(parent) + " INCLUDING ALL EXCLUDING IDENTITY"
                + (check == null ? "" : ", CONSTRAINT " + Sql.identifier(BOUND_CHECK) + " CHECK (" + check + ")") + ")";
    }

    /** {@code ALTER TABLE parent ATTACH PARTITION partition FOR VALUES ...}. */
    public static String attach(TableName parent, TableName partition, PartitionBound bound) {
        return "ALTER TABLE " + Sql.table(parent) + " ATTACH PARTITION " + Sql.table(partition) + " " + forValues(bound);
    }

    /**
     * {@code ALTER TABLE parent DETACH PARTITION partition [CONCURRENTLY]}. The concurrent form (PostgreSQL 14+)
     * cannot run inside a transaction block, nor while the table has a default partition.
     */
    public static String detach(TableName parent, TableName partition, boolean concurrently) {
        return "ALTER TABLE " + Sql.table(parent) + " DETACH PARTITION " + Sql.table(partition)
                + (concurrently ? " CONCURRENTLY" : "");
    }

    /** {@code ... DETACH PARTITION partition FINALIZE}: completes a concurrent detach that was interrupted. */
    public static String detachFinalize(TableName parent, TableName partition) {
        return "ALTER TABLE " + Sql.table(parent) + " DETACH PARTITION " + Sql.table(partition) + " FINALIZE";
    }

    /** {@code DROP TABLE partition}, never {@code CASCADE}: dependent objects stop the drop instead of vanishing. */
    public static String drop(TableName partition) {
        return "DROP TABLE " + Sql.table(partition);
    }

    /** {@code COMMENT ON TABLE table IS 'text'}. */
    public static String comment(TableName table, String text) {
        return "COMMENT ON TABLE " + Sql.table(table) + " IS " + Sql.literal(text);
    }

    /** {@code ALTER TABLE table SET SCHEMA schema}. */
    public static String moveToSchema(TableName table, String schema) {
        return "ALTER TABLE " + Sql.table(table) + " SET SCHEMA " + Sql.identifier(schema);
    }

    /** The bound clause: {@code FOR VALUES FROM (...) TO (...)}, {@code FOR VALUES IN (...)}, {@code FOR VALUES WITH (...)} or {@code DEFAULT}. */
    public static String forValues(PartitionBound bound) {
        if (bound instanceof RangeBound range) {
            return "FOR VALUES FROM (" + rangeValues(range.from()) + ") TO (" + rangeValues(range.to()) + ")";
        }
        if (bound instanceof ListBound list) {
            return "FOR VALUES IN (" + list.values().stream().map(Sql::literal).collect(Collectors.joining(", ")) + ")";
        }
        if (bound instanceof HashBound hash) {
            return "FOR VALUES WITH (MODULUS " + hash.modulus() + ", REMAINDER " + hash.remainder() + ")";
        }
        if (bound instanceof DefaultBound) {
            return "DEFAULT";
        }
        throw new IllegalArgumentException("Unknown bound " + bound);
    }

    /** The values of a range bound as SQL: literals, {@code MINVALUE} and {@code MAXVALUE}, comma-separated. */
    public static String rangeValues(List<RangeValue> values) {
        StringBuilder sql = new StringBuilder();
        for (RangeValue value : values) {
            if (!sql.isEmpty()) {
                sql.append(", ");
            }
            sql.append(value.isValue() ? Sql.literal(value.value()) : value.kind().name());
        }
        return sql.toString();
    }

    /**
     * A CHECK expression (literals are left untyped, so PostgreSQL reads them as the column's type) that holds exactly for the rows the bound accepts, for a single-column key; {@code null}
     * where none is written (expression and multi-column keys, hash and default bounds).
     */
    public static String boundCheck(PartitionKey key, PartitionBound bound) {
        if (key.size() != 1 || key.hasExpressions()) {
            return null;
        }
        KeyPart part = key.parts().get(0);
        String column = Sql.identifier(part.column());
        if (bound instanceof RangeBound range) {
            StringBuilder check = new StringBuilder(column).append(" IS NOT NULL");
            RangeValue from = range.from().get(0);
            RangeValue to = range.to().get(0);
            if (from.isValue()) {
                check.append(" AND ").append(column).append(" >= ").append(Sql.literal(from.value()));
            }
            if (to.isValue()) {
                check.append(" AND ").append(column).append(" < ").append(Sql.literal(to.value()));
            }
            return check.toString();
        }
        if (bound instanceof ListBound list) {
            List<String> values = list.values().stream().filter(v -> v != null)
                    .map(Sql::literal).toList();
            String in = values.isEmpty() ? null : column + " IN (" + String.join(", ", values) + ")";
            if (list.containsNull()) {
                return in == null ? column + " IS NULL" : "(" + column + " IS NULL OR " + in + ")";
            }
            return column + " IS NOT NULL AND " + in;
        }
        return null;
    }
}
