package io.pgpartition.catalog;

import java.util.List;

/**
 * A primary key, unique constraint or unique index of a table.
 *
 * @param name       the constraint name, or the index name for a unique index without a constraint
 * @param primaryKey whether it is the primary key
 * @param columns    its key columns in order; an expression appears as {@code (expression)}
 * @param partial    whether it is a partial unique index (with a WHERE clause)
 */
public record UniqueConstraint(String name, boolean primaryKey, List<String> columns, boolean partial) {

    public UniqueConstraint {
        columns = List.copyOf(columns);
    }

    /** Whether every one of the given columns is among this constraint's columns. */
    public boolean covers(List<String> keyColumns) {
        return columns.containsAll(keyColumns);
    }
}
