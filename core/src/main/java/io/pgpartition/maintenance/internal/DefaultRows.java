package io.pgpartition.maintenance.internal;

import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.TableName;

import java.util.List;

/**
 * The finding for a default partition holding rows, with the fix that works for its table: a range table's rows are
 * rescued by maintenance (except those with a null or infinite key, counted apart); a list table's need partitions
 * declared for their values, which are named.
 */
public final class DefaultRows {

    /** How many of a list default partition's distinct values a finding names. */
    public static final int VALUES_SHOWN = 10;

    private DefaultRows() {
    }

    /**
     * What the rows of a default partition are.
     *
     * @param unplaceable for a range table, the rows whose key is null or infinite
     * @param values      for a list table, its first distinct values as text (null for NULL), one more than
     *                    {@link #VALUES_SHOWN} when there are more
     */
    public record Detail(long unplaceable, List<String> values) {
    }

    /** The single key column the finding speaks of, or null for a key of several columns or an expression. */
    static String keyColumn(PartitionedTable table) {
        return table.key().size() == 1 && !table.key().hasExpressions() ? table.key().parts().get(0).column() : null;
    }

    /** The finding for {@code rows} rows in the default partition {@code partition} of {@code table}. */
    public static MaintenanceFinding finding(PartitionedTable table, TableName partition, long rows, Detail detail) {
        String column = keyColumn(table);
        String held = "Default partition " + partition + " of " + table.name() + " holds " + rows + " row"
                + (rows == 1 ? "" : "s") + ": their keys have no partition of their own";
        String fix;
        if (table.strategy() == PartitionStrategy.RANGE && column != null) {
            held += detail.unplaceable() == 0 ? "" : " (" + detail.unplaceable() + " with a null or infinite key, which only a "
                    + "default partition holds)";
            fix = detail.unplaceable() == rows ? "give those rows a key, or leave them in the default partition"
                    : "run maintenance with the default partition rescued (pgpartition maintain --rescue-default, or "
                    + "MaintenancePolicy.withDefaultRescued(true)), which creates a partition for every period holding "
                    + "rows there and moves the rows into it";
        } else if (table.strategy() == PartitionStrategy.LIST && column != null) {
            List<String> values = detail.values().stream().map(v -> v == null ? "NULL" : Sql.literal(v)).toList();
            held += " (values " + (values.size() > VALUES_SHOWN ? String.join(", ", values.subList(0, VALUES_SHOWN)) + ", ..."
                    : String.join(", ", values)) + ")";
            fix = "declare a partition for those values (@ListPartition, or pgpartition maintain --list NAME=VALUE,...) "
                    + "and run maintenance, which moves the rows into it";
        } else {
            fix = "create partitions for their keys, then move the rows into them";
        }
        return MaintenanceFinding.of(MaintenanceFinding.Kind.DEFAULT_HAS_ROWS, table.name(), partition, held + ". Fix: " + fix + ".");
    }

    /** The finding when a rescue found rows in more periods than one run makes partitions for. */
    static MaintenanceFinding tooManyPeriods(PartitionedTable table, TableName partition, String interval, Object after) {
        return MaintenanceFinding.of(MaintenanceFinding.Kind.DEFAULT_HAS_ROWS, table.name(), partition,
                "Default partition " + partition + " of " + table.name() + " holds rows in more than "
                        + RangePeriods.MAX_FILL_PERIODS + " periods of " + interval + "; partitions are made for the first "
                        + RangePeriods.MAX_FILL_PERIODS + " (up to " + Sql.literal(after) + ") and the rest stay. Fix: run "
                        + "maintenance again to rescue the next periods, or create partitions for them yourself.");
    }
}
